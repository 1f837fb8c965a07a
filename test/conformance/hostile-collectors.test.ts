import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { metricsHandler } from '../../src/http/index.js';
import { Counter } from '../../src/metrics/index.js';
import {
  counterFamily,
  gaugeFamily,
  gaugeHistogramFamily,
  histogramFamily,
  infoFamily,
  METRIC_TYPES,
  sampleNamesOf,
  stateSetFamily,
  summaryFamily,
  unknownFamily,
  type MetricFamily,
} from '../../src/model/index.js';
import { Registry, type Collector } from '../../src/registry/index.js';
import { prepareScrape, scrape, type ScrapeSource } from '../../src/exposition/index.js';
import { ALL_TYPES } from '../exposition/families.js';
import { BIN, describeWithBinaries } from '../support/binaries.js';
import { parseManyWithPython, type ParsedFamily, type ParserFormat } from '../support/python-parser.js';
import { get } from '../http/http-client.js';
import { promtoolCheckMetrics } from './promtool-check.js';

// Whatever a collector returns, the scrape is served: 200, readable by promtool and both
// reference parsers, with every healthy family exactly as it is without the hostile ones,
// and nothing the hostile collectors tried to smuggle in (a forged series, a bad name).

const SEED = 1010;
const RUNS = 60;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const INJECTION = 'x untyped\nadmin_override{role="root"} 1\n# y';
const ACCEPT: Record<ParserFormat, string> = { text: 'text/plain;version=0.0.4', openmetrics: 'application/openmetrics-text;version=1.0.0' };

/** The collectors every scrape must serve unchanged: an instrument, a builder, a plain family. */
function registerHealthy(registry: Registry): void {
  const requests = new Counter({ name: 'healthy_requests', help: 'Requests.', labelNames: ['route'], registry });
  requests.inc({ route: '/a' }, 3);
  requests.inc({ route: '/b"\\\n' }, 1);
  registry.register({ collectorName: 'healthy_builder', collect: () => [gaugeFamily({ name: 'healthy_depth', help: 'Depth.', labelNames: ['queue'] }).add({ queue: 'q' }, 7)] });
  const plain: MetricFamily = { name: 'healthy_plain', type: 'gauge', help: 'Plain.', unit: '', samples: [{ name: 'healthy_plain', labels: { k: 'v' }, value: 1.5 }] };
  registry.register({ collectorName: 'healthy_plain', collect: async () => [plain] });
}

const SUFFIXES = ['', '_total', '_created', '_bucket', '_count', '_sum', '_gcount', '_gsum', '_info'];
const labelName = fc.oneof(fc.constantFrom('le', 'quantile', 'a', 'b', '__x', 'bad-name', 'hostile_x'), fc.string({ maxLength: 6 }));
const labelValue = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('\uD800', '\uDBFF', '\uFFFD', '+Inf', '0.5', '1.0', '-1.0'), fc.anything({ maxDepth: 1 }));
const sampleValue = fc.oneof(fc.double(), fc.integer({ min: -3, max: 3 }), fc.constantFrom(0, 1, 0.5, -1, NaN, Infinity), fc.anything({ maxDepth: 1 }));

/** A family-shaped value: right keys, any content, sample names mostly derived from the family name. */
const hostileFamily = fc
  .record({
    name: fc.oneof(fc.constantFrom(INJECTION, 'test_"_\\_\n_metric', '', 'hostile_a', 'hostile_b', '__hostile', 'hostile c'), fc.string({ maxLength: 8 })),
    type: fc.oneof(fc.constantFrom(...METRIC_TYPES), fc.string({ maxLength: 8 }), fc.anything({ maxDepth: 0 })),
    help: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('\uD800 help'), fc.anything({ maxDepth: 0 })),
    unit: fc.oneof(fc.constant(''), fc.constant(undefined), fc.string({ maxLength: 4 })),
    samples: fc.oneof(
      fc.array(
        fc.record({
          suffix: fc.oneof(fc.constantFrom(...SUFFIXES), fc.string({ maxLength: 4 })),
          labels: fc.oneof(fc.dictionary(labelName, labelValue, { maxKeys: 3 }), fc.anything({ maxDepth: 0 })),
          value: sampleValue,
          timestamp: fc.option(fc.oneof(fc.double(), fc.anything({ maxDepth: 0 })), { nil: undefined }),
        }),
        { maxLength: 5 },
      ),
      fc.anything({ maxDepth: 1 }),
    ),
  })
  .map((f) => ({
    ...f,
    samples: Array.isArray(f.samples)
      ? f.samples.map((s) => (typeof s === 'object' && s !== null && 'suffix' in s ? { name: `${f.name}${String(s.suffix)}`, labels: s.labels, value: s.value, timestamp: s.timestamp } : s))
      : f.samples,
  }));

