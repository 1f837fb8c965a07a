import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { metricsHandler } from '../../src/http/index.js';
import { Counter, Histogram, Registry } from '../../src/index.js';
import { BIN, describeWithBinaries } from '../support/binaries.js';
import { promValue, startPrometheus, type PrometheusServer, type SeriesExemplars } from '../support/prometheus.js';

// One Prometheus 2.42 with native histograms and exemplar storage on scrapes the same
// registry twice: as itself (it asks for protobuf first, and gets it) and through a front
// that forces OpenMetrics, as a Prometheus without the feature would be served.

/** Latency-like observations from a fixed generator (log-uniform over 1 ms .. 10 s), and a few negatives. */
function observations(): number[] {
  let state = 15;
  const next = (): number => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const values: number[] = [];
  for (let i = 0; i < 2000; i++) values.push(Math.pow(10, -3 + 4 * next()));
  return values;
}
const VALUES = observations();
const SIGNED = [...VALUES.slice(0, 300), ...VALUES.slice(300, 400).map((v) => -v), 0];

/** The exact q-quantile of `values`: the value of rank ceil(q·n). */
function exactQuantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
}

interface NativeResult {
  metric: Record<string, string>;
  histogram?: [number, { count: string; sum: string; buckets?: [number, string, string, string][] }];
  value?: [number, string];
}

describeWithBinaries([BIN.prometheus], 'a real Prometheus 2.42 with native histograms scraping protobuf', () => {
  let registry: Registry;
  let prom: PrometheusServer | undefined;
  let direct: Server | undefined;
  let forced: Server | undefined;

  beforeAll(async () => {
    registry = new Registry();
    const latency = new Histogram({ name: 'native_latency_seconds', help: 'Native only.', native: { bucketFactor: 1.1 }, registry });
    for (const v of VALUES) latency.observe(v);
    const both = new Histogram({ name: 'native_both_seconds', help: 'Native and classic.', buckets: [0.01, 0.1, 1], native: true, registry });
    for (const v of VALUES.slice(0, 500)) both.observe(v);
    both.observe(0.05, { trace_id: 'abc' });
    const signed = new Histogram({ name: 'native_signed', help: 'Negative values and zero.', native: { bucketFactor: 1.5, negativeObservations: true }, registry });
    for (const v of SIGNED) signed.observe(v);
    const requests = new Counter({ name: 'native_requests', help: 'A counter with an exemplar.', registry });
    requests.inc(3, { trace_id: 'def' });
    const handler = metricsHandler({ registry });
    direct = createServer(handler);
    forced = createServer((req, res) => {
      req.headers.accept = 'application/openmetrics-text;version=1.0.0';
      handler(req, res);
    });
    await Promise.all([direct, forced].map((s) => new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))));
    prom = await startPrometheus({
      features: ['native-histograms', 'exemplar-storage'],
      jobs: [
        { jobName: 'native', url: `http://127.0.0.1:${(direct.address() as AddressInfo).port}/metrics` },
        { jobName: 'classic', url: `http://127.0.0.1:${(forced.address() as AddressInfo).port}/metrics` },
      ],
    });
    await prom.waitForScrapes(2);
  }, 60_000);

  afterAll(async () => {
    await prom?.stop();
    await Promise.all([direct, forced].map((s) => new Promise<void>((resolve) => (s === undefined ? resolve() : s.close(() => resolve())))));
  });

  const server = (): PrometheusServer => prom as PrometheusServer;
  const scalar = async (expr: string): Promise<number> => {
    const result = await server().query(expr);
    expect(result).toHaveLength(1);
    return promValue(result[0].value[1]);
  };

  it('stores native histograms: histogram_count and histogram_sum exact', async () => {
    const raw = await server().api<{ result: NativeResult[] }>('query', { query: 'native_latency_seconds{job="native"}' });
    expect(raw.result).toHaveLength(1);
    expect(raw.result[0].histogram).toBeDefined(); // a native sample, not a float
    expect(await scalar('histogram_count(native_latency_seconds{job="native"})')).toBe(VALUES.length);
    expect(await scalar('histogram_sum(native_latency_seconds{job="native"})')).toBe(VALUES.reduce((a, b) => a + b, 0));
    expect(await scalar('histogram_count(native_signed{job="native"})')).toBe(SIGNED.length);
    expect(await scalar('histogram_sum(native_signed{job="native"})')).toBe(SIGNED.reduce((a, b) => a + b, 0));
    expect(await scalar('histogram_count(native_both_seconds{job="native"})')).toBe(501);
  });

  it('answers histogram_quantile(0.9) within the schema\'s relative error of the exact quantile', async () => {
    // Schema 3: neighbouring bounds 2^(1/8) apart; an estimate in the right bucket is at most that far off.
    const bound = Math.pow(2, Math.pow(2, -3)) - 1;
    for (const q of [0.5, 0.9, 0.99]) {
      const estimate = await scalar(`histogram_quantile(${q}, native_latency_seconds{job="native"})`);
      const exact = exactQuantile(VALUES, q);
      expect([q, Math.abs(estimate / exact - 1) <= bound]).toEqual([q, true]);
    }
    // Schema 1 with negative buckets: the median of the signed data is positive, the 10th percentile negative.
    const signedBound = Math.pow(2, Math.pow(2, -1)) - 1;
    for (const q of [0.1, 0.9]) {
      const estimate = await scalar(`histogram_quantile(${q}, native_signed{job="native"})`);
      const exact = exactQuantile(SIGNED, q);
      expect(Math.sign(estimate)).toBe(Math.sign(exact));
      expect([q, Math.abs(estimate / exact - 1) <= signedBound]).toEqual([q, true]);
    }
  });

  it('keeps the classic buckets where OpenMetrics is scraped, from the same histograms', async () => {
    expect(await scalar('native_latency_seconds_count{job="classic"}')).toBe(VALUES.length);
    expect(await scalar('native_latency_seconds_bucket{job="classic",le="+Inf"}')).toBe(VALUES.length);
    const buckets = await server().query('native_both_seconds_bucket{job="classic"}');
    expect(buckets.map((s) => [s.metric.le, promValue(s.value[1])]).sort()).toEqual([
      ['+Inf', 501],
      ['0.01', [...VALUES.slice(0, 500)].filter((v) => v <= 0.01).length],
      ['0.1', [...VALUES.slice(0, 500), 0.05].filter((v) => v <= 0.1).length],
      ['1.0', [...VALUES.slice(0, 500), 0.05].filter((v) => v <= 1).length],
    ]);
    // A negative-capable histogram has no _sum in OpenMetrics: only its +Inf bucket.
    expect(await server().query('native_signed_sum{job="classic"}')).toEqual([]);
  });

  it('stores the exemplar the protobuf scrape carried', async () => {
    const now = Date.now() / 1000;
    const exemplars = await server().api<SeriesExemplars[]>('query_exemplars', { query: 'native_requests_total{job="native"}', start: String(now - 600), end: String(now + 60) });
    expect(exemplars.flatMap((e) => e.exemplars.map((x) => [x.labels.trace_id, Number(x.value)]))).toContainEqual(['def', 3]);
  });

  it('dropped no sample and saw no scrape error', async () => {
    for (const target of await server().targets()) expect([target.scrapePool, target.health, target.lastError]).toEqual([target.scrapePool, 'up', '']);
  });
});
