import { request } from 'node:http';
import type { AddressInfo, Server } from 'node:net';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { encodeProtobuf, PROTOBUF_CONTENT_TYPE, Registry } from '../../src/index.js';
import type { HttpRequestMetrics } from '../../src/adapters/request-metrics/index.js';
import { BIN, describeWithBinaries } from '../support/binaries.js';
import { parseWithPython, type ParsedFamily } from '../support/python-parser.js';

/**
 * The traffic every adapter test sends to an application with the same routes, and what
 * it must record. Each framework's app declares:
 *   GET /orders/:id          200 JSON
 *   GET /api/items/:itemId   200 JSON, in a router mounted at /api (or with prefix /api)
 *   GET /api/broken          throws, in that router
 *   GET /boom                throws (500)
 *   GET /unavailable         answers 503
 *   GET /stream              streams STREAM_CHUNKS chunks of STREAM_CHUNK_BYTES, no Content-Length
 *   POST /echo               reads the body, answers 200 with its length
 *   GET /metrics             the adapter's native metrics endpoint (not measured)
 */
export const STREAM_CHUNKS = 5;
export const STREAM_CHUNK_BYTES = 1000;
export const ECHO_BYTES = 300;

/** The route templates the apps declare (label values allowed besides `unmatched`). */
export const DECLARED_ROUTES: ReadonlySet<string> = new Set(['/orders/:id', '/api/items/:itemId', '/api/broken', '/boom', '/unavailable', '/stream', '/echo']);

interface Call {
  readonly method: string;
  readonly path: string;
  readonly body?: string;
}

const PLAN: readonly Call[] = [
  { method: 'GET', path: '/orders/1' },
  { method: 'GET', path: '/orders/2' },
  { method: 'GET', path: '/orders/abc' },
  { method: 'GET', path: '/orders/7?verbose=1&user=alice' },
  { method: 'GET', path: '/api/items/9' },
  { method: 'GET', path: '/api/items/10' },
  { method: 'GET', path: '/boom' },
  { method: 'GET', path: '/boom?x=1' },
  { method: 'GET', path: '/api/broken' },
  { method: 'GET', path: '/unavailable' },
  { method: 'GET', path: '/stream' },
  { method: 'POST', path: '/echo', body: 'x'.repeat(ECHO_BYTES) },
  { method: 'GET', path: '/no/such/path' },
  { method: 'GET', path: '/orders/1/extra' },
  { method: 'GET', path: '/unknown?token=secret' },
  { method: 'GET', path: '/metrics' },
];

/** The exact requests per `method route status` the plan must produce. */
export const EXPECTED_COUNTS: Readonly<Record<string, number>> = {
  'GET /orders/:id 200': 4,
  'GET /api/items/:itemId 200': 2,
  'GET /boom 500': 2,
  'GET /api/broken 500': 1,
  'GET /unavailable 503': 1,
  'GET /stream 200': 1,
  'POST /echo 200': 1,
  'GET unmatched 404': 3,
};

/** One response as the client saw it. */
export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/** One real HTTP request over loopback. */
export function send(base: string, call: Call, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const sent = call.body === undefined ? headers : { 'content-type': 'text/plain', ...headers };
    const outgoing = request(`${base}${call.path}`, { method: call.method, headers: sent, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
      res.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(call.body);
  });
}

/** Sends the plan; returns the body bytes the client received per `method path` of the stream route. */
export async function sendPlan(base: string): Promise<{ streamBytes: number }> {
  let streamBytes = 0;
  for (const call of PLAN) {
    const reply = await send(base, call);
    if (call.path === '/stream') {
      expect(reply.headers['content-length']).toBeUndefined();
      streamBytes = reply.body.length;
    }
  }
  return { streamBytes };
}

/** The base URL of a listening server. */
export function baseUrl(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Scrapes the native endpoint in `format`, checks its Content-Type and parses it with client_python. */
export async function scrapeParsed(base: string, format: 'text' | 'openmetrics'): Promise<ParsedFamily[]> {
  const accept = format === 'openmetrics' ? 'application/openmetrics-text; version=1.0.0' : 'text/plain; version=0.0.4';
  const reply = await send(base, { method: 'GET', path: '/metrics' }, { accept });
  expect(reply.status).toBe(200);
  expect(String(reply.headers['content-type'])).toContain(format === 'openmetrics' ? 'application/openmetrics-text' : 'text/plain');
  return parseWithPython(reply.body.toString('utf8'), format);
}

/** `method route status` -> value of the `suffix` samples of `family`, as parsed. */
export function bySeries(families: readonly ParsedFamily[], family: string, suffix: '_count' | '_sum'): Record<string, number> {
  const found = families.find((f) => f.name === family);
  const out: Record<string, number> = {};
  for (const sample of found?.samples ?? []) {
    if (sample.name !== family + suffix) continue;
    const { http_request_method: method, http_route: route, http_response_status_code: status } = sample.labels;
    out[`${method} ${route} ${status}`] = sample.value as number;
  }
  return out;
}

/** Every label value of every request metric series (duration, sizes, in flight) in `registry` now. */
export async function requestLabelValues(registry: Registry): Promise<string[]> {
  const { families } = await registry.collect();
  const values: string[] = [];
  for (const family of families) {
    if (!family.name.startsWith('http_server_')) continue;
    for (const sample of family.samples) {
      for (const [name, value] of Object.entries(sample.labels)) if (name !== 'le') values.push(value);
    }
  }
  return values;
}

/** What a label value of the request metrics may be: a declared template, `unmatched`, a method, a status. */
export function isAllowedLabelValue(value: string): boolean {
  return DECLARED_ROUTES.has(value) || value === 'unmatched' || /^[1-5]\d\d$/.test(value) || /^(GET|HEAD|POST|PUT|DELETE|PATCH|OPTIONS|_OTHER)$/.test(value);
}

/** A random request target: an id, a random path, and/or a query string, all client-chosen. */
export const randomTarget: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.string({ minLength: 1, maxLength: 20 }), fc.webQueryParameters()).map(([id, query]) => `/orders/${encodeURIComponent(id)}${query === '' ? '' : `?${query}`}`),
  fc.tuple(fc.string({ minLength: 1, maxLength: 20 })).map(([id]) => `/api/items/${encodeURIComponent(id)}`),
  fc.webPath().map((path) => (path.startsWith('/') ? path : `/${path}`)),
  fc.tuple(fc.webPath(), fc.webQueryParameters()).map(([path, query]) => `/${path.replace(/^\//, '')}?${query}`),
);

