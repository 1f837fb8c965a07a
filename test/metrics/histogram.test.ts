import { afterEach, describe, expect, it, jest } from '@jest/globals';
import fc from 'fast-check';
import { InvalidBucketsError, InvalidOptionsError, InvalidValueError, LabelSetMismatchError } from '../../src/model/index.js';
import { DEFAULT_BUCKETS, Gauge, Histogram, exponentialBuckets, linearBuckets } from '../../src/metrics/index.js';
import { onlyFamily, rows, samplesNamed } from './sample-rows.js';

afterEach(() => {
  jest.restoreAllMocks();
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Cumulative bucket counts as `le -> count`. */
function buckets(h: Histogram<string>, labels: Record<string, string> = {}): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of samplesNamed(h, `${h.name}_bucket`)) {
    if (Object.entries(labels).every(([k, v]) => s.labels[k] === v)) out[s.labels.le] = s.value;
  }
  return out;
}

describe('Histogram', () => {
  it('reproduces the seed example: 15 default buckets, cumulative, with _count, _sum, _created', () => {
    jest.spyOn(Date, 'now').mockReturnValue(1_727_402_670_358);
    const h = new Histogram({ name: 'request_latency_seconds2', help: 'Description of histogram', registry: null });
    for (let i = 0; i < 4; i++) h.observe(8.8);
    const family = onlyFamily(h.collect());
    expect(family).toMatchObject({ name: 'request_latency_seconds2', type: 'histogram', help: 'Description of histogram', unit: '' });
    expect(family.samples.map((s) => [s.name, s.labels, s.value])).toEqual([
      ...['0.005', '0.01', '0.025', '0.05', '0.075', '0.1', '0.25', '0.5', '0.75', '1.0', '2.5', '5.0', '7.5'].map((le) => [
        'request_latency_seconds2_bucket',
        { le },
        0,
      ]),
      ['request_latency_seconds2_bucket', { le: '10.0' }, 4],
      ['request_latency_seconds2_bucket', { le: '+Inf' }, 4],
      ['request_latency_seconds2_count', {}, 4],
      ['request_latency_seconds2_sum', {}, 35.2],
      ['request_latency_seconds2_created', {}, 1_727_402_670.358],
    ]);
  });

  it('exports the default buckets ending in +Inf', () => {
    expect(DEFAULT_BUCKETS).toEqual([0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, Infinity]);
    expect(new Histogram({ name: 'h', help: 'h', registry: null }).buckets).toEqual(DEFAULT_BUCKETS);
  });

  it('puts a value equal to a bound into that bucket, and counts cumulatively', () => {
    const h = new Histogram({ name: 'h', help: 'h', buckets: [1, 2, 5], registry: null });
    for (const v of [0, 0, 1, 1.0000001, 2, 4.9, 5, 6, Infinity]) h.observe(v);
    expect(buckets(h)).toEqual({ '1.0': 3, '2.0': 5, '5.0': 7, '+Inf': 9 });
    expect(samplesNamed(h, 'h_count')[0].value).toBe(9);
    expect(samplesNamed(h, 'h_sum')[0].value).toBe(Infinity);
  });

  it('keeps a bucket count exact past 2^32 (its 32-bit slot carries into the series), in getCount, the snapshot and after remove()', () => {
    const h = new Histogram({ name: 'h', help: 'h', labelNames: ['k'], buckets: [1, 2], registry: null });
    const child = h.labels({ k: 'a' });
    h.labels({ k: 'b' }).observe(1.5);
    // Reaching 2^32 observations takes hours: start the bucket's 32-bit slot just below its wrap.
    const internals = child as unknown as { page: { counts: Uint32Array }; slot: number };
    internals.page.counts[internals.slot * 3] = 2 ** 32 - 2;
    for (let i = 0; i < 5; i++) child.observe(0.5);
    child.observe(1.5);
    const expected = 2 ** 32 - 2 + 5;
    expect(child.getCount()).toBe(expected + 1);
    const bucketsOf = (k: string) => Object.fromEntries(samplesNamed(h, 'h_bucket').filter((s) => s.labels.k === k).map((s) => [s.labels.le, s.value]));
    expect(bucketsOf('a')).toEqual({ '1.0': expected, '2.0': expected + 1, '+Inf': expected + 1 });
    expect(bucketsOf('b')).toEqual({ '1.0': 0, '2.0': 1, '+Inf': 1 });
    h.remove({ k: 'a' });
    child.observe(0.5);
    expect(child.getCount()).toBe(expected + 2);
    // The freed slot was zeroed: a new series there starts from nothing.
    const fresh = h.labels({ k: 'c' });
    fresh.observe(0.5);
    expect(fresh.getCount()).toBe(1);
  });

  it('counts -Infinity and negatives in the lowest bucket when a bound is negative', () => {
    const h = new Histogram({ name: 'h', help: 'h', buckets: [-1, 2], registry: null });
    for (const v of [-Infinity, -3, -1, 0, 2, Infinity]) h.observe(v);
    expect(buckets(h)).toEqual({ '-1.0': 3, '2.0': 5, '+Inf': 6 });
  });

  it('refuses a negative observation without a negative bucket bound, and records nothing', () => {
    const h = new Histogram({ name: 'lat', help: 'h', buckets: [0, 1], registry: null });
    expect(() => h.observe(-0.5)).toThrow(InvalidValueError);
    expect(() => h.observe(-Infinity)).toThrow(/"lat".*negative bucket bound/);
    h.observe(-0); // -0 is not negative
    expect(buckets(h)).toEqual({ '0.0': 1, '1.0': 1, '+Inf': 1 });
    expect(samplesNamed(h, 'lat_sum')[0].value).toBe(0);
  });

  it('accepts a trailing +Inf without duplicating it', () => {
    const h = new Histogram({ name: 'h', help: 'h', buckets: [0.5, Infinity], registry: null });
    expect(h.buckets).toEqual([0.5, Infinity]);
    h.observe(1);
    expect(buckets(h)).toEqual({ '0.5': 0, '+Inf': 1 });
  });

  it('rejects empty, unsorted, duplicated, NaN and misplaced +Inf buckets, naming the metric', () => {
    const make = (b: unknown) => () => new Histogram({ name: 'lat', help: 'h', buckets: b as number[], registry: null });
    expect(make([])).toThrow(InvalidBucketsError);
    expect(make([Infinity])).toThrow(InvalidBucketsError);
    expect(make([1, 0.5])).toThrow(/Invalid buckets for metric "lat": bounds must be sorted ascending; 0.5 follows 1/);
    expect(make([1, 1])).toThrow(/bound 1 is duplicated/);
    expect(make([1, NaN])).toThrow(InvalidBucketsError);
    expect(make([1, '2'])).toThrow(InvalidBucketsError);
    expect(make([1, Infinity, Infinity])).toThrow(InvalidBucketsError);
    expect(make('1,2')).toThrow(InvalidBucketsError);
  });

  it('leaves out _sum, and so _count, when a bucket bound is negative (OpenMetrics)', () => {
    const h = new Histogram({ name: 'temp', help: 'h', buckets: [-10, 0, 10], registry: null });
    h.observe(-5);
    h.observe(3);
    expect(onlyFamily(h.collect()).samples.map((s) => s.name)).toEqual([
      'temp_bucket',
      'temp_bucket',
      'temp_bucket',
      'temp_bucket',
      'temp_created',
    ]);
    expect(buckets(h)).toEqual({ '-10.0': 0, '0.0': 1, '10.0': 2, '+Inf': 2 });
  });

  it('writes le with formatFloat', () => {
    const h = new Histogram({ name: 'h', help: 'h', buckets: [1e-5, 0.1, 1, 1e6, 2.5e7], registry: null });
    expect(Object.keys(buckets(h))).toEqual(['1e-05', '0.1', '1.0', '1e+06', '2.5e+07', '+Inf']);
  });

  it('finds the right bucket with many buckets (binary search) as with few (linear scan)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), { minLength: 1, maxLength: 60 }),
        fc.array(fc.double({ noNaN: true }), { maxLength: 50 }),
        (bounds, values) => {
          const sorted = [...new Set(bounds.map((b) => (Object.is(b, -0) ? 0 : b)))].sort((a, b) => a - b);
          const h = new Histogram({ name: 'h', help: 'h', buckets: sorted, registry: null });
          // Without a negative bound, negative values are refused (and counted nowhere).
          if (sorted[0] >= 0) values = values.filter((v) => !(v < 0));
          for (const v of values) h.observe(v);
          const got = onlyFamily(h.collect()).samples.filter((s) => s.name === 'h_bucket').map((s) => s.value);
          const expected = [...sorted, Infinity].map((bound) => values.filter((v) => v <= bound).length);
          expect(got).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses exactly NaN, non-numbers, negatives without a negative bound, and infinities with native buckets, leaving the series untouched', () => {
    const shapes = [
      { name: 'classic', options: {}, negative: false, native: false },
      { name: 'classic, negative bound', options: { buckets: [-1, 1] }, negative: true, native: false },
      { name: 'native only', options: { native: true }, negative: false, native: true },
      { name: 'native with negatives', options: { native: { negativeObservations: true } }, negative: true, native: true },
      { name: 'native and classic', options: { native: true, buckets: [0.1, 1] }, negative: false, native: true },
    ] as const;
    const value = fc.oneof(fc.double(), fc.constantFrom(0, -0, Infinity, -Infinity, NaN, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, -Number.MIN_VALUE), fc.constantFrom<unknown>('1', null, undefined, 1n, {}));
    fc.assert(
      fc.property(fc.constantFrom(...shapes), value, (shape, v) => {
        const h = new Histogram({ name: 'h', help: 'h', registry: null, ...shape.options });
        // The +Inf bucket: a histogram that takes negatives shows no _count (see OpenMetrics).
        const count = () => samplesNamed(h, 'h_bucket').find((s) => s.labels.le === '+Inf')?.value;
        const refused =
          typeof v !== 'number' || Number.isNaN(v) || (v < 0 && !shape.negative) || (shape.native && !Number.isFinite(v));
        if (refused) {
          expect(() => h.observe(v as number)).toThrow(InvalidValueError);
          expect(count()).toBe(0);
        } else {
          h.observe(v as number);
          expect(count()).toBe(1);
        }
      }),
      { numRuns: 500 },
    );
  });

  describe('bucket search, with values drawn from the bounds themselves', () => {
    // BucketLayout scans linearly up to 15 finite bounds (16 with +Inf) and binary-searches
    // above that; both paths must agree on the edge cases: a value equal to a bound, and the
    // doubles right next to it.
    const LINEAR_MAX_FINITE = 15;

    /** The adjacent double towards +Inf (`up`) or -Inf. */
    function nextDouble(x: number, up: boolean): number {
      if (x === 0) return up ? Number.MIN_VALUE : -Number.MIN_VALUE;
      const view = new DataView(new ArrayBuffer(8));
      view.setFloat64(0, x);
      const bits = view.getBigInt64(0);
      view.setBigInt64(0, (x > 0) === up ? bits + 1n : bits - 1n);
      return view.getFloat64(0);
    }

    const finiteBound = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 });

    /** Strictly increasing finite bounds, `min..max` of them (-0 folded into 0). */
    const boundsOf = (min: number, max: number) =>
      fc
        .uniqueArray(finiteBound, { minLength: min, maxLength: max * 2, selector: (b) => (Object.is(b, -0) ? 0 : b) })
        .map((bs) => bs.map((b) => (Object.is(b, -0) ? 0 : b)).sort((a, b) => a - b))
        .filter((bs) => bs.length >= min)
        .map((bs) => bs.slice(0, max));

    /** Bounds plus observations: each bound, its two neighbours, random bound picks and random doubles. */
    const layoutAndValues = (min: number, max: number) =>
      boundsOf(min, max).chain((bounds) =>
        fc
          .tuple(
            fc.array(fc.integer({ min: 0, max: bounds.length - 1 }), { maxLength: 40 }),
            fc.array(fc.double({ noNaN: true }), { maxLength: 20 }),
          )
          .map(([picks, random]) => {
            const edges = bounds.flatMap((b) => [b, nextDouble(b, false), nextDouble(b, true)]);
            return { bounds, values: [...edges, ...picks.map((i) => bounds[i]), ...random] };
          }),
      );

    function expectCounts(bounds: number[], values: number[]): void {
      const h = new Histogram({ name: 'h', help: 'h', buckets: bounds, registry: null });
      // Without a negative bound, negative values are refused (and counted nowhere).
      const kept = bounds[0] >= 0 ? values.filter((v) => !(v < 0)) : values;
      for (const v of kept) h.observe(v);
      const got = samplesNamed(h, 'h_bucket').map((s) => s.value);
      expect(got).toEqual([...bounds, Infinity].map((bound) => kept.filter((v) => v <= bound).length));
    }

    it(`binary search (more than ${LINEAR_MAX_FINITE} bounds) puts a value equal to a bound into that bucket`, () => {
      fc.assert(
        fc.property(layoutAndValues(LINEAR_MAX_FINITE + 1, 80), ({ bounds, values }) => {
          expect(bounds.length).toBeGreaterThan(LINEAR_MAX_FINITE);
          expectCounts(bounds, values);
        }),
        { numRuns: 200, seed: 19 },
      );
    });

    it(`linear scan (${LINEAR_MAX_FINITE} bounds or fewer) agrees on the same edge values`, () => {
      fc.assert(
        fc.property(layoutAndValues(1, LINEAR_MAX_FINITE), ({ bounds, values }) => {
          expect(bounds.length).toBeLessThanOrEqual(LINEAR_MAX_FINITE);
          expectCounts(bounds, values);
        }),
        { numRuns: 200, seed: 19 },
      );
    });

    it('puts every bound of a 40-bucket layout into its own bucket (cumulative counts step by one)', () => {
      const bounds = linearBuckets(0, 0.25, 40);
      const h = new Histogram({ name: 'h', help: 'h', buckets: bounds, registry: null });
      for (const b of bounds) h.observe(b);
      const cumulative = samplesNamed(h, 'h_bucket').map((s) => s.value);
      expect(cumulative).toEqual([...bounds.map((_, i) => i + 1), bounds.length]);
    });
  });

  it('rejects NaN and non-number observations', () => {
    const h = new Histogram({ name: 'lat', help: 'h', labelNames: ['a'], registry: null });
    expect(() => h.observe({ a: 'x' }, NaN)).toThrow(InvalidValueError);
    expect(() => h.labels('x').observe(NaN)).toThrow(/Invalid value for metric "lat"/);
    expect(() => h.labels('x').observe('1' as unknown as number)).toThrow(InvalidValueError);
    expect(buckets(h)['+Inf']).toBe(0);
  });

  it('records labelled series with label buckets first, then le', () => {
    const h = new Histogram({ name: 'h', help: 'h', labelNames: ['route', 'method'], buckets: [1], registry: null });
    h.observe({ route: '/', method: 'GET' }, 0.5);
    h.labels('/', 'GET').observe(2);
    h.labels({ route: '/x', method: 'POST' }).observe(1);
    expect(rows(h)).toEqual([
      { name: 'h_bucket', labels: { route: '/', method: 'GET', le: '1.0' }, value: 1 },
      { name: 'h_bucket', labels: { route: '/', method: 'GET', le: '+Inf' }, value: 2 },
      { name: 'h_count', labels: { route: '/', method: 'GET' }, value: 2 },
      { name: 'h_sum', labels: { route: '/', method: 'GET' }, value: 2.5 },
      { name: 'h_bucket', labels: { route: '/x', method: 'POST', le: '1.0' }, value: 1 },
      { name: 'h_bucket', labels: { route: '/x', method: 'POST', le: '+Inf' }, value: 1 },
      { name: 'h_count', labels: { route: '/x', method: 'POST' }, value: 1 },
      { name: 'h_sum', labels: { route: '/x', method: 'POST' }, value: 1 },
    ]);
    expect(Object.keys(onlyFamily(h.collect()).samples[0].labels)).toEqual(['route', 'method', 'le']);
    // @ts-expect-error a labelled metric takes its labels (a compile error too)
    expect(() => h.observe(1)).toThrow(LabelSetMismatchError);
    expect(h.labels('/', 'GET').getCount()).toBe(2);
    expect(h.labels('/', 'GET').getSum()).toBe(2.5);
  });

  it('stamps _created per series', () => {
    const now = jest.spyOn(Date, 'now').mockReturnValue(5_000);
    const h = new Histogram({ name: 'h', help: 'h', labelNames: ['a'], registry: null });
    h.observe({ a: '1' }, 1);
    now.mockReturnValue(9_000);
    h.observe({ a: '2' }, 1);
    expect(samplesNamed(h, 'h_created').map((s) => s.value)).toEqual([5, 9]);
  });

  it('keeps one exemplar per bucket, on the bucket the value falls in', () => {
    jest.spyOn(Date, 'now').mockReturnValue(1_700_000_000_000);
    const h = new Histogram({ name: 'h', help: 'h', buckets: [1, 5], registry: null });
    h.observe(0.5, { trace_id: 'a' });
    h.observe(0.7, { trace_id: 'b' });
    h.observe(3);
    h.observe(7, { trace_id: 'c' });
    const samples = samplesNamed(h, 'h_bucket');
    expect(samples.map((s) => s.exemplar)).toEqual([
      { labels: { trace_id: 'b' }, value: 0.7, timestamp: 1_700_000_000 },
      undefined,
      { labels: { trace_id: 'c' }, value: 7, timestamp: 1_700_000_000 },
    ]);
    expect(samplesNamed(h, 'h_count')[0].exemplar).toBeUndefined();
    expect(() => h.observe(1, { trace_id: 'x'.repeat(200) })).toThrow(InvalidValueError);
    expect(samplesNamed(h, 'h_count')[0].value).toBe(4);
    const l = new Histogram({ name: 'l', help: 'h', labelNames: ['a'], buckets: [1], registry: null });
    l.observe({ a: 'x' }, 2, { trace_id: 'z' });
    expect(samplesNamed(l, 'l_bucket')[1].exemplar?.labels).toEqual({ trace_id: 'z' });
  });

  describe('timing', () => {
    it('startTimer observes non-negative elapsed seconds, with labels at start and/or end', async () => {
      const h = new Histogram({ name: 'h', help: 'h', labelNames: ['a', 'b'], buckets: [0.001, 10], registry: null });
      const end = h.startTimer({ a: '1' });
      await sleep(20);
      const seconds = end({ b: '2' });
      expect(seconds).toBeGreaterThanOrEqual(0.015);
      expect(seconds).toBeLessThan(10);
      expect(buckets(h, { a: '1', b: '2' })).toEqual({ '0.001': 0, '10.0': 1, '+Inf': 1 });
      expect(samplesNamed(h, 'h_sum')[0].value).toBe(seconds);
      const u = new Histogram({ name: 'u', help: 'h', registry: null });
      expect(u.startTimer()()).toBeGreaterThanOrEqual(0);
      expect(u.labels().startTimer()()).toBeGreaterThanOrEqual(0);
      expect(samplesNamed(u, 'u_count')[0].value).toBe(2);
    });

    it('startTimer records into the series its start labels named, whatever the caller does with that object before the end', () => {
      const h = new Histogram({ name: 'h', help: 'h', labelNames: ['route'], buckets: [10], registry: null });
      const g = new Gauge({ name: 'g', help: 'h', labelNames: ['route'], registry: null });
      const labels = { route: '/a' };
      const endHistogram = h.startTimer(labels);
      const endGauge = g.startTimer(labels);
      labels.route = '/b';
      endHistogram();
      endGauge();
      expect(buckets(h, { route: '/a' })).toEqual({ '10.0': 1, '+Inf': 1 });
      expect(buckets(h, { route: '/b' })).toEqual({});
      expect(rows(g).map((row) => row.labels.route)).toEqual(['/a']);
    });

    it('time() keeps a synchronous function synchronous and observes it, also when it throws', () => {
      const h = new Histogram({ name: 'h', help: 'h', registry: null });
      const result = h.time(() => 'value');
      expect(result).toBe('value');
      expect(() =>
        h.time(() => {
          throw new Error('sync failure');
        }),
      ).toThrow('sync failure');
      expect(samplesNamed(h, 'h_count')[0].value).toBe(2);
    });

    it('time() observes a promise when it resolves and passes its value through', async () => {
      const h = new Histogram({ name: 'h', help: 'h', labelNames: ['op'], registry: null });
      const pending = h.time({ op: 'read' }, async () => {
        await sleep(20);
        return { rows: 3 };
      });
      expect(samplesNamed(h, 'h_count')[0].value).toBe(0); // not yet settled
      await expect(pending).resolves.toEqual({ rows: 3 });
      expect(samplesNamed(h, 'h_count')[0].value).toBe(1);
      expect(samplesNamed(h, 'h_sum')[0].value).toBeGreaterThanOrEqual(0.015);
    });

    it('time() observes a promise when it rejects and passes the same reason through', async () => {
      const h = new Histogram({ name: 'h', help: 'h', registry: null });
      const reason = new Error('async failure');
      const pending = h.labels().time(() => sleep(10).then(() => Promise.reject(reason)));
      await expect(pending).rejects.toBe(reason);
      expect(samplesNamed(h, 'h_count')[0].value).toBe(1);
      expect(samplesNamed(h, 'h_sum')[0].value).toBeGreaterThanOrEqual(0.005);
    });

    it('time() handles thenables that are not native promises', async () => {
      const h = new Histogram({ name: 'h', help: 'h', registry: null });
      const thenable = { then: (resolve: (v: number) => void) => setTimeout(() => resolve(5), 5) };
      await expect(Promise.resolve(h.time(() => thenable))).resolves.toBe(5);
      expect(samplesNamed(h, 'h_count')[0].value).toBe(1);
    });
  });

  describe('bucket helpers', () => {
    it('builds linear buckets', () => {
      expect(linearBuckets(0, 10, 4)).toEqual([0, 10, 20, 30]);
      expect(linearBuckets(-1, 0.5, 3)).toEqual([-1, -0.5, 0]);
      expect(() => linearBuckets(0, 0, 3)).toThrow(InvalidOptionsError);
      expect(() => linearBuckets(0, 1, 0)).toThrow(InvalidOptionsError);
      expect(() => linearBuckets(NaN, 1, 2)).toThrow(InvalidOptionsError);
    });

    it('builds exponential buckets', () => {
      expect(exponentialBuckets(1, 2, 4)).toEqual([1, 2, 4, 8]);
      expect(exponentialBuckets(0.001, 10, 3)).toEqual([0.001, 0.001 * 10, 0.001 * 10 * 10]); // multiplied like client_golang
      expect(() => exponentialBuckets(0, 2, 3)).toThrow(InvalidOptionsError);
      expect(() => exponentialBuckets(1, 1, 3)).toThrow(InvalidOptionsError);
      expect(() => exponentialBuckets(1, 2, 1.5)).toThrow(InvalidOptionsError);
    });

    it('feeds a histogram', () => {
      const h = new Histogram({ name: 'h', help: 'h', buckets: exponentialBuckets(1, 10, 3), registry: null });
      expect(Object.keys(buckets(h))).toEqual(['1.0', '10.0', '100.0', '+Inf']);
    });
  });

  it('compares buckets in definitionConflict', () => {
    const a = new Histogram({ name: 'h', help: 'h', buckets: [1, 2], registry: null });
    expect(a.definitionConflict(new Histogram({ name: 'h', help: 'h', buckets: [1, 2, Infinity], registry: null }))).toBeUndefined();
    expect(a.definitionConflict(new Histogram({ name: 'h', help: 'h', registry: null }))).toMatch(/^buckets differ: /);
  });
});