/** One valid family of each type, as plain objects (no builder behind them). */
function validFamilies(): MetricFamily[] {
  const built: MetricFamily[] = [
    counterFamily({ name: 'hostile_c', help: 'h', labelNames: ['a'] }).add({ a: 'x' }, 1, { created: 5 }).add({ a: 'y' }, 2),
    gaugeFamily({ name: 'hostile_g', help: 'h', labelNames: ['a'] }).add({ a: 'x' }, -1).add({ a: 'y' }, 2),
    histogramFamily({ name: 'hostile_h', help: 'h', labelNames: ['a'], buckets: [1, 2] }).add({ a: 'x' }, { cumulativeCounts: [1, 2, 3], sum: 4 }).add({ a: 'y' }, { cumulativeCounts: [0, 0, 1], sum: 9 }),
    gaugeHistogramFamily({ name: 'hostile_gh', help: 'h', buckets: [1] }).add({ bucketCounts: [1, 1], sum: 2 }),
    summaryFamily({ name: 'hostile_s', help: 'h', labelNames: ['a'], quantiles: [0.5] }).add({ a: 'x' }, { count: 2, sum: 3, quantiles: [1] }),
    infoFamily({ name: 'hostile_i', help: 'h', labelNames: ['a'] }).add({ a: 'x' }).add({ a: 'y' }),
    stateSetFamily({ name: 'hostile_st', help: 'h', labelNames: ['a'], states: ['on', 'off'] }).add({ a: 'x' }, 'on'),
    unknownFamily({ name: 'hostile_u', help: 'h' }).add(3),
  ];
  return built.map((f) => ({ name: f.name, type: f.type, help: f.help, unit: f.unit, samples: f.samples.map((s) => ({ ...s, labels: { ...s.labels } })) }));
}

type Mutable = { name: string; labels: Record<string, string>; value: number; timestamp?: number };

/** A valid family with one slip: a value, a label, a name, an order or a timestamp at the edge of the rules (or none). */
const slip = fc
  .record({
    sample: fc.nat(12),
    other: fc.nat(12),
    slip: fc.constantFrom('value', 'label', 'dropLabel', 'name', 'duplicate', 'swap', 'timestamp', 'none'),
    value: fc.constantFrom(-1, NaN, 0.5, Infinity, 2, 0, 1e300),
    label: fc.constantFrom('le', 'quantile', 'a', 'hostile_st', '__x'),
    labelValue: fc.constantFrom('\uD800', '1', '0.50', '+Inf', '-1.0', 'z', '2.0'),
    suffix: fc.constantFrom(...SUFFIXES),
  })
/** Every type's valid family, each with its own slip. */
const nearValidFamilies = fc.tuple(...Array.from({ length: 8 }, () => slip)).map((slips) => {
  const families = validFamilies();
  return slips.map((m, index) => {
    const family = families[index];
    const samples = family.samples as Mutable[];
    const i = m.sample % samples.length;
    const j = m.other % samples.length;
    const target = samples[i];
    switch (m.slip) {
      case 'value': target.value = m.value; break;
      case 'label': target.labels[m.label] = m.labelValue; break;
      case 'dropLabel': for (const key of Object.keys(target.labels)) if (key === m.label || m.label === 'a') delete target.labels[key]; break;
      case 'name': target.name = `${family.name}${m.suffix}`; break;
      case 'duplicate': samples.splice(j, 0, { ...target, labels: { ...target.labels } }); break;
      case 'swap': [samples[i], samples[j]] = [samples[j], samples[i]]; break;
      case 'timestamp': target.timestamp = m.value; break;
      default: break;
    }
    return family;
  });
});