/**
 * Sends random targets (fixed seed) and checks after each that no request metric carries
 * a label value the client chose: only templates, `unmatched`, methods and statuses.
 */
export async function checkNoClientValuesLeak(base: string, registry: Registry): Promise<void> {
  await fc.assert(
    fc.asyncProperty(randomTarget, async (target) => {
      await send(base, { method: 'GET', path: target });
      const leaked = (await requestLabelValues(registry)).filter((value) => !isAllowedLabelValue(value));
      expect(leaked).toEqual([]);
    }),
    { seed: 1414, numRuns: 60 },
  );
}

/** Waits until the in-flight gauge is back to 0 (responses close just after the client has them). */
export async function settled(metrics: HttpRequestMetrics): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const families = (await metrics.inFlight?.collect()) ?? [];
    const busy = families.flatMap((family) => family.samples).some((sample) => sample.value !== 0);
    if (!busy) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Checks the scrape after {@link sendPlan}: exact counts, the stream's bytes, the echo's request bytes, in both formats. */
export async function checkPlanRecorded(base: string, streamBytes: number): Promise<void> {
  for (const format of ['text', 'openmetrics'] as const) {
    const families = await scrapeParsed(base, format);
    expect(bySeries(families, 'http_server_request_duration_seconds', '_count')).toEqual(EXPECTED_COUNTS);
    const responseSizes = bySeries(families, 'http_server_response_body_size_bytes', '_sum');
    expect(streamBytes).toBe(STREAM_CHUNKS * STREAM_CHUNK_BYTES);
    expect(responseSizes['GET /stream 200']).toBe(streamBytes);
    const requestSizes = bySeries(families, 'http_server_request_body_size_bytes', '_sum');
    expect(requestSizes['POST /echo 200']).toBe(ECHO_BYTES);
  }
}

/** An application under test, listening on 127.0.0.1. */
export interface RunningApp {
  readonly base: string;
  readonly registry: Registry;
  readonly metrics: HttpRequestMetrics;
  close(): Promise<void>;
}

/**
 * The tests every adapter passes on its framework's real server: the plan's exact counts,
 * sizes and statuses in the native /metrics (parsed by client_python in both formats),
 * then the leak property. `alsoCheck` adds the adapter's own checks after the plan.
 */
export function describeAdapter(title: string, start: () => Promise<RunningApp>, alsoCheck?: (app: RunningApp) => Promise<void>): void {
  describeWithBinaries([BIN.python3], title, () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await start();
    });
    afterAll(() => app.close());

    it('counts each route template exactly, errors with their status, streamed bytes and request bodies; /metrics parses', async () => {
      const { streamBytes } = await sendPlan(app.base);
      await settled(app.metrics);
      await checkPlanRecorded(app.base, streamBytes);
      await alsoCheck?.(app);
    });

    it('never labels with a path, id or query string the client sent', async () => {
      await checkNoClientValuesLeak(app.base, app.registry);
    });

    it('serves only the families named by name[] on its native /metrics', async () => {
      const names = ['http_server_active_requests', 'http_server_request_duration_seconds_count'];
      const reply = await send(app.base, { method: 'GET', path: `/metrics?${names.map((n) => `name[]=${n}`).join('&')}` }, { accept: 'text/plain; version=0.0.4' });
      expect(reply.status).toBe(200);
      const families = await parseWithPython(reply.body.toString('utf8'), 'text');
      const sampleNames = new Set(families.flatMap((family) => family.samples.map((sample) => sample.name)));
      expect([...sampleNames].sort()).toEqual(names);
    });

    it('serves the protobuf exposition, as bytes, to a scraper that asks for it', async () => {
      const names = ['http_server_request_duration_seconds_count'];
      const accept = 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited';
      const reply = await send(app.base, { method: 'GET', path: `/metrics?name[]=${names[0]}` }, { accept });
      expect(reply.status).toBe(200);
      expect(String(reply.headers['content-type'])).toBe(PROTOBUF_CONTENT_TYPE);
      const expected = encodeProtobuf((await app.registry.collect({ names })).families);
      expect(expected.length).toBeGreaterThan(50);
      expect(reply.body.equals(Buffer.from(expected))).toBe(true);
    });
  });
}
