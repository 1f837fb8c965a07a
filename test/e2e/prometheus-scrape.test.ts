import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSeedExporter, type SeedExporter } from '../../samples/seed-exporter/seed-exporter.js';
import { metricsHandler } from '../../src/http/index.js';
import { Registry } from '../../src/registry/index.js';
import { buildEveryTypeRegistry, NASTY_HELP } from '../conformance/every-type-registry.js';
import { BIN, describeWithBinaries } from '../support/binaries.js';
import { promValue, startPrometheus, type PrometheusServer, type TargetMetadata } from '../support/prometheus.js';

// A real Prometheus 2.x scrapes the seed exporter and a registry holding every instrument
// type, once negotiating OpenMetrics (what Prometheus asks for first) and once forced to the
// 0.0.4 text format, and the tests read back through its HTTP API what it stored.

/** How many times the seed's `process_request()` ran (one at start, the rest by the test). */
const SEED_ROUNDS = 4;
const TEXT_ACCEPT = 'text/plain;version=0.0.4';

type Format = 'openmetrics' | 'text';
const JOBS = {
  openmetrics: { seed: 'seed_openmetrics', types: 'types_openmetrics' },
  text: { seed: 'seed_text', types: 'types_text' },
} as const;

/** `name{a="x",...}` with labels sorted and job/instance left out: one key per series. */
function seriesKey(labels: Record<string, string>): string {
  const { __name__: name, job: _job, instance: _instance, ...rest } = labels;
  return `${name}${JSON.stringify(Object.entries(rest).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))}`;
}

/** What a sample becomes in Prometheus: a series key (empty label values are no labels there). */
function sampleKey(name: string, labels: Record<string, string>): string {
  return seriesKey({ __name__: name, ...Object.fromEntries(Object.entries(labels).filter(([, v]) => v !== '')) });
}

/** Series key -> value, as Prometheus holds them now for `selector`. */
async function stored(prom: PrometheusServer, selector: string): Promise<Map<string, number>> {
  const result = await prom.query(selector);
  return new Map(result.map((s) => [seriesKey(s.metric), promValue(s.value[1])]));
}

function expectSameValues(actual: Map<string, number>, expected: Map<string, number>): void {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [key, value] of expected) expect([key, actual.get(key)]).toEqual([key, value]);
}

/** The seed program's series after `rounds` calls with `random.randint(a, b) == a`, written out by hand. */
function seedExpectation(rounds: number): Map<string, number> {
  let summarySum = 0;
  let histogramSum = 0;
  for (let i = 0; i < rounds; i++) {
    summarySum += 4.7;
    histogramSum += 8.8;
  }
  const out = new Map<string, number>([
    [sampleKey('a', {}), 1],
    [sampleKey('b', { label1: 'k1', label2: 'f1' }), 100],
    [sampleKey('b', { label1: 'k1', label2: 'f2' }), 200],
    [sampleKey('b', { label1: 'k2', label2: 'f2' }), 400],
    [sampleKey('c_total', {}), rounds],
    [sampleKey('request_latency_seconds_count', {}), rounds],
    [sampleKey('request_latency_seconds_sum', {}), summarySum],
    [sampleKey('request_latency_seconds2_count', {}), rounds],
    [sampleKey('request_latency_seconds2_sum', {}), histogramSum],
    [sampleKey('my_build_version_info', { buildhost: 'foo@bar', version: '1.2.3' }), 1],
  ]);
  // The `le` spellings of the article's own output (client_python).
  const les = ['0.005', '0.01', '0.025', '0.05', '0.075', '0.1', '0.25', '0.5', '0.75', '1.0', '2.5', '5.0', '7.5', '10.0', '+Inf'];
  for (const le of les) out.set(sampleKey('request_latency_seconds2_bucket', { le }), le === '+Inf' || Number(le) >= 8.8 ? rounds : 0);
  return out;
}

const SEED_SELECTOR = (job: string): string =>
  `{job="${job}",__name__=~"a|b|c_total|c_created|request_latency_seconds(_count|_sum|_created)|request_latency_seconds2(_bucket|_count|_sum|_created)|my_build_version_info"}`;

