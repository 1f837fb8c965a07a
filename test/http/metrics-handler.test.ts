import { afterEach, describe, expect, it } from '@jest/globals';
import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { encodeOpenMetrics, encodeText, OPENMETRICS_CONTENT_TYPE, TEXT_CONTENT_TYPE } from '../../src/exposition/index.js';
import { metricsHandler, type MetricsSource } from '../../src/http/index.js';
import type { MetricFamily, Sample } from '../../src/model/index.js';
import { vouchForFamily } from '../../src/model/vouched-families.js';
import { Registry, type CollectorFailure } from '../../src/registry/index.js';
import { get } from './http-client.js';

const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

const FAMILIES: MetricFamily[] = [
  { name: 'jobs', type: 'counter', help: 'Jobs done.', unit: '', samples: [{ name: 'jobs_total', labels: { queue: 'a"b' }, value: 3 }, { name: 'jobs_created', labels: { queue: 'a"b' }, value: 1.7e9 }] },
  { name: 'depth', type: 'gauge', help: 'Queue depth.', unit: '', samples: [{ name: 'depth', labels: {}, value: 7 }] },
];

function bigFamilies(series: number): MetricFamily[] {
  const samples: Sample[] = [];
  for (let i = 0; i < series; i++) samples.push({ name: 'big_total', labels: { path: `/api/v1/items/${i}`, method: 'GET' }, value: i });
  return [{ name: 'big', type: 'counter', help: 'Big.', unit: '', samples }];
}

/**
 * `count` families of 1000 series each (`f<i>_total`); `onRead(i)` is called whenever the
 * encoder reads family i's samples, so a test can see how far encoding has got, and when.
 */
function watchedFamilies(count: number, onRead: (family: number) => void): MetricFamily[] {
  const families: MetricFamily[] = [];
  for (let f = 0; f < count; f++) {
    const samples = bigFamilies(1000)[0].samples.map((s) => ({ ...s, name: `f${f}_total` }));
    // Vouched for, as an instrument's family is: the pipeline neither checks nor copies it,
    // so its samples are read by encoding alone. (Any other family is copied before the
    // status line, and the copy is what is encoded.)
    families.push(
      vouchForFamily({
        name: `f${f}`,
        type: 'counter',
        help: 'h',
        unit: '',
        get samples() {
          onRead(f);
          return samples;
        },
      }),
    );
  }
  return families;
}

