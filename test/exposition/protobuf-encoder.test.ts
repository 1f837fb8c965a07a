import { expect, it } from '@jest/globals';
import fc from 'fast-check';
import { encodeOpenMetrics, encodeProtobuf, encodeProtobufChunks, prepareScrape } from '../../src/exposition/index.js';
import { Counter, Histogram, Registry } from '../../src/index.js';
import { counterFamily, familyProblem, gaugeFamily, histogramFamily, summaryFamily, type MetricFamily, type NativeHistogram } from '../../src/model/index.js';
import { buildEveryTypeRegistry } from '../conformance/every-type-registry.js';
import { describeWithBinaries } from '../support/binaries.js';
import { decodeRaw, decodeWithOracle, PROTOBUF_ORACLE_BINARIES, type DecodedNative, type OracleFamily, type OracleResult } from '../support/protobuf-oracle.js';

const PROMETHEUS_NATIVE_ACCEPT =
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8,' +
  'application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

/** Native observations of the fixture: positive, negative, in the zero bucket, spread over decades. */
const NATIVE_VALUES = [0.0001, 0.003, 0.01, 0.012, 0.5, 0.5, 1, 1.0001, 2, 3.7, 40, 512, -0.2, -0.2, -7, 0, 1e-40, -1e-40];

function nativeRegistry(): Registry {
  const registry = buildEveryTypeRegistry({ stampSeconds: 1700000000.25 });
  const both = new Histogram({ name: 'promkit_native_both', help: 'Classic and native.', unit: 'seconds', labelNames: ['route'], buckets: [0.01, 0.1, 1], native: { bucketFactor: 1.1 }, registry });
  for (const v of NATIVE_VALUES) if (v >= 0) both.observe({ route: '/a' }, v);
  both.observe({ route: '/a' }, 0.05, { trace_id: 'feed' });
  both.labels({ route: '/unused' });
  const signed = new Histogram({ name: 'promkit_native_signed', help: 'Native only, negative values too.', native: { bucketFactor: 1.5, negativeObservations: true }, registry });
  for (const v of NATIVE_VALUES) signed.observe(v);
  const coarse = new Histogram({ name: 'promkit_native_coarse', help: 'Reduced at 4 buckets.', native: { bucketFactor: 1.01, maxBuckets: 4 }, registry });
  for (const v of NATIVE_VALUES) if (v >= 0) coarse.observe(v);
  const exact = new Histogram({ name: 'promkit_native_no_zero', help: 'Zero threshold 0, empty.', native: { zeroThreshold: 0 }, registry });
  exact.labels();
  registry.register({
    collectorName: 'native collector',
    collect: (): MetricFamily[] => {
      const family = histogramFamily<'pool'>({ name: 'promkit_native_collected', help: 'From a collector.', labelNames: ['pool'], buckets: [] }).add({ pool: 'x' }, { cumulativeCounts: [5], sum: 7.5 });
      const native: NativeHistogram = { schema: 0, zeroThreshold: 0.001, zeroCount: 1, count: 5, sum: 7.5, positiveSpans: [{ offset: 0, length: 2 }, { offset: 1, length: 1 }], positiveCounts: [1, 2, 1], negativeSpans: [], negativeCounts: [] };
      return [{ ...family, nativeHistograms: [{ labels: { pool: 'x' }, histogram: native }] }];
    },
  });
  return registry;
}

/** The protobuf samples of a family, with `_count`/`_sum` left out where OpenMetrics has none (protobuf always has both). */
function comparable(protobuf: OracleFamily, openmetrics: OracleFamily): OracleFamily {
  const names = new Set(openmetrics.samples.map((s) => s.name));
  const samples = protobuf.samples.filter((s) => names.has(s.name) || !/_(count|sum)$/.test(s.name));
  return { ...protobuf, samples };
}

function expectAgreement(result: OracleResult): void {
  expect(result.protobuf.map((f) => f.name)).toEqual(result.openmetrics.map((f) => f.name));
  result.protobuf.forEach((family, i) => {
    expect(comparable(family, result.openmetrics[i])).toEqual(result.openmetrics[i]);
  });
}

