import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { types } from 'node:util';
import fc from 'fast-check';
import { InvalidOptionsError, type MetricFamily } from '../../src/model/index.js';
import { Registry } from '../../src/registry/index.js';
import { deleteFromGateway, groupingPath, pushAddToGateway, pushToGateway, PushError } from '../../src/push/index.js';
import { freePort } from '../support/ports.js';

/**
 * The Pushgateway client's failures, against real sockets on 127.0.0.1: a closed port, a
 * server that never answers, one that hangs up mid-request, and answers of any status. The
 * happy paths against a real gateway live in test/e2e/pushgateway.test.ts.
 */

function oneGauge(): Registry {
  const registry = new Registry();
  registry.register({
    collectorName: 'batch',
    collect: (): MetricFamily[] => [{ name: 'rows', type: 'gauge', help: 'Rows.', unit: '', samples: [{ name: 'rows', labels: {}, value: 3 }] }],
  });
  return registry;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A real HTTP server on 127.0.0.1 whose sockets are destroyed when the test ends. */
async function serve(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<string> {
  const sockets = new Set<Socket>();
  const server = createServer(handler);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const close = server.close.bind(server);
  server.close = ((callback?: (error?: Error) => void) => {
    for (const socket of sockets) socket.destroy();
    return close(callback);
  }) as Server['close'];
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return `http://127.0.0.1:${address.port}`;
}

async function rejection(promise: Promise<unknown>): Promise<PushError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof PushError)) throw new Error(`expected a PushError, got ${String(error)}`);
  return error;
}

/** Every error message along the cause chain, for asserting on the system error's code. */
function causeChain(error: unknown): string {
  const parts: string[] = [];
  for (let e = error; types.isNativeError(e); e = e.cause) {
    parts.push(e.message, String((e as { code?: unknown }).code ?? ''));
    if ('errors' in e && Array.isArray(e.errors)) parts.push(...e.errors.map((inner: unknown) => causeChain(inner)));
  }
  return parts.join(' ');
}

describe('PushError when the gateway cannot be reached', () => {
  it('a closed port on 127.0.0.1: every call rejects with a PushError naming the URL, the cause attached', async () => {
    const port = await freePort(); // asked of the kernel and released: nothing listens there
    const gateway = `http://127.0.0.1:${port}`;
    const calls = [
      () => pushToGateway(gateway, 'nightly', oneGauge(), { groupingKey: { instance: 'a' } }),
      () => pushAddToGateway(gateway, 'nightly', oneGauge(), { groupingKey: { instance: 'a' } }),
      () => deleteFromGateway(gateway, 'nightly', { groupingKey: { instance: 'a' } }),
    ];
    for (const call of calls) {
      const error = await rejection(call());
      expect(error.url).toBe(`${gateway}/metrics/job/nightly/instance/a`);
      expect(error.status).toBeUndefined();
      expect(error.message).toContain(`Pushgateway at ${gateway}/metrics/job/nightly/instance/a could not be reached`);
      expect(error.message).toContain('ECONNREFUSED');
      expect(causeChain(error.cause)).toContain('ECONNREFUSED');
    }
  });

  it('a gateway address without a scheme is reached over http, and its failure names that URL', async () => {
    const port = await freePort();
    const error = await rejection(pushToGateway(`127.0.0.1:${port}/`, 'j', oneGauge()));
    expect(error.url).toBe(`http://127.0.0.1:${port}/metrics/job/j`);
  });

  it('a gateway that accepts the connection but never answers: a PushError once the timeout passes', async () => {
    let requests = 0;
    const gateway = await serve(() => {
      requests++; // and never answer
    });
    const error = await rejection(pushToGateway(gateway, 'slow', oneGauge(), { timeoutSeconds: 0.2 }));
    expect(requests).toBe(1);
    expect(error.status).toBeUndefined();
    expect(error.url).toBe(`${gateway}/metrics/job/slow`);
    expect((error.cause as Error).name).toBe('TimeoutError');
  });

  it('a gateway that hangs up before answering: a PushError, not a bare TypeError', async () => {
    const gateway = await serve((request) => request.socket.destroy());
    const error = await rejection(deleteFromGateway(gateway, 'gone'));
    expect(error.status).toBeUndefined();
    // fetch's errors come from Node's realm, not jest's: checked by name, not instanceof.
    expect(types.isNativeError(error.cause)).toBe(true);
    expect(error.message).toMatch(/could not be reached: fetch failed/);
  });

  it('a gateway that cuts its answer short: a PushError', async () => {
    const gateway = await serve((_request, response) => {
      response.writeHead(200, { 'Content-Length': '100' });
      response.write('partial');
      setImmediate(() => response.socket?.destroy());
    });
    const error = await rejection(pushToGateway(gateway, 'cut', oneGauge()));
    expect(error.status).toBeUndefined();
    expect(error.url).toBe(`${gateway}/metrics/job/cut`);
  });

  it('a gateway URL that does not parse: a PushError, the parse failure as cause', async () => {
    const error = await rejection(pushToGateway('http://[not-an-address', 'j', oneGauge()));
    expect(error.url).toBe('http://[not-an-address/metrics/job/j');
    expect((error.cause as Error).name).toBe('TypeError');
    expect(error.message).toMatch(/Invalid URL|Failed to parse URL/);
  });
});