/** A source that hands out fixed families and records how it was asked (it ignores names). */
class FakeSource implements MetricsSource {
  calls: { names?: readonly string[]; signal?: AbortSignal }[] = [];
  constructor(public families: MetricFamily[] = FAMILIES) {}
  async collect(options: { names?: readonly string[]; signal?: AbortSignal } = {}): Promise<{ families: MetricFamily[] }> {
    this.calls.push(options);
    return { families: this.families };
  }
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function serve(source: MetricsSource, compression?: boolean): Promise<string> {
  const server = createServer(metricsHandler({ registry: source, compression }));
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
}

describe('metricsHandler', () => {
  it('GET answers the text format by default, with length and no-store', async () => {
    const url = await serve(new FakeSource());
    const res = await get(url);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(TEXT_CONTENT_TYPE);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['content-length']).toBe(String(res.body.length));
    expect(res.body.toString()).toBe(encodeText(FAMILIES));
  });

  it.each([
    [PROMETHEUS_ACCEPT, OPENMETRICS_CONTENT_TYPE],
    ['application/openmetrics-text', OPENMETRICS_CONTENT_TYPE],
    ['text/plain;version=0.0.4', TEXT_CONTENT_TYPE],
    ['*/*', TEXT_CONTENT_TYPE],
    ['application/openmetrics-text;q=0,*/*', TEXT_CONTENT_TYPE],
  ])('negotiates the format from Accept %j', async (accept, contentType) => {
    const url = await serve(new FakeSource());
    const res = await get(url, { headers: { Accept: accept } });
    expect(res.headers['content-type']).toBe(contentType);
    expect(res.body.toString()).toBe(contentType === TEXT_CONTENT_TYPE ? encodeText(FAMILIES) : encodeOpenMetrics(FAMILIES));
    expect(res.headers.vary).toBe('Accept, Accept-Encoding');
  });

  it('gzips when Accept-Encoding allows it, and not when it refuses', async () => {
    const url = await serve(new FakeSource());
    const zipped = await get(url, { headers: { Accept: PROMETHEUS_ACCEPT, 'Accept-Encoding': 'gzip' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['content-length']).toBe(String(zipped.body.length));
    expect(gunzipSync(zipped.body).toString()).toBe(encodeOpenMetrics(FAMILIES));
    const plain = await get(url, { headers: { 'Accept-Encoding': 'gzip;q=0, deflate' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(encodeText(FAMILIES));
  });

  it('does not gzip when compression is off', async () => {
    const url = await serve(new FakeSource(), false);
    const res = await get(url, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers.vary).toBe('Accept');
    expect(res.body.toString()).toBe(encodeText(FAMILIES));
  });

  it('HEAD answers the GET headers without a body and without collecting', async () => {
    const source = new FakeSource();
    const url = await serve(source);
    const res = await get(url, { method: 'HEAD', headers: { Accept: PROMETHEUS_ACCEPT, 'Accept-Encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(OPENMETRICS_CONTENT_TYPE);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.body.length).toBe(0);
    expect(source.calls).toHaveLength(0);
  });

  it.each(['POST', 'PUT', 'DELETE', 'OPTIONS'])('%s gets 405 with Allow: GET, HEAD', async (method) => {
    const source = new FakeSource();
    const url = await serve(source);
    const res = await get(url, { method });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
    expect(source.calls).toHaveLength(0);
  });

  it('selects samples with name[] (passed to the source, and applied to sources that ignore it)', async () => {
    const source = new FakeSource();
    const url = await serve(source);
    const res = await get(`${url}?name[]=jobs_total&name%5B%5D=depth&name[]=&other=x`);
    expect(source.calls[0].names).toEqual(['jobs_total', 'depth']);
    expect(res.body.toString()).toBe(
      '# HELP jobs_total Jobs done.\n# TYPE jobs_total counter\njobs_total{queue="a\\"b"} 3.0\n# HELP depth Queue depth.\n# TYPE depth gauge\ndepth 7.0\n',
    );
    expect(source.calls[0].signal).toBeInstanceOf(AbortSignal);
  });

  it('answers 500 naming only an error id, which the warning carries with the real error; keeps serving afterwards', async () => {
    const warnings: string[] = [];
    const original = process.emitWarning;
    process.emitWarning = ((w: string) => void warnings.push(w)) as typeof process.emitWarning;
    let fail = true;
    const url = await serve({
      async collect() {
        if (fail) throw new Error('database unreachable');
        return { families: FAMILIES };
      },
    });
    const failed = await get(url);
    expect(failed.status).toBe(500);
    expect(failed.headers['content-type']).toBe('text/plain; charset=utf-8');
    const body = failed.body.toString();
    expect(body).not.toContain('database');
    const id = /error id ([0-9a-f]{12})/.exec(body)?.[1];
    expect(id).toBeDefined();
    process.emitWarning = original;
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`error id ${id}`);
    expect(warnings[0]).toContain('database unreachable');
    fail = false;
    const ok = await get(url);
    expect(ok.status).toBe(200);
    expect(ok.body.toString()).toBe(encodeText(FAMILIES));
  });

  it('serves a real Registry; a failing collector is left out, not a failed scrape', async () => {
    const registry = new Registry({ onCollectorError: () => undefined });
    registry.register({ collectorName: 'ok', describe: () => [{ name: 'depth', type: 'gauge' }], collect: () => [FAMILIES[1]] });
    registry.register({
      collectorName: 'broken',
      describe: () => [{ name: 'broken_value', type: 'gauge' }],
      collect: () => {
        throw new Error('nope');
      },
    });
    const url = await serve(registry);
    const res = await get(url);
    expect(res.status).toBe(200);
    const body = res.body.toString();
    expect(body).toContain('depth 7.0\n');
    expect(body).not.toContain('broken_value ');
    const only = await get(`${url}?name[]=depth`);
    expect(only.body.toString()).toBe('# HELP depth Queue depth.\n# TYPE depth gauge\ndepth 7.0\n');
  });

  it("answers before the scraper's X-Prometheus-Scrape-Timeout-Seconds, leaving a slow collector out", async () => {
    const failures: CollectorFailure[] = [];
    const registry = new Registry({ onCollectorError: (f) => void failures.push(f) });
    registry.register({ collectorName: 'ok', describe: () => [{ name: 'depth', type: 'gauge' }], collect: () => [FAMILIES[1]] });
    let aborted = false;
    registry.register({
      collectorName: 'slow',
      // Answers (with nothing) only long after the registry's own 10 s default timeout.
      collect: (ctx) =>
        new Promise<MetricFamily[]>((resolve) => {
          const timer = setTimeout(() => resolve([]), 20_000);
          ctx.signal.addEventListener('abort', () => {
            aborted = true;
            clearTimeout(timer);
          });
        }),
    });
    const url = await serve(registry);
    const started = performance.now();
    const res = await get(url, { headers: { 'X-Prometheus-Scrape-Timeout-Seconds': '0.8' } });
    const seconds = (performance.now() - started) / 1000;
    // The timeout in effect, not the elapsed time, shows the header was used: collectors get
    // max(0.8 - 0.5, 0.8 / 2) = 0.4 s instead of the registry's 10 s.
    expect(failures.map((f) => [f.collector, f.reason, f.error instanceof Error ? f.error.message : f.error])).toEqual([
      ['slow', 'timeout', 'collector "slow" did not answer within 0.4 s'],
    ]);
    expect(aborted).toBe(true);
    expect(seconds).toBeGreaterThanOrEqual(0.39);
    const body = res.body.toString();
    expect(body).toContain('depth 7.0\n');
    expect(body).toContain('promkit_collector_success{collector="slow"} 0.0\n');
  });

  it('streams a big body in chunks (no length), plain and gzipped, byte-exact', async () => {
    const families = bigFamilies(30000);
    const url = await serve(new FakeSource(families));
    const plain = await get(url, { headers: { Accept: PROMETHEUS_ACCEPT } });
    expect(plain.headers['transfer-encoding']).toBe('chunked');
    expect(plain.headers['content-length']).toBeUndefined();
    expect(plain.body.toString()).toBe(encodeOpenMetrics(families));
    const zipped = await get(url, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.body).toString()).toBe(encodeText(families));
  });

  it('does not block the event loop while writing a big body: encoding is spread over many loop turns', async () => {
    // Counted, not timed: a ticker that re-arms itself with setImmediate advances `turn` once per
    // loop iteration. A handler that encoded the body in one go would touch every family in a
    // single turn; one that yields between ~64 KiB pieces touches them across many.
    let turn = 0;
    const turnsSeen = new Set<number>();
    const families = watchedFamilies(200, () => turnsSeen.add(turn));
    const url = await serve(new FakeSource(families));
    let ticking = true;
    const tick = (): void => {
      turn++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    let body: Buffer;
    try {
      body = (await get(url)).body;
    } finally {
      ticking = false;
    }
    // ~9 MB in ~64 KiB pieces is ~140 pieces; each piece waits for a turn of its own.
    expect(turnsSeen.size).toBeGreaterThan(families.length / 4);
    expect(body.toString()).toBe(encodeText(families));
  });

  it('waits for a slow reader instead of encoding everything into memory', async () => {
    let touched = 0;
    const families = watchedFamilies(400, (f) => (touched = Math.max(touched, f + 1)));
    const url = await serve(new FakeSource(families));
    const received: Buffer[] = [];
    let touchedWhilePaused = -1;
    await new Promise<void>((resolve, reject) => {
      const req = request(url, (res) => {
        res.once('data', () => {
          res.pause();
          setTimeout(() => {
            touchedWhilePaused = touched;
            res.resume();
          }, 500);
        });
        res.on('data', (b: Buffer) => received.push(b));
        res.on('end', resolve);
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
    // ~20 MB of text: socket buffers hold a few MB, the rest must wait for the reader.
    expect(touchedWhilePaused).toBeGreaterThan(0);
    expect(touchedWhilePaused).toBeLessThan(families.length);
    expect(touched).toBe(families.length);
    expect(Buffer.concat(received).toString()).toBe(encodeText(families));
  });

  it.each([
    ['plain', {}],
    ['gzip', { 'Accept-Encoding': 'gzip' }],
  ])('stops writing when the scraper hangs up mid-body (%s), and keeps serving', async (_, headers) => {
    let touched = 0;
    const families = watchedFamilies(200, (f) => (touched = Math.max(touched, f + 1)));
    const url = await serve(new FakeSource(families));
    await new Promise<void>((resolve) => {
      const req = request(url, { headers }, (res) => {
        res.once('data', () => {
          res.destroy();
          resolve();
        });
      });
      req.on('error', () => undefined);
      req.end();
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(touched).toBeLessThan(families.length);
    const after = touched;
    await new Promise((r) => setTimeout(r, 200));
    expect(touched).toBe(after);
    const again = await get(url, { headers: { Accept: 'text/plain' } });
    expect(again.status).toBe(200);
  });

  it('aborts collection when the scraper hangs up', async () => {
    let sawAbort: (reason: unknown) => void = () => undefined;
    const aborted = new Promise((resolve) => (sawAbort = resolve));
    const url = await serve({
      collect: ({ signal } = {}) =>
        new Promise((_, reject) => {
          signal?.addEventListener('abort', () => {
            sawAbort(signal.reason);
            reject(signal.reason);
          });
        }),
    });
    const req = request(url);
    req.on('error', () => undefined);
    req.end();
    await new Promise((r) => setTimeout(r, 100));
    req.destroy();
    await expect(aborted).resolves.toBeInstanceOf(Error);
  });
});