/** Which observations fall in native bucket `index` at `schema`: `2^((i-1)·2^-s) < |v| <= 2^(i·2^-s)`. */
function expectedNative(values: readonly number[], native: DecodedNative): { zero: number; positive: [number, number][]; negative: [number, number][] } {
  const inBucket = (v: number, index: number): boolean => v > Math.pow(2, (index - 1) * Math.pow(2, -native.schema)) && v <= Math.pow(2, index * Math.pow(2, -native.schema));
  const count = (sign: number, index: number): number => values.filter((v) => Math.sign(v) === sign && Math.abs(v) > native.zeroThreshold && inBucket(Math.abs(v), index)).length;
  return {
    zero: values.filter((v) => Math.abs(v) <= native.zeroThreshold).length,
    positive: native.positive.map(([index]) => [index, count(1, index)]),
    negative: native.negative.map(([index]) => [index, count(-1, index)]),
  };
}

describeWithBinaries(PROTOBUF_ORACLE_BINARIES, 'protobuf exposition, decoded by protoc + python3-protobuf with the official metrics.proto', () => {
  let result: OracleResult;
  let body: Uint8Array;
  let families: readonly MetricFamily[];

  beforeAll(async () => {
    const registry = nativeRegistry();
    families = (await registry.collect()).families;
    body = encodeProtobuf(families);
    [result] = await decodeWithOracle([{ protobuf: body, openmetrics: encodeOpenMetrics(families) }]);
  });

  it('agrees family by family with the OpenMetrics text of the same registry (every type, exemplars, created, timestamps)', () => {
    expect(result.protobuf.length).toBeGreaterThan(12);
    expectAgreement(result);
    const byName = new Map(result.protobuf.map((f) => [f.name, f]));
    expect(byName.get('promkit_e2e_requests_total')?.type).toBe('COUNTER');
    expect(byName.get('promkit_e2e_build_info')?.type).toBe('GAUGE');
    expect(byName.get('promkit_e2e_queued_bytes')?.type).toBe('GAUGE_HISTOGRAM');
    expect(byName.get('promkit_e2e_legacy')?.type).toBe('UNTYPED');
    expect(byName.get('promkit_e2e_phase')?.type).toBe('GAUGE');
    // The things the comparison must have seen, so it cannot pass on empty families.
    const all = result.protobuf.flatMap((f) => f.samples);
    expect(all.filter((s) => s.exemplar !== null).length).toBeGreaterThanOrEqual(2);
    expect(all.some((s) => s.name.endsWith('_created'))).toBe(true);
    expect(all.some((s) => s.timestamp === '1700000000.25')).toBe(true);
    expect(result.units.promkit_e2e_latency_seconds).toBe('seconds');
  });

  it('carries native buckets that hold exactly the observations, with negative buckets, zero bucket and a reduced schema', () => {
    const byName = (labels: Record<string, string>, count: number): DecodedNative => {
      const found = result.native.find((n) => n.count === count && JSON.stringify(n.labels) === JSON.stringify(labels));
      if (found === undefined) throw new Error(`no native series ${JSON.stringify(labels)} with count ${count}`);
      return found;
    };
    const signed = byName({}, NATIVE_VALUES.length);
    expect(signed.schema).toBe(1);
    expect(signed.sum).toBeCloseTo(NATIVE_VALUES.reduce((a, b) => a + b, 0), 9);
    const expected = expectedNative(NATIVE_VALUES, signed);
    expect(signed.zeroCount).toBe(expected.zero);
    expect(signed.zeroCount).toBe(3);
    expect(signed.positive).toEqual(expected.positive);
    expect(signed.negative).toEqual(expected.negative);
    expect(signed.negative.reduce((n, [, c]) => n + c, 0)).toBe(3);
    expect(signed.zeroCount + [...signed.positive, ...signed.negative].reduce((n, [, c]) => n + c, 0)).toBe(signed.count);

    const positives = NATIVE_VALUES.filter((v) => v >= 0);
    const coarse = result.native.filter((n) => n.count === positives.length && n.positive.length <= 4 && n.schema < 8);
    expect(coarse).toHaveLength(1);
    expect(coarse[0].schema).toBeLessThan(8); // 1.01 asks for schema 7; 4 buckets force it down
    expect(coarse[0].positive.filter(([, c]) => c > 0).length).toBeLessThanOrEqual(4);
    expect(coarse[0].positive).toEqual(expectedNative(positives, coarse[0]).positive);

    const both = byName({ route: '/a' }, positives.length + 1);
    expect(both.schema).toBe(3);
    expect(both.exemplars).toBe(1);
    expect(both.positive).toEqual(expectedNative([...positives, 0.05], both).positive);

    const empty = result.native.find((n) => n.zeroThreshold === 0 && n.count === 0);
    expect(empty).toBeDefined(); // recognised as native by its empty span
    const collected = byName({ pool: 'x' }, 5);
    expect(collected.positive).toEqual([
      [0, 1],
      [1, 2],
      [3, 1],
    ]);
  });

  it('writes created timestamps in the newest metrics.proto fields (Counter 3, Histogram 15), which protoc sees as unknown numbers', () => {
    const counterBody = encodeProtobuf(families.filter((f) => f.name === 'promkit_e2e_processed_bytes'));
    const raw = decodeRaw(counterBody);
    expect(raw).toMatch(/4 \{\s*3 \{\s*1: 1024\.0|4 \{[\s\S]*3 \{[\s\S]*1: 0x4090000000000000/);
    expect(raw).toMatch(/3 \{[\s\S]*3 \{\s*1: \d{10}/); // Counter.created_timestamp.seconds
    const histogramBody = encodeProtobuf(families.filter((f) => f.name === 'promkit_native_signed'));
    expect(decodeRaw(histogramBody)).toMatch(/15 \{\s*1: \d{10}/);
  });

  it('is what prepareScrape serves for Prometheus 2.42 with native histograms on, in chunks that join to the same bytes, name[] applied', async () => {
    const registry = nativeRegistry();
    const prepared = await prepareScrape(registry, { accept: PROMETHEUS_NATIVE_ACCEPT, chunkSize: 256, names: ['promkit_native_signed_bucket', 'promkit_e2e_requests_total'] });
    expect(prepared.format).toBe('protobuf');
    expect(prepared.contentType).toBe('application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited');
    const pieces = [...prepared.chunks()];
    expect(pieces.every((p) => p instanceof Uint8Array)).toBe(true);
    const joined = Buffer.concat(pieces as Uint8Array[]);
    expect(joined.equals(Buffer.from(encodeProtobuf(prepared.families)))).toBe(true);
    const [decoded] = await decodeWithOracle([{ protobuf: joined, openmetrics: encodeOpenMetrics(prepared.families) }]);
    expect(decoded.protobuf.map((f) => f.name).sort()).toEqual(['promkit_e2e_requests_total', 'promkit_native_signed']);
    expect(decoded.native).toHaveLength(1);
    expectAgreement(decoded);
  });

  it('property: collector families of random labels, values and exemplars agree with their OpenMetrics text', async () => {
    const label = fc.string({ unit: 'grapheme', maxLength: 8 });
    const finite = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 });
    const count = fc.nat({ max: 1e9 });
    const exemplar = fc.option(fc.record({ labels: fc.record({ trace_id: fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 1, maxLength: 16 }) }), value: finite }), { nil: undefined });
    const registryCase = fc.record({
      values: fc.uniqueArray(fc.tuple(label, finite.map(Math.abs), exemplar, fc.double({ noNaN: true })), { selector: (t) => t[0], maxLength: 5 }),
      counts: fc.array(count, { minLength: 3, maxLength: 3 }),
      stamp: fc.option(fc.integer({ min: 0, max: 4e12 }).map((ms) => ms / 1000), { nil: undefined }),
      quantile: fc.double({ min: 0, max: 1, noNaN: true }),
    });
    const cases = fc.sample(registryCase, { seed: 15, numRuns: 40 });
    const pairs = cases.map((c) => {
      const counter = counterFamily<'k'>({ name: 'prop_c', help: 'h\n"\\', labelNames: ['k'] });
      const gauge = gaugeFamily<'k'>({ name: 'prop_g', help: 'ü', labelNames: ['k'] });
      for (const [k, v, e, g] of c.values) {
        counter.add({ k }, v, e === undefined ? {} : { exemplar: e });
        gauge.add({ k }, g, c.stamp === undefined ? {} : { timestamp: c.stamp });
      }
      const sorted = [...c.counts].sort((a, b) => a - b);
      const histogram = histogramFamily({ name: 'prop_h', help: '', buckets: [-1, 0.5] }).add({ cumulativeCounts: sorted, created: 1.5 });
      const summary = summaryFamily({ name: 'prop_s', help: '', quantiles: [c.quantile] }).add({ count: sorted[0], sum: 3, quantiles: [2] });
      const families = [counter, gauge, histogram, summary];
      return { protobuf: encodeProtobuf(families), openmetrics: encodeOpenMetrics(families) };
    });
    const results = await decodeWithOracle(pairs);
    for (const r of results) expectAgreement(r);
    expect(results.some((r) => r.protobuf[0].samples.some((s) => s.exemplar !== null))).toBe(true);
  });
});

describeWithBinaries(PROTOBUF_ORACLE_BINARIES, 'native parts a collector hands in, through the validator and the protobuf decoder', () => {
  it('property: whatever familyProblem accepts decodes to the same buckets; nothing it is handed makes it throw', async () => {
    const span = fc.record({ offset: fc.integer({ min: -5, max: 5 }), length: fc.integer({ min: 0, max: 4 }) });
    const side = fc.array(span, { maxLength: 4 }).chain((spans) =>
      fc.record({ spans: fc.constant(spans), counts: fc.array(fc.nat({ max: 1e6 }), { minLength: spans.reduce((n, s) => n + s.length, 0), maxLength: spans.reduce((n, s) => n + s.length, 0) }) }),
    );
    const raw = fc.record({
      schema: fc.integer({ min: -6, max: 10 }),
      zeroThreshold: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(-1)),
      zeroCount: fc.nat({ max: 100 }),
      positive: side,
      negative: side,
      countOffset: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: -2, max: 2 })),
      sum: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }), fc.constant(NaN)),
    });
    const cases = fc.sample(raw, { seed: 15, numRuns: 120 }).map((r) => {
      const total = r.zeroCount + [...r.positive.counts, ...r.negative.counts].reduce((a, b) => a + b, 0);
      const histogram: NativeHistogram = {
        schema: r.schema,
        zeroThreshold: r.zeroThreshold,
        zeroCount: r.zeroCount,
        count: total + r.countOffset,
        sum: r.sum,
        positiveSpans: r.positive.spans,
        positiveCounts: r.positive.counts,
        negativeSpans: r.negative.spans,
        negativeCounts: r.negative.counts,
      };
      const family: MetricFamily = {
        name: 'hostile',
        type: 'histogram',
        help: '',
        unit: '',
        samples: [{ name: 'hostile_bucket', labels: { le: '+Inf' }, value: Math.max(0, total) }],
        nativeHistograms: [{ labels: {}, histogram }],
      };
      return { family, histogram, problem: familyProblem(family) };
    });
    const accepted = cases.filter((c) => c.problem === undefined);
    expect(accepted.length).toBeGreaterThan(10);
    expect(cases.length - accepted.length).toBeGreaterThan(10);
    const results = await decodeWithOracle(accepted.map((c) => ({ protobuf: encodeProtobuf([c.family]), openmetrics: encodeOpenMetrics([c.family]) })));
    const expand = (spans: readonly { offset: number; length: number }[], counts: readonly number[]): [number, number][] => {
      const out: [number, number][] = [];
      let index = 0;
      let k = 0;
      for (const s of spans) {
        index += s.offset;
        for (let i = 0; i < s.length; i++) out.push([index++, counts[k++]]);
      }
      return out;
    };
    results.forEach((result, i) => {
      const h = accepted[i].histogram;
      const empty = h.positiveSpans.length === 0 && h.negativeSpans.length === 0 && h.zeroThreshold === 0 && h.zeroCount === 0;
      // An empty native histogram with no zero threshold is marked by an empty span, which decodes to no bucket.
      expect(result.native).toHaveLength(1);
      expect(result.native[0]).toMatchObject({ schema: h.schema, zeroThreshold: h.zeroThreshold, zeroCount: h.zeroCount, count: h.count });
      expect(result.native[0].positive).toEqual(empty ? [] : expand(h.positiveSpans, h.positiveCounts));
      expect(result.native[0].negative).toEqual(expand(h.negativeSpans, h.negativeCounts));
    });
  });
});

it('protobuf chunks end at family ends and are at least the chunk size, except the last', () => {
  const registry = new Registry();
  const c = new Counter({ name: 'many', help: 'h', labelNames: ['i'], registry });
  for (let i = 0; i < 2000; i++) c.inc({ i: String(i) });
  const families: MetricFamily[] = [];
  for (let f = 0; f < 20; f++) families.push(gaugeFamily({ name: `g${f}`, help: '' }).add(f));
  return registry.collect().then(({ families: collected }) => {
    const all = [...collected, ...families];
    const pieces = [...encodeProtobufChunks(all, 16)];
    expect(pieces.length).toBe(21); // every family is longer than 16 bytes: one piece each
    expect(pieces[0].length).toBeGreaterThan(2000 * 16);
    const few = [...encodeProtobufChunks(all, 4096)];
    expect(few.length).toBeLessThan(5);
    for (const piece of few.slice(0, -1)) expect(piece.length).toBeGreaterThanOrEqual(4096);
    expect(Buffer.concat(few).equals(Buffer.from(encodeProtobuf(all)))).toBe(true);
    expect(Buffer.concat(pieces).equals(Buffer.from(encodeProtobuf(all)))).toBe(true);
  });
});