/** What `/api/v1/targets/metadata` must say for the fixture: name -> [type, unit], per format. */
const TYPES_METADATA: Record<Format, Record<string, [string, string]>> = {
  openmetrics: {
    promkit_e2e_requests: ['counter', ''],
    promkit_e2e_processed_bytes: ['counter', 'bytes'],
    promkit_e2e_temperature_celsius: ['gauge', 'celsius'],
    promkit_e2e_ready: ['gauge', ''],
    promkit_e2e_latency_seconds: ['histogram', 'seconds'],
    promkit_e2e_payload_bytes: ['summary', 'bytes'],
    promkit_e2e_build: ['info', ''],
    promkit_e2e_phase: ['stateset', ''],
    promkit_e2e_queued_bytes: ['gaugehistogram', 'bytes'],
    promkit_e2e_legacy: ['unknown', ''],
    promkit_e2e_stamped: ['gauge', ''],
    promkit_collector_success: ['gauge', ''],
    promkit_collector_duration_seconds: ['gauge', 'seconds'],
  },
  // 0.0.4 has neither units nor info/stateset/gaugehistogram; `_created`, `_gcount` and
  // `_gsum` are gauges of their own (client_python's mapping).
  text: {
    promkit_e2e_requests_total: ['counter', ''],
    promkit_e2e_requests_created: ['gauge', ''],
    promkit_e2e_processed_bytes_total: ['counter', ''],
    promkit_e2e_processed_bytes_created: ['gauge', ''],
    promkit_e2e_temperature_celsius: ['gauge', ''],
    promkit_e2e_ready: ['gauge', ''],
    promkit_e2e_latency_seconds: ['histogram', ''],
    promkit_e2e_latency_seconds_created: ['gauge', ''],
    promkit_e2e_payload_bytes: ['summary', ''],
    promkit_e2e_payload_bytes_created: ['gauge', ''],
    promkit_e2e_build_info: ['gauge', ''],
    promkit_e2e_phase: ['gauge', ''],
    promkit_e2e_queued_bytes: ['histogram', ''],
    promkit_e2e_queued_bytes_gcount: ['gauge', ''],
    promkit_e2e_queued_bytes_gsum: ['gauge', ''],
    promkit_e2e_legacy: ['unknown', ''],
    promkit_e2e_stamped: ['gauge', ''],
    promkit_collector_success: ['gauge', ''],
    promkit_collector_duration_seconds: ['gauge', ''],
  },
};

const SEED_METADATA: Record<Format, Record<string, string>> = {
  openmetrics: { a: 'gauge', b: 'gauge', c: 'counter', request_latency_seconds: 'summary', request_latency_seconds2: 'histogram', my_build_version: 'info' },
  text: {
    a: 'gauge',
    b: 'gauge',
    c_total: 'counter',
    c_created: 'gauge',
    request_latency_seconds: 'summary',
    request_latency_seconds_created: 'gauge',
    request_latency_seconds2: 'histogram',
    request_latency_seconds2_created: 'gauge',
    my_build_version_info: 'gauge',
  },
};

function byMetric(entries: TargetMetadata[]): Map<string, TargetMetadata> {
  return new Map(entries.map((m) => [m.metric, m]));
}

/** A tiny front server: each route serves a registry, `text` ones with `Accept` forced to 0.0.4. */
interface Front {
  readonly url: string;
  /** Route -> the Content-Type of its last response. */
  readonly contentTypes: Map<string, string>;
  close(): Promise<void>;
}

