import { afterEach, describe, expect, it } from '@jest/globals';
import { Agent } from 'node:http';
import { encodeText, TEXT_CONTENT_TYPE } from '../../src/exposition/index.js';
import { startHttpServer, type MetricsHttpServer } from '../../src/http/index.js';
import type { MetricFamily } from '../../src/model/index.js';
import { defaultRegistry, Registry } from '../../src/registry/index.js';
import { onFreePort } from '../support/ports.js';
import { get } from './http-client.js';

const FAMILIES: MetricFamily[] = [{ name: 'up', type: 'gauge', help: 'Up.', unit: '', samples: [{ name: 'up', labels: {}, value: 1 }] }];
const source = { collect: async () => ({ families: FAMILIES }) };

const started: MetricsHttpServer[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) await s.close();
});

async function start(options: Parameters<typeof startHttpServer>[0] = {}): Promise<MetricsHttpServer> {
  const server = await startHttpServer({ port: 0, registry: source, ...options });
  started.push(server);
  return server;
}

describe('startHttpServer', () => {
  it('binds 127.0.0.1 on an ephemeral port and serves /metrics', async () => {
    const server = await start();
    expect(server.host).toBe('127.0.0.1');
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/metrics`);
    const res = await get(server.url);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(TEXT_CONTENT_TYPE);
    expect(res.body.toString()).toBe(encodeText(FAMILIES));
  });

  it('listens on the port it is given', async () => {
    let asked = -1;
    const server = await onFreePort((port) => start({ port: (asked = port) }));
    expect(server.port).toBe(asked);
    expect((await get(`http://127.0.0.1:${asked}/metrics`)).status).toBe(200);
  });

  it('serves a custom path, ignores the query when routing, 404s elsewhere', async () => {
    const server = await start({ path: '/internal/metrics' });
    const base = `http://127.0.0.1:${server.port}`;
    expect((await get(`${base}/internal/metrics?name[]=up`)).body.toString()).toBe(encodeText(FAMILIES));
    expect((await get(`${base}/metrics`)).status).toBe(404);
    expect((await get(`${base}/internal/metrics/`)).status).toBe(404);
    expect((await get(`${base}/favicon.ico`)).status).toBe(404);
  });

  it('answers / with a page linking to the metrics', async () => {
    const server = await start({ path: '/m"<x>' });
    const res = await get(`http://127.0.0.1:${server.port}/`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body.toString()).toContain('<a href="/m&#34;&#60;x&#62;">');
  });

  it('serves the default registry when none is given', async () => {
    const server = await startHttpServer({ port: 0 });
    started.push(server);
    const res = await get(server.url);
    expect(res.status).toBe(200);
    const { families } = await defaultRegistry.collect();
    expect(res.body.toString()).toBe(encodeText(families));
  });

  it('serves a real Registry', async () => {
    const registry = new Registry();
    registry.register({ collectorName: 'up', describe: () => [{ name: 'up', type: 'gauge' }], collect: () => FAMILIES });
    const server = await start({ registry });
    expect((await get(server.url)).body.toString()).toContain('up 1.0\n');
  });

  it('rejects a busy port and bad options', async () => {
    const server = await start();
    await expect(startHttpServer({ port: server.port, registry: source })).rejects.toThrow(/EADDRINUSE/);
    await expect(startHttpServer({ port: 0, path: 'metrics' })).rejects.toThrow(/must start with/);
    await expect(startHttpServer({ port: 70000 })).rejects.toThrow(/0\.\.65535/);
  });

  it('close() returns promptly with idle keep-alive clients, then refuses connections', async () => {
    const server = await startHttpServer({ port: 0, registry: source });
    const agent = new Agent({ keepAlive: true, keepAliveMsecs: 60_000 });
    try {
      const res = await get(server.url, { agent });
      expect(res.headers.connection).toBe('keep-alive');
      const t0 = Date.now();
      await server.close();
      // Without closing idle sockets, close() would wait for Node's 5 s keep-alive timeout;
      // the ceiling sits well below that and far above a prompt close on a busy machine.
      expect(Date.now() - t0).toBeLessThan(2000);
      await expect(get(server.url)).rejects.toThrow(/ECONNREFUSED/);
      await server.close(); // idempotent
    } finally {
      agent.destroy();
    }
  });

  it('close() lets a response in flight finish', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const server = await startHttpServer({
      port: 0,
      registry: {
        collect: async () => {
          await gate;
          return { families: FAMILIES };
        },
      },
    });
    const agent = new Agent({ keepAlive: true });
    try {
      const pending = get(server.url, { agent });
      await new Promise((r) => setTimeout(r, 100));
      const closing = server.close();
      release();
      const res = await pending;
      expect(res.status).toBe(200);
      expect(res.body.toString()).toBe(encodeText(FAMILIES));
      await closing;
    } finally {
      agent.destroy();
    }
  });
});
