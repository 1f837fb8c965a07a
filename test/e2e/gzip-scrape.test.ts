import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { gunzipSync } from 'node:zlib';
import { DEFAULT_CHUNK_SIZE, encodeOpenMetrics, encodeText, OPENMETRICS_CONTENT_TYPE, TEXT_CONTENT_TYPE } from '../../src/exposition/index.js';
import { startHttpServer, type MetricsHttpServer } from '../../src/http/index.js';
import { Counter, Histogram } from '../../src/metrics/index.js';
import { Registry } from '../../src/registry/index.js';
import { BIN, describeWithBinaries } from '../support/binaries.js';
import { parseWithPython, type ParserFormat } from '../support/python-parser.js';
import { get } from '../http/http-client.js';

// A scrape big enough to take the handler's streamed path (several encoder chunks, no
// Content-Length), asked for gzipped over a real socket, then gunzipped and read by
// client_python's parsers: the bytes on the wire must be one valid gzip stream of the
// whole exposition, in both formats.

const SERIES = 3000;

describeWithBinaries([BIN.python3], 'a gzipped scrape of a multi-chunk body, end to end', () => {
  const registry = new Registry();
  let server: MetricsHttpServer;

  beforeAll(async () => {
    const requests = new Counter({ name: 'http_requests', help: 'Requests served.', labelNames: ['path', 'method'], registry });
    const latency = new Histogram({ name: 'http_latency_seconds', help: 'Latency.', labelNames: ['path'], buckets: [0.01, 0.1, 1], registry });
    for (let i = 0; i < SERIES; i++) {
      requests.inc({ path: `/api/v1/items/${i}`, method: i % 2 === 0 ? 'GET' : 'POST' }, i + 1);
      if (i % 10 === 0) latency.observe({ path: `/api/v1/items/${i}` }, (i % 7) / 10);
    }
    server = await startHttpServer({ port: 0, host: '127.0.0.1', registry });
  });

  afterAll(async () => {
    await server?.close();
  });

  it.each([
    ['openmetrics', OPENMETRICS_CONTENT_TYPE, 'application/openmetrics-text;version=1.0.0', encodeOpenMetrics],
    ['text', TEXT_CONTENT_TYPE, 'text/plain;version=0.0.4', encodeText],
  ] as const)('%s: one gzip stream of the whole body, parsed by client_python', async (format, contentType, accept, encode) => {
    const res = await get(server.url, { headers: { Accept: accept, 'Accept-Encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(contentType);
    expect(res.headers['content-encoding']).toBe('gzip');
    // Streamed, not buffered: no length up front.
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.headers['transfer-encoding']).toBe('chunked');

    const body = gunzipSync(res.body).toString('utf8');
    expect(Buffer.byteLength(body)).toBeGreaterThan(3 * DEFAULT_CHUNK_SIZE);
    expect(res.body.length).toBeLessThan(Buffer.byteLength(body) / 3);
    // The registry's state does not change between scrapes, so the body is exactly one encoding.
    expect(body).toBe(encode((await registry.collect()).families));

    const parsed = await parseWithPython(body, format satisfies ParserFormat);
    const samples = parsed.flatMap((f) => f.samples);
    const totals = samples.filter((s) => s.name === 'http_requests_total');
    expect(totals).toHaveLength(SERIES);
    expect(totals.reduce((sum, s) => sum + (s.value as number), 0)).toBe((SERIES * (SERIES + 1)) / 2);
    expect(totals[SERIES - 1]).toMatchObject({ labels: { path: `/api/v1/items/${SERIES - 1}`, method: 'POST' }, value: SERIES });
    expect(samples.filter((s) => s.name === 'http_latency_seconds_count')).toHaveLength(SERIES / 10);
  });
});
