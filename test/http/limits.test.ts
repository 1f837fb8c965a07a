import { afterEach, describe, expect, it } from '@jest/globals';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { metricsHandler, startHttpServer, UnknownOptionError, type MetricsHttpServer, type MetricsSource } from '../../src/http/index.js';
import { InvalidOptionsError, type MetricFamily, type Sample } from '../../src/model/index.js';
import { gatedSource as gated } from '../support/gated-source.js';
import { waitFor } from '../support/wait-for.js';
import { get } from './http-client.js';

const SMALL: MetricFamily[] = [{ name: 'up', type: 'gauge', help: 'Up.', unit: '', samples: [{ name: 'up', labels: {}, value: 1 }] }];
const small: MetricsSource = { collect: async () => ({ families: SMALL }) };

/** A body far larger than what loopback socket buffers absorb (~20 MB of text). */
function hugeFamilies(): MetricFamily[] {
  const samples: Sample[] = [];
  const pad = 'x'.repeat(80);
  for (let i = 0; i < 150_000; i++) samples.push({ name: 'huge_total', labels: { path: `/${pad}/${i}` }, value: i });
  return [{ name: 'huge', type: 'counter', help: 'Huge.', unit: '', samples }];
}
const huge: MetricsSource = { collect: async () => ({ families: hugeFamilies() }) };

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startServer(options: Parameters<typeof startHttpServer>[0]): Promise<MetricsHttpServer> {
  const server = await startHttpServer({ port: 0, host: '127.0.0.1', ...options });
  cleanups.push(() => server.close());
  return server;
}

/** A plain node:http server around the handler, so the test sees the server side of each socket. */
async function handlerServer(handler: ReturnType<typeof metricsHandler>): Promise<{ server: Server; port: number; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer(handler);
  server.on('connection', (s) => sockets.push(s));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => {
    server.closeAllConnections();
    server.close();
  });
  return { server, port: (server.address() as AddressInfo).port, sockets };
}

/** A raw client that sends a GET for /metrics and then never reads. */
async function stalledReader(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  cleanups.push(() => void socket.destroy());
  await once(socket, 'connect');
  socket.pause();
  socket.write('GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n');
  return socket;
}

describe('write deadline', () => {
  it('destroys the connection of a reader that stopped, having written only part of the body', async () => {
    const { sockets, server } = await handlerServer(metricsHandler({ registry: huge, compression: false, writeTimeout: 300 }));
    await stalledReader((server.address() as AddressInfo).port);
    await waitFor(() => sockets.length === 1);
    const serverSide = sockets[0];
    let maxHeld = 0;
    const sampler = setInterval(() => void (maxHeld = Math.max(maxHeld, serverSide.writableLength)), 5);
    await once(serverSide, 'close');
    clearInterval(sampler);
    // Cut before the body was out: far less than ~20 MB reached the kernel, and the
    // process held no more than a couple of chunks for this reader.
    expect(serverSide.bytesWritten).toBeLessThan(15_000_000);
    expect(maxHeld).toBeLessThan(512 * 1024);
    expect(await new Promise<number>((resolve) => server.getConnections((_, n) => resolve(n)))).toBe(0);
  });
});

describe('scrapes in flight', () => {
  it('answers 503 with Retry-After beyond maxScrapesInFlight, and serves again once one finishes', async () => {
    const source = gated(() => SMALL);
    const { port } = await handlerServer(metricsHandler({ registry: source, maxScrapesInFlight: 2 }));
    const url = `http://127.0.0.1:${port}/metrics`;
    const first = get(url);
    // Another selection, so that it is a collection of its own rather than a shared one.
    const second = get(`${url}?name[]=up`);
    await waitFor(() => source.started === 2);
    const rejected = await get(url);
    expect(rejected.status).toBe(503);
    expect(rejected.headers['retry-after']).toBe('1');
    expect(source.started).toBe(2);
    expect((await get(url, { method: 'HEAD' })).status).toBe(200);
    source.release();
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    expect((await get(url)).status).toBe(200);
  });
});

