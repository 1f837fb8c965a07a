import { afterEach, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { encodeProtobuf, PROTOBUF_CONTENT_TYPE } from '../../src/exposition/index.js';
import { metricsHandler } from '../../src/http/index.js';
import { Counter, Histogram, Registry } from '../../src/index.js';
import { get } from './http-client.js';

const PROTOBUF_ACCEPT = 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.9,text/plain;q=0.5';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  server = undefined;
});

async function serve(registry: Registry): Promise<string> {
  server = createServer(metricsHandler({ registry, shareScrapes: true }));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
}

function bigRegistry(): Registry {
  const registry = new Registry();
  const c = new Counter({ name: 'paths', help: 'h', labelNames: ['path'], registry });
  for (let i = 0; i < 5000; i++) c.inc({ path: `/api/v1/items/${i}` }, i);
  const h = new Histogram({ name: 'latency_seconds', help: 'h', native: true, buckets: [0.1, 1], registry });
  h.observe(0.3);
  return registry;
}

it('serves protobuf bytes over HTTP, streamed and gzipped, equal to encodeProtobuf of the same registry; concurrent scrapes share them', async () => {
  const registry = bigRegistry();
  const url = await serve(registry);
  const expected = Buffer.from(encodeProtobuf((await registry.collect({ names: ['paths_total', 'latency_seconds_bucket'] })).families));
  const requests = [1, 2, 3].map(() => get(`${url}?name[]=paths_total&name[]=latency_seconds_bucket`, { headers: { Accept: PROTOBUF_ACCEPT, 'Accept-Encoding': 'gzip' } }));
  const plain = get(`${url}?name[]=paths_total&name[]=latency_seconds_bucket`, { headers: { Accept: PROTOBUF_ACCEPT } });
  for (const res of await Promise.all(requests)) {
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(PROTOBUF_CONTENT_TYPE);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(res.body).equals(expected)).toBe(true);
  }
  const res = await plain;
  expect(res.headers['content-type']).toBe(PROTOBUF_CONTENT_TYPE);
  expect(res.body.equals(expected)).toBe(true);
  expect(expected.length).toBeGreaterThan(65536); // more than one chunk: the streamed path
});

it('answers a HEAD with the protobuf content type, and text to a client that does not name protobuf', async () => {
  const url = await serve(bigRegistry());
  const head = await get(url, { method: 'HEAD', headers: { Accept: PROTOBUF_ACCEPT } });
  expect(head.headers['content-type']).toBe(PROTOBUF_CONTENT_TYPE);
  const text = await get(url, { headers: { Accept: '*/*' } });
  expect(text.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
  expect(text.body.toString('utf8')).toContain('latency_seconds_bucket{le="+Inf"} 1');
});