describe('answers of any status', () => {
  it('resolves on 2xx; any other status rejects with that status and body (seeded property)', async () => {
    let next = { status: 200, body: '' };
    const seen: string[] = [];
    const gateway = await serve((request, response) => {
      seen.push(request.method ?? '');
      request.resume();
      request.on('end', () => {
        response.writeHead(next.status, { 'Content-Type': 'text/plain' });
        response.end(next.body);
      });
    });
    // Statuses that may carry a body (204/205/304 may not) and that fetch accepts as a final answer.
    const status = fc.integer({ min: 200, max: 599 }).filter((s) => s !== 204 && s !== 205 && s !== 304);
    await fc.assert(
      fc.asyncProperty(status, fc.string({ maxLength: 40 }), async (code, body) => {
        next = { status: code, body };
        const outcome = await pushAddToGateway(gateway, 'any', oneGauge()).then(
          () => 'resolved' as const,
          (e: unknown) => e,
        );
        if (code < 300) {
          expect(outcome).toBe('resolved');
        } else {
          expect(outcome).toBeInstanceOf(PushError);
          expect(outcome).toMatchObject({ status: code, body, url: `${gateway}/metrics/job/any` });
        }
      }),
      { seed: 11, numRuns: 40 },
    );
    expect(seen.every((method) => method === 'POST')).toBe(true);
  });
});

describe('groupingPath', () => {
  /** The Pushgateway's reading of a path: `label/value` URL-decoded, `label@base64/value` base64url-decoded. */
  function decode(path: string): Record<string, string> {
    const parts = path.replace(/^\/metrics\//, '').split('/');
    const labels: Record<string, string> = {};
    for (let i = 0; i < parts.length; i += 2) {
      const [name, value] = [parts[i]!, parts[i + 1]!];
      if (name.endsWith('@base64')) labels[name.slice(0, -'@base64'.length)] = value === '=' ? '' : Buffer.from(value, 'base64url').toString('utf8');
      else labels[name] = decodeURIComponent(value);
    }
    return labels;
  }

  const labelName = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,8}$/).filter((n) => !n.startsWith('__') && n !== 'job');

  it('every job and grouping value reads back as given (seeded property, any well-formed unicode)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.dictionary(labelName, fc.string({ unit: 'grapheme' }), { maxKeys: 4 }), (job, key) => {
        expect(decode(groupingPath(job, key))).toEqual({ job, ...key });
      }),
      { seed: 11, numRuns: 500 },
    );
  });

  it('rejects a grouping label name the gateway would refuse, and a lone surrogate, with InvalidOptionsError', async () => {
    expect(() => groupingPath('j', { 'bad-name': 'x' })).toThrow(InvalidOptionsError);
    expect(() => groupingPath('j', { __reserved: 'x' })).toThrow(InvalidOptionsError);
    expect(() => groupingPath('j', { instance: 'a\uD800b' })).toThrow(/lone surrogate/);
    expect(() => groupingPath('\uDC00', {})).toThrow(InvalidOptionsError);
    expect(groupingPath('j', { instance: '\uD83D\uDE00' })).toBe('/metrics/job/j/instance/%F0%9F%98%80');
    await expect(pushToGateway('http://127.0.0.1:1', 'j', oneGauge(), { groupingKey: { 'a-b': 'x' } })).rejects.toThrow(InvalidOptionsError);
  });
});