/** What a hostile collector returns: anything at all, a list of anything, family-shaped values, or a throwing iterable. */
const hostileResult = fc.oneof(
  { arbitrary: fc.anything(), weight: 1 },
  { arbitrary: fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 3 }), weight: 1 },
  { arbitrary: fc.array(hostileFamily, { minLength: 1, maxLength: 3 }), weight: 1 },
  { arbitrary: nearValidFamilies, weight: 4 },
  {
    arbitrary: fc.array(hostileFamily, { maxLength: 2 }).map((families) => ({
      *[Symbol.iterator](): Generator<unknown> {
        yield* families;
        throw new Error('iteration failed');
      },
    })),
    weight: 1,
  },
);

const hostileCollectors = fc.array(fc.record({ result: hostileResult, async: fc.boolean() }), { minLength: 1, maxLength: 3 });

let server: Server;
let url: string;
let current: Registry = new Registry();

beforeAll(async () => {
  server = createServer((req, res) => metricsHandler({ registry: current, compression: false })(req, res));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

async function scrapeAs(format: ParserFormat): Promise<{ status: number; text: string }> {
  const res = await get(url, { headers: { Accept: ACCEPT[format] } });
  return { status: res.status, text: res.body.toString('utf8') };
}

/** The parsed families of the healthy collectors, as a scrape without hostile ones has them. */
function healthyOf(families: ParsedFamily[]): ParsedFamily[] {
  return families.filter((f) => f.name.startsWith('healthy_'));
}

describeWithBinaries([BIN.promtool], 'collectors returning arbitrary JavaScript values', () => {
  it(`${RUNS} registries with hostile collectors: always 200, parsable everywhere, healthy families exact, nothing forged`, async () => {
    const quiet = (): void => {};
    current = new Registry({ created: false, onCollectorError: quiet });
    registerHealthy(current);
    const baseline = { text: (await scrapeAs('text')).text, openmetrics: (await scrapeAs('openmetrics')).text };

    const docs: { text: string; format: ParserFormat; hostileNames: string[]; index: number }[] = [];
    let index = 0;
    await fc.assert(
      fc.asyncProperty(hostileCollectors, async (hostile) => {
        current = new Registry({ created: false, onCollectorError: quiet });
        registerHealthy(current);
        const hostileNames: string[] = [];
        hostile.forEach(({ result, async }, i) => {
          if (Array.isArray(result)) for (const f of result) if (typeof (f as { name?: unknown })?.name === 'string') hostileNames.push((f as { name: string }).name);
          const collector: Collector = { collectorName: `hostile_${i}`, collect: () => (async ? Promise.resolve(result) : result) as Iterable<MetricFamily> };
          current.register(collector);
        });
        for (const format of ['text', 'openmetrics'] as const) {
          const { status, text } = await scrapeAs(format);
          expect(status).toBe(200);
          expect(text).not.toContain('admin_override');
          if (format === 'openmetrics') expect(text.endsWith('# EOF\n')).toBe(true);
          if (format === 'text') {
            const check = await promtoolCheckMetrics(text);
            // 1 is a parse error; 3 only lint advice about a (valid) hostile family's naming.
            if (check.code !== 0 && check.code !== 3) throw new Error(`case ${index}: promtool exit ${check.code}: ${check.output}\n${text}`);
          }
          docs.push({ text, format, hostileNames, index });
        }
        index++;
      }),
      { seed: SEED, numRuns: RUNS },
    );

    const parsed = await parseManyWithPython([{ text: baseline.text, format: 'text' }, { text: baseline.openmetrics, format: 'openmetrics' }, ...docs]);
    const [baseText, baseOm] = parsed;
    if (!baseText.ok || !baseOm.ok) throw new Error('the healthy registry alone does not parse');
    const expected = { text: healthyOf(baseText.families), openmetrics: healthyOf(baseOm.families) };
    expect(expected.text.map((f) => f.name).sort()).toEqual(['healthy_depth', 'healthy_plain', 'healthy_requests']);
    docs.forEach((doc, i) => {
      const outcome = parsed[i + 2];
      if (!outcome.ok) throw new Error(`case ${doc.index} (${doc.format}): the Python parser refused the scrape: ${outcome.error}\n${doc.text}`);
      expect(healthyOf(outcome.families)).toEqual(expected[doc.format]);
      for (const family of outcome.families) {
        for (const sample of family.samples) {
          const own = sample.name.startsWith('healthy_') || sample.name.startsWith('promkit_collector_');
          const hostile = doc.hostileNames.some((n) => METRIC_NAME.test(n) && sample.name.startsWith(n));
          if (!own && !hostile) throw new Error(`case ${doc.index} (${doc.format}): sample ${sample.name} was defined by no family\n${doc.text}`);
        }
      }
    });
  }, 120_000);
});

/** Scrapes `registry` in both formats and checks what every scrape must be; returns the bodies. */
async function servedCleanly(registry: Registry): Promise<Record<ParserFormat, string>> {
  current = registry;
  const bodies = { text: '', openmetrics: '' };
  for (const format of ['text', 'openmetrics'] as const) {
    const { status, text } = await scrapeAs(format);
    expect(status).toBe(200);
    bodies[format] = text;
  }
  expect(bodies.openmetrics.endsWith('# EOF\n')).toBe(true);
  const check = await promtoolCheckMetrics(bodies.text);
  expect(check.output).toBe('');
  const parsed = await parseManyWithPython([
    { text: bodies.text, format: 'text' },
    { text: bodies.openmetrics, format: 'openmetrics' },
  ]);
  for (const outcome of parsed) if (!outcome.ok) throw new Error(outcome.error);
  return bodies;
}

function successOf(body: string, collector: string): string | undefined {
  return body.split('\n').find((line) => line.startsWith(`promkit_collector_success{collector="${collector}"}`));
}

describeWithBinaries([BIN.promtool], 'measured cases', () => {
  it('ignores nothing the healthy families define: the baseline itself carries all three', async () => {
    const registry = new Registry({ created: false });
    registerHealthy(registry);
    const { text } = await servedCleanly(registry);
    for (const name of ['healthy_requests_total{route="/a"} 3.0', 'healthy_depth{queue="q"} 7.0', 'healthy_plain{k="v"} 1.5']) expect(text).toContain(name);
  });

  it('a family named after the target system cannot inject a series', async () => {
    const warnings: unknown[] = [];
    const registry = new Registry({ created: false, onCollectorError: (f) => warnings.push(f) });
    registerHealthy(registry);
    registry.register({ collectorName: 'target', collect: () => [{ name: INJECTION, type: 'gauge' as const, help: 'h', unit: '', samples: [{ name: INJECTION, labels: {}, value: 1 }] }] });
    const bodies = await servedCleanly(registry);
    for (const body of Object.values(bodies)) {
      expect(body).not.toContain('admin_override');
      expect(body).toContain('healthy_plain{k="v"} 1.5');
      expect(successOf(body, 'target')).toMatch(/ 0\.0$/);
    }
    expect(warnings).toHaveLength(2);
  });

  it.each<[string, MetricFamily]>([
    ['a name with a quote and a newline', { name: 'test_"_\\_\n_metric', type: 'gauge', help: 'h', unit: '', samples: [] }],
    ['a name with a space', { name: 'a b', type: 'gauge', help: 'h', unit: '', samples: [] }],
    ['an empty name', { name: '', type: 'gauge', help: 'h', unit: '', samples: [] }],
    ['an unknown type', { name: 'odd', type: 'weird' as MetricFamily['type'], help: 'h', unit: '', samples: [] }],
    ['an invalid label name', { name: 'odd', type: 'gauge', help: 'h', unit: '', samples: [{ name: 'odd', labels: { 'a-b': 'x' }, value: 1 }] }],
    ['a negative counter', { name: 'odd', type: 'counter', help: 'h', unit: '', samples: [{ name: 'odd_total', labels: {}, value: -1 }] }],
    ['a NaN counter', { name: 'odd', type: 'counter', help: 'h', unit: '', samples: [{ name: 'odd_total', labels: {}, value: NaN }] }],
    ['a histogram without +Inf', { name: 'odd', type: 'histogram', help: 'h', unit: '', samples: [{ name: 'odd_bucket', labels: { le: '1.0' }, value: 1 }] }],
    ['three series one surrogate apart', { name: 'odd', type: 'gauge', help: 'h', unit: '', samples: ['\uD800', '\uDBFF', '\uFFFD'].map((l) => ({ name: 'odd', labels: { l }, value: 1 })) }],
  ])('leaves out a plain family with %s, serves the rest', async (_, bad) => {
    const registry = new Registry({ created: false, onCollectorError: () => {} });
    registerHealthy(registry);
    registry.register({ collectorName: 'plain_bad', collect: () => [bad, { name: 'plain_ok', type: 'gauge' as const, help: 'h', unit: '', samples: [{ name: 'plain_ok', labels: {}, value: 2 }] }] });
    const { text } = await servedCleanly(registry);
    expect(text).toContain('plain_ok 2.0');
    expect(text).not.toMatch(/^odd|test_/m);
    expect(successOf(text, 'plain_bad')).toMatch(/ 0\.0$/);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['a string', 'families'],
    ['[null]', [null]],
    ['a family without samples', [{ name: 'nosamples', type: 'gauge', help: 'h', unit: '' }]],
    ['a sample whose value is not a number', [{ name: 'v', type: 'gauge', help: 'h', unit: '', samples: [{ name: 'v', labels: {}, value: '1' }] }]],
    ['an iterable that throws', { *[Symbol.iterator]() { throw new Error('broken cursor'); } }],
  ])('serves everything else when a collector returns %s, sync or async', async (_, result) => {
    for (const async of [false, true]) {
      const registry = new Registry({ created: false, onCollectorError: () => {} });
      registerHealthy(registry);
      registry.register({ collectorName: 'bad', collect: () => (async ? Promise.resolve(result) : result) as Iterable<MetricFamily> });
      const { text } = await servedCleanly(registry);
      expect(text).toContain('healthy_requests_total{route="/a"} 3.0');
      expect(successOf(text, 'bad')).toMatch(/ 0\.0$/);
    }
  });

  it('a bad family after the first two 64 KiB chunks leaves the body whole and the status 200', async () => {
    const registry = new Registry({ created: false, onCollectorError: () => {} });
    const big = gaugeFamily({ name: 'big_items', help: 'h', labelNames: ['path'] });
    for (let i = 0; i < 5000; i++) big.add({ path: `/api/v1/items/${i}` }, i);
    registry.register({ collectorName: 'big', collect: () => [big] });
    registry.register({ collectorName: 'late', collect: () => [{ name: 'late', type: 'counter' as const, help: 'h', unit: '', samples: [{ name: 'late_total', labels: {}, value: -1 }] }] });
    registerHealthy(registry);
    const bodies = await servedCleanly(registry);
    expect(bodies.text.length).toBeGreaterThan(3 * 65536);
    expect(bodies.text).toContain('big_items{path="/api/v1/items/4999"} 4999.0');
    expect(bodies.text).toContain('healthy_plain{k="v"} 1.5');
    expect(bodies.text).not.toContain('late_total');
    expect(successOf(bodies.openmetrics, 'late')).toMatch(/ 0\.0$/);
  });
});

/** A native part for `families.histogram`'s one series (its +Inf count 4, its sum 0.25). */
const NATIVE = {
  schema: 0,
  zeroThreshold: 0,
  zeroCount: 1,
  count: 4,
  sum: 0.25,
  positiveSpans: [{ offset: -3, length: 2 }],
  positiveCounts: [1, 2],
  negativeSpans: [],
  negativeCounts: [],
  exemplars: [{ labels: { trace_id: 'a' }, value: 0.05, timestamp: 1700000000 }],
};

/** Every type, a timestamp, an exemplar and a native part: all the fields a collector can hand. */
function everyField(): MetricFamily[] {
  const copied = structuredClone(ALL_TYPES) as MetricFamily[];
  return copied.map((family) => {
    if (family.type === 'histogram') return { ...family, nativeHistograms: [{ labels: {}, histogram: structuredClone(NATIVE) }] };
    if (family.type === 'counter') {
      const [first, ...rest] = family.samples;
      return { ...family, samples: [{ ...first, timestamp: 1700000000.5, exemplar: { labels: { trace_id: 'abc' }, value: 1, timestamp: 1700000000 } }, ...rest.map((s) => ({ ...s, timestamp: 1700000000.5 }))] };
    }
    return family;
  });
}

/**
 * `value` rebuilt so that each property, at any depth, is a getter that answers its true
 * value on the first read and `later()` on every read after it; an array is a proxy whose
 * length and items do the same.
 */
function fickle(value: unknown, later: () => unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const items = value.map((item) => fickle(item, later));
    const read = new Set<PropertyKey>();
    return new Proxy(items, {
      get(target, key, receiver) {
        if (key === 'length' || (typeof key === 'string' && /^\d+$/.test(key))) {
          if (read.has(key)) return later();
          read.add(key);
        }
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
  }
  const object = {};
  for (const [key, child] of Object.entries(value)) {
    const first = fickle(child, later);
    let reads = 0;
    Object.defineProperty(object, key, { enumerable: true, configurable: true, get: () => (reads++ === 0 ? first : later()) });
  }
  return object;
}

const PROTOBUF = 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited';
const FORMATS = { text: ACCEPT.text, openmetrics: ACCEPT.openmetrics, protobuf: PROTOBUF };

/** The collected families' sample names: a selection that leaves out the registry's own families (the collector's duration varies). */
const SELECTION = everyField().flatMap((f) => sampleNamesOf(f.type, f.name));

/** Each format's body of one scrape of `source`, all chunks joined (protobuf in base64). */
async function bodiesOf(source: ScrapeSource, betweenCollectAndEncode: () => void = () => {}): Promise<Record<keyof typeof FORMATS, string>> {
  const bodies = { text: '', openmetrics: '', protobuf: '' };
  for (const format of Object.keys(FORMATS) as (keyof typeof FORMATS)[]) {
    const prepared = await prepareScrape(source, { accept: FORMATS[format], names: SELECTION });
    betweenCollectAndEncode();
    const pieces = [...prepared.chunks()];
    bodies[format] = format === 'protobuf' ? Buffer.concat(pieces as Uint8Array[]).toString('base64') : pieces.join('');
  }
  return bodies;
}

/** A source that is not a Registry: `prepareScrape` checks its families itself. */
function plainSource(collect: () => unknown[]): ScrapeSource {
  return { collect: async () => ({ families: collect() as MetricFamily[] }) };
}

/** A Registry with `collect` as its one collector, and default labels when given (the registry checks a family again once it has added them). */
function registryOf(collect: () => unknown[], defaultLabels?: Record<string, string>): Registry {
  const registry = new Registry({ created: false, onCollectorError: (failure) => { throw failure.error; }, ...(defaultLabels === undefined ? {} : { defaultLabels }) });
  registry.register({ collectorName: 'fickle', collect: () => collect() as MetricFamily[] });
  return registry;
}

describe('a collector whose objects change after they are read', () => {
  it('getters and proxies that answer differently on a second read: every format is the scrape of the first answers, through a Registry and through a plain source', async () => {
    const region = { region: 'eu' };
    const baseline = { registry: await bodiesOf(registryOf(everyField)), labelled: await bodiesOf(registryOf(everyField, region)), plain: await bodiesOf(plainSource(everyField)) };
    expect(baseline.labelled.text).toContain('queue_depth{region="eu"} 1e+06');
    expect(baseline.plain.text).toContain('http_requests_total{method="GET",code="200"} 1027.0 1700000000500');
    expect(baseline.plain.openmetrics).toContain('# {trace_id="abc"} 1.0 1700000000\n');
    const later = fc.oneof(fc.constantFrom<unknown>(INJECTION, 'x"} 1\nforged_total 1\n#', -1, NaN, Infinity, '', undefined, null, {}, [], 2 ** 40), fc.anything({ maxDepth: 1 }));
    await fc.assert(
      fc.asyncProperty(later, async (hostile) => {
        const answer = (): unknown => hostile;
        expect(await bodiesOf(registryOf(() => everyField().map((f) => fickle(f, answer))))).toEqual(baseline.registry);
        expect(await bodiesOf(registryOf(() => everyField().map((f) => fickle(f, answer)), region))).toEqual(baseline.labelled);
        expect(await bodiesOf(plainSource(() => everyField().map((f) => fickle(f, answer))))).toEqual(baseline.plain);
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  it('a collector that changes its families after it returned them does not change the scrape being written', async () => {
    const expected = await bodiesOf(registryOf(everyField));
    let held: MetricFamily[] = [];
    const registry = registryOf(() => (held = everyField()));
    const spoil = (): void => {
      for (const family of held as unknown as { samples: { labels: Record<string, string>; value: number; name: string }[]; help: string }[]) {
        family.help = INJECTION;
        for (const sample of family.samples) {
          sample.labels.forged = INJECTION;
          sample.value = -1;
        }
        family.samples.push({ name: 'admin_override', labels: {}, value: 1 });
      }
    };
    const bodies = await bodiesOf(registry, spoil);
    expect(bodies).toEqual(expected);
    for (const body of Object.values(bodies)) expect(body).not.toContain('admin_override');
  });

  it('a label set whose keys change between two reads: the keys read first are the ones written', async () => {
    let calls = 0;
    const labels = new Proxy<Record<string, string>>({ route: '/a' }, {
      ownKeys: (target) => (calls++ === 0 ? Reflect.ownKeys(target) : [...Reflect.ownKeys(target), 'forged']),
      getOwnPropertyDescriptor: (target, key) => (key === 'forged' ? { value: INJECTION, enumerable: true, configurable: true, writable: true } : Reflect.getOwnPropertyDescriptor(target, key)),
      get: (target, key) => (key === 'forged' ? INJECTION : (Reflect.get(target, key) as unknown)),
    });
    const family = { name: 'routes', type: 'gauge', help: 'h', unit: '', samples: [{ name: 'routes', labels, value: 1 }] };
    const { body } = await scrape(plainSource(() => [family]), { accept: ACCEPT.text });
    expect(body).toContain('routes{route="/a"} 1');
    expect(body).not.toContain('forged');
    expect(calls).toBe(1);
  });
});

describe('a Registry subclass that collects its own way', () => {
  it('has what its collect() adds checked like any other source: a bad family is left out, the rest served', async () => {
    class Extended extends Registry {
      override async collect(...args: Parameters<Registry['collect']>): ReturnType<Registry['collect']> {
        const collected = await super.collect(...args);
        const forged = { name: 'extra', type: 'counter' as const, help: 'h', unit: '', samples: [{ name: 'extra_total', labels: {}, value: -1 }] };
        return { ...collected, families: [...collected.families, forged] };
      }
    }
    const registry = new Extended({ created: false });
    registry.register({ collectorName: 'plain', collect: () => [{ name: 'plain_ok', type: 'gauge' as const, help: 'h', unit: '', samples: [{ name: 'plain_ok', labels: {}, value: 2 }] }] });
    const prepared = await prepareScrape(registry, { accept: ACCEPT.text });
    const body = [...prepared.chunks()].join('');
    expect(body).toContain('plain_ok 2.0');
    expect(body).not.toContain('extra_total');
    expect(prepared.rejected.map((error) => error.message)).toEqual([expect.stringMatching(/"extra".*counter cannot be negative/)]);
  });
});
