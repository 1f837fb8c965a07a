import { afterEach, describe, expect, it } from '@jest/globals';
import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeText } from '../../src/exposition/index.js';
import { metricsHandler, type MetricsSource } from '../../src/http/index.js';
import type { MetricFamily, Sample } from '../../src/model/index.js';
import { gatedSource as gated } from '../support/gated-source.js';
import { waitFor } from '../support/wait-for.js';
import { get } from './http-client.js';

function families(series: number): MetricFamily[] {
  const samples: Sample[] = [];
  for (let i = 0; i < series; i++) samples.push({ name: 'items', labels: { id: String(i) }, value: i });
  return [
    { name: 'items', type: 'gauge', help: 'Items.', unit: '', samples },
    { name: 'other', type: 'gauge', help: 'Other.', unit: '', samples: [{ name: 'other', labels: {}, value: 1 }] },
  ];
}

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});

let requests = 0;

/** Serves `source`; `requests` counts the requests the handler was given (each joins at once). */
async function serve(source: MetricsSource, shareScrapes = true): Promise<string> {
  requests = 0;
  const handler = metricsHandler({ registry: source, compression: false, shareScrapes });
  const server = createServer((req, res) => {
    requests++;
    handler(req, res);
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
}

describe('shared scrapes', () => {
  it('concurrent identical scrapes share one collection; each gets the whole body (streamed or not)', async () => {
    for (const series of [3, 20_000]) {
      const source = gated(() => families(series));
      const url = await serve(source);
      const answers = Array.from({ length: 6 }, () => get(url));
      await waitFor(() => requests === 6);
      source.release();
      const bodies = (await Promise.all(answers)).map((a) => a.body.toString());
      expect(source.started).toBe(1);
      for (const body of bodies) expect(body).toBe(encodeText(families(series)));
    }
  });

  it('with shareScrapes: false, each request collects for itself', async () => {
    const source = gated(() => families(3));
    const url = await serve(source, false);
    const answers = Array.from({ length: 3 }, () => get(url));
    await waitFor(() => requests === 3);
    source.release();
    for (const answer of await Promise.all(answers)) expect(answer.body.toString()).toBe(encodeText(families(3)));
    expect(source.started).toBe(3);
  });

  it('a different name[] selection is a different collection', async () => {
    const source = gated(() => families(3));
    const url = await serve(source);
    const all = get(url);
    const some = get(`${url}?name[]=other`);
    await waitFor(() => source.started === 2);
    source.release();
    expect((await some).body.toString()).toBe(encodeText(families(3).slice(1)));
    expect((await all).body.toString()).toBe(encodeText(families(3)));
  });

  it('the others still get their body when the scraper that started the collection hangs up', async () => {
    const source = gated(() => families(3));
    const url = await serve(source);
    const first = request(url);
    first.on('error', () => undefined);
    first.end();
    await waitFor(() => source.started === 1);
    const second = get(url);
    await waitFor(() => requests === 2);
    first.destroy();
    await waitFor(() => servers[0].listenerCount('request') > 0 && first.destroyed);
    source.release();
    expect((await second).body.toString()).toBe(encodeText(families(3)));
    expect(source.started).toBe(1);
  });
});