async function startFront(routes: Record<string, { registry: Registry; format: Format }>): Promise<Front> {
  const contentTypes = new Map<string, string>();
  const handlers = new Map(Object.entries(routes).map(([path, r]) => [path, { ...r, handle: metricsHandler({ registry: r.registry }) }]));
  const server: Server = createServer((req, res) => {
    const route = handlers.get(req.url ?? '');
    if (route === undefined) {
      res.writeHead(404).end();
      return;
    }
    // Prometheus 2.42 cannot be told which format to ask for (scrape_protocols came in 2.49).
    if (route.format === 'text') req.headers.accept = TEXT_ACCEPT;
    // The handler passes its headers to writeHead() directly, where getHeader() cannot see them.
    const writeHead = res.writeHead.bind(res) as (status: number, headers?: Record<string, string>) => typeof res;
    res.writeHead = ((status: number, headers?: Record<string, string>) => {
      contentTypes.set(req.url ?? '', headers?.['Content-Type'] ?? String(res.getHeader('content-type')));
      return writeHead(status, headers);
    }) as typeof res.writeHead;
    route.handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    contentTypes,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describeWithBinaries([BIN.prometheus], 'a real Prometheus (2.42) scraping promkit', () => {
  let prom: PrometheusServer | undefined;
  let seed: SeedExporter | undefined;
  let front: Front | undefined;
  const seedRegistry = new Registry();
  const startedAt = Date.now() / 1000;
  // A whole number of milliseconds a little in the past, inside Prometheus's head block.
  const stampSeconds = Math.floor(Date.now() / 1000) - 2 + 0.25;
  const typesRegistry = buildEveryTypeRegistry({ stampSeconds });

  beforeAll(async () => {
    seed = await startSeedExporter({ port: 0, host: '127.0.0.1', registry: seedRegistry, randomInt: (min) => min, intervalMs: 0 });
    for (let i = 1; i < SEED_ROUNDS; i++) seed.processRequest();
    front = await startFront({
      '/seed/text': { registry: seedRegistry, format: 'text' },
      '/types/openmetrics': { registry: typesRegistry, format: 'openmetrics' },
      '/types/text': { registry: typesRegistry, format: 'text' },
    });
    prom = await startPrometheus({
      jobs: [
        { jobName: JOBS.openmetrics.seed, url: seed.url },
        { jobName: JOBS.text.seed, url: `${front.url}/seed/text` },
        { jobName: JOBS.openmetrics.types, url: `${front.url}/types/openmetrics` },
        { jobName: JOBS.text.types, url: `${front.url}/types/text` },
      ],
      features: ['exemplar-storage'],
    });
    await prom.waitForScrapes(3);
  }, 60_000);

  afterAll(async () => {
    await prom?.stop();
    await front?.close();
    await seed?.stop();
  });

  const server = (): PrometheusServer => {
    if (prom === undefined) throw new Error('Prometheus did not start');
    return prom;
  };

  it('was served each format it was meant to get', () => {
    expect(Object.fromEntries(front?.contentTypes ?? [])).toEqual({
      '/seed/text': 'text/plain; version=0.0.4; charset=utf-8',
      '/types/openmetrics': 'application/openmetrics-text; version=1.0.0; charset=utf-8',
      '/types/text': 'text/plain; version=0.0.4; charset=utf-8',
    });
  });

  describe.each(['openmetrics', 'text'] as const)('in the %s format', (format) => {
    const jobs = JOBS[format];

    it('sees every target up, with no scrape error', async () => {
      const targets = (await server().targets()).filter((t) => t.scrapePool === jobs.seed || t.scrapePool === jobs.types);
      expect(targets.map((t) => [t.scrapePool, t.health, t.lastError]).sort()).toEqual(
        [
          [jobs.seed, 'up', ''],
          [jobs.types, 'up', ''],
        ].sort(),
      );
      const up = await server().query(`up{job=~"${jobs.seed}|${jobs.types}"}`);
      expect(up.map((s) => [s.metric.job, s.value[1]]).sort()).toEqual([
        [jobs.seed, '1'],
        [jobs.types, '1'],
      ]);
    });

    it("stores exactly the values the seed program recorded", async () => {
      const actual = await stored(server(), SEED_SELECTOR(jobs.seed));
      const created = new Map([...actual].filter(([key]) => key.includes('_created')));
      const recorded = new Map([...actual].filter(([key]) => !key.includes('_created')));
      expectSameValues(recorded, seedExpectation(SEED_ROUNDS));

      // `_created`: one per counter/summary/histogram, the instant the program created it.
      const { families } = await seedRegistry.collect({ names: ['c_created', 'request_latency_seconds_created', 'request_latency_seconds2_created'] });
      const expectedCreated = new Map(families.flatMap((f) => f.samples).map((s) => [sampleKey(s.name, s.labels), s.value]));
      expect(expectedCreated.size).toBe(3);
      expectSameValues(created, expectedCreated);
      for (const value of created.values()) {
        expect(value).toBeGreaterThanOrEqual(Math.floor(startedAt));
        expect(value).toBeLessThanOrEqual(Date.now() / 1000);
      }
    });

    it('stores every sample of every instrument type unchanged: names, escaped label values, le/quantile spellings, non-finite values', async () => {
      const { families } = await typesRegistry.collect();
      const expected = new Map<string, number>();
      for (const family of families) {
        for (const s of family.samples) {
          // Its value is the time the last collect took: it changes with every scrape.
          if (s.name === 'promkit_collector_duration_seconds') continue;
          expected.set(sampleKey(s.name, s.labels), s.value);
        }
      }
      const actual = await stored(server(), `{job="${jobs.types}",__name__!~"up|scrape_.*|promkit_collector_duration_seconds"}`);
      expectSameValues(actual, expected);

      // The canonical spellings as Prometheus stored them (not normalised by it).
      const les = await server().query(`promkit_e2e_latency_seconds_bucket{job="${jobs.types}",route="/a"}`);
      expect(les.map((s) => s.metric.le).sort()).toEqual(['+Inf', '0.005', '0.1', '1.0', '1e+06', '2.5']);
      const quantiles = await server().query(`promkit_e2e_payload_bytes{job="${jobs.types}",route="/a"}`);
      expect(quantiles.map((s) => s.metric.quantile).sort()).toEqual(['0.5', '0.9', '0.99']);
    });

    it('keeps the metadata each format can express: types, units, unescaped HELP', async () => {
      const seedMeta = byMetric((await server().metadata(jobs.seed)).filter((m) => !/^(process|nodejs|promkit_collector)_/.test(m.metric)));
      expect(Object.fromEntries([...seedMeta].map(([name, m]) => [name, m.type]))).toEqual(SEED_METADATA[format]);
      expect(seedMeta.get(format === 'text' ? 'c_total' : 'c')?.help).toBe('Description of counter');

      const typesMeta = byMetric(await server().metadata(jobs.types));
      expect(Object.fromEntries([...typesMeta].map(([name, m]) => [name, [m.type, m.unit]]))).toEqual(TYPES_METADATA[format]);
      const processed = format === 'text' ? 'promkit_e2e_processed_bytes_total' : 'promkit_e2e_processed_bytes';
      expect(typesMeta.get(processed)?.help).toBe(NASTY_HELP);
      expect(typesMeta.get('promkit_e2e_temperature_celsius')?.help).toBe(NASTY_HELP);
    });

    it('reads sample timestamps as the same instant (milliseconds in 0.0.4, seconds in OpenMetrics)', async () => {
      const stamped = await server().query(`timestamp(promkit_e2e_stamped{job="${jobs.types}"})`);
      expect(stamped.map((s) => promValue(s.value[1]))).toEqual([stampSeconds]);
    });

    it(format === 'openmetrics' ? 'stores the exemplars of counters and histogram buckets' : 'gets no exemplars (0.0.4 has none)', async () => {
      const now = Date.now() / 1000;
      const result = await server().api<{ seriesLabels: Record<string, string>; exemplars: { labels: Record<string, string>; value: string }[] }[]>(
        'query_exemplars',
        { query: `{job="${jobs.types}"}`, start: String(now - 600), end: String(now + 60) },
      );
      const seen = result.map((r) => [seriesKey(r.seriesLabels), r.exemplars.map((e) => [e.labels, promValue(e.value)])]).sort();
      if (format === 'text') {
        expect(seen).toEqual([]);
        return;
      }
      expect(seen).toEqual(
        [
          [sampleKey('promkit_e2e_latency_seconds_bucket', { route: '/b', le: '0.1' }), [[{ trace_id: 'def456' }, 0.05]]],
          [sampleKey('promkit_e2e_requests_total', { method: 'GET', path: '/' }), [[{ trace_id: 'abc123' }, 1]]],
        ].sort(),
      );
    });
  });

  it('dropped no sample: no duplicate, out-of-order or out-of-bounds sample in any scrape', async () => {
    const counters = [
      'prometheus_target_scrapes_sample_duplicate_timestamp_total',
      'prometheus_target_scrapes_sample_out_of_order_total',
      'prometheus_target_scrapes_sample_out_of_bounds_total',
      'prometheus_target_scrapes_exemplar_out_of_order_total',
      'prometheus_target_scrapes_exceeded_sample_limit_total',
    ];
    const values = await Promise.all(counters.map(async (name) => [name, await server().selfMetric(name)] as const));
    expect(Object.fromEntries(values)).toEqual(Object.fromEntries(counters.map((name) => [name, 0])));
    // ... over a non-trivial number of scrapes of every job.
    const scrapes = await server().query('count_over_time(up[10m])');
    expect(scrapes.map((s) => s.metric.job).sort()).toEqual([...Object.values(JOBS.openmetrics), ...Object.values(JOBS.text)].sort());
    for (const s of scrapes) expect(Number(s.value[1])).toBeGreaterThanOrEqual(3);
  });
});