describe('name[] limit', () => {
  it('answers 400 beyond maxNames, without collecting', async () => {
    let collected = 0;
    const { port } = await handlerServer(metricsHandler({ registry: { collect: async () => (collected++, { families: SMALL }) }, maxNames: 3 }));
    const url = `http://127.0.0.1:${port}/metrics`;
    expect((await get(`${url}?name[]=a&name[]=b&name[]=up`)).status).toBe(200);
    const res = await get(`${url}?name[]=a&name[]=b&name[]=c&name[]=up`);
    expect(res.status).toBe(400);
    expect(res.body.toString()).toContain('at most 3');
    expect(collected).toBe(1);
  });
});

describe('standalone server limits', () => {
  it('closes a connection that never sends a byte once headersTimeout passes', async () => {
    const server = await startServer({ registry: small, headersTimeout: 200, requestTimeout: 400 });
    const silent = connect(server.port, '127.0.0.1');
    cleanups.push(() => void silent.destroy());
    const received: Buffer[] = [];
    silent.on('data', (b: Buffer) => received.push(b));
    silent.on('error', () => undefined);
    await once(silent, 'close');
    expect(Buffer.concat(received).toString()).toMatch(/^(HTTP\/1\.1 408|$)/);
    expect((await get(server.url)).status).toBe(200);
  });

  it('closes connections beyond maxConnections, and accepts again when one goes', async () => {
    const server = await startServer({ registry: small, maxConnections: 2 });
    const held: Socket[] = [];
    for (let i = 0; i < 2; i++) {
      const s = connect(server.port, '127.0.0.1');
      cleanups.push(() => void s.destroy());
      s.on('error', () => undefined);
      held.push(s);
      // A request answered proves the server has counted the connection.
      s.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
      await once(s, 'data');
    }
    const extra = connect(server.port, '127.0.0.1');
    extra.on('error', () => undefined);
    let answered = false;
    extra.on('data', () => void (answered = true));
    extra.write('GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n');
    await once(extra, 'close');
    expect(answered).toBe(false);
    held[0].destroy();
    await waitFor(async () => (await get(server.url).catch(() => ({ status: 0 }))).status === 200);
  });

  it('close() answers an in-flight scrape, closes idle keep-alive connections at once, and resolves', async () => {
    const source = gated(() => SMALL);
    const server = await startHttpServer({ port: 0, registry: source, keepAliveTimeout: 600_000, closeGracePeriod: 600_000 });
    const idle = connect(server.port, '127.0.0.1');
    idle.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await once(idle, 'data');
    const idleClosed = once(idle, 'close');
    const inFlight = get(server.url);
    await waitFor(() => source.started === 1);
    const closed = server.close();
    await idleClosed;
    source.release();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(res.headers.connection).toBe('close');
    await closed;
  });

  it('close() destroys a stalled reader when the grace period ends', async () => {
    const server = await startHttpServer({ port: 0, registry: huge, compression: false, writeTimeout: 0, closeGracePeriod: 200 });
    const reader = await stalledReader(server.port);
    reader.on('error', () => undefined);
    // Wait until the response is under way (its status line reached the socket buffer).
    await waitFor(() => reader.readableLength > 0 || reader.bytesRead > 0);
    // Resolving at all is the point: without the grace period this never returns.
    await server.close();
    const readerClosed = once(reader, 'close');
    reader.resume();
    await readerClosed;
    expect(reader.bytesRead).toBeLessThan(15_000_000);
  });
});

describe('options', () => {
  it('rejects unknown keys with a typed error that suggests the near one', async () => {
    await expect(startHttpServer({ port: 0, maxConections: 3 } as never)).rejects.toThrow(UnknownOptionError);
    await expect(startHttpServer({ port: 0, maxConections: 3 } as never)).rejects.toThrow(/did you mean "maxConnections"/);
    await expect(startHttpServer({ port: 0, tls: {} } as never)).rejects.toThrow(/unknown key "tls"/);
    expect(() => metricsHandler({ compresion: false } as never)).toThrow(UnknownOptionError);
    expect(() => metricsHandler({ writeTimeout: -1 })).toThrow(InvalidOptionsError);
    await expect(startHttpServer({ port: 0, headersTimeout: 5000, requestTimeout: 1000 })).rejects.toThrow(/headersTimeout/);
  });

  it('treats host "" as the loopback default, never as every interface', async () => {
    const server = await startServer({ host: '', registry: small });
    expect(server.host).toBe('127.0.0.1');
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/metrics`);
    expect((await get(server.url)).status).toBe(200);
  });
});
