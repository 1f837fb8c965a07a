import { afterEach, describe, expect, it } from '@jest/globals';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { metricsHandler } from '../../src/http/index.js';
import { InvalidOptionsError } from '../../src/model/index.js';
import { Registry } from '../../src/registry/index.js';
import { get } from './http-client.js';

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});

function value(body: string, series: string): number | undefined {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('promkit_http_* self-metrics', () => {
  it('count responses by code, rejected scrapes by reason, and scrapes in flight', async () => {
    const registry = new Registry();
    const server = createServer(metricsHandler({ registry, selfMetrics: true, maxNames: 1, compression: false }));
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
    expect((await get(url)).status).toBe(200);
    expect((await get(url, { method: 'POST' })).status).toBe(405);
    expect((await get(`${url}?name[]=a&name[]=b`)).status).toBe(400);
    const body = (await get(url)).body.toString();
    expect(value(body, 'promkit_http_requests_total{code="200"}')).toBe(1);
    expect(value(body, 'promkit_http_requests_total{code="405"}')).toBe(1);
    expect(value(body, 'promkit_http_requests_total{code="400"}')).toBe(1);
    expect(value(body, 'promkit_http_scrapes_rejected_total{reason="too_many_names"}')).toBe(1);
    expect(value(body, 'promkit_http_scrapes_rejected_total{reason="in_flight"}')).toBe(0);
    // The scrape reading these is itself in flight.
    expect(value(body, 'promkit_http_scrapes_in_flight')).toBe(1);
  });

  it('are shared by every handler of one registry, and need a Registry', () => {
    const registry = new Registry();
    metricsHandler({ registry, selfMetrics: true });
    expect(() => metricsHandler({ registry, selfMetrics: true })).not.toThrow();
    expect(() => metricsHandler({ registry: { collect: async () => ({ families: [] }) }, selfMetrics: true })).toThrow(InvalidOptionsError);
  });
});
