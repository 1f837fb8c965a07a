import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { encodeProtobuf, encodeText } from '../../src/exposition/index.js';
import { Histogram, InvalidOptionsError, InvalidValueError, Registry } from '../../src/index.js';
import { familyProblem, histogramFamily, type MetricFamily, type NativeHistogram } from '../../src/model/index.js';

async function nativeOf(registry: Registry, name: string): Promise<NativeHistogram[]> {
  const family = (await registry.collect()).families.find((f) => f.name === name);
  return (family?.nativeHistograms ?? []).map((n) => n.histogram);
}

const bucketCount = (h: NativeHistogram): number => [...h.positiveCounts, ...h.negativeCounts].filter((c) => c > 0).length;

describe('Histogram with native buckets', () => {
  it('is native only without buckets: the text formats show _bucket{le="+Inf"}, _count, _sum and _created', async () => {
    const registry = new Registry();
    const h = new Histogram({ name: 'n_seconds', help: 'h', native: true, registry });
    h.observe(0.25);
    h.observe(3);
    expect(h.buckets).toEqual([Infinity]);
    expect(h.native).toEqual({ bucketFactor: 1.1, zeroThreshold: 2 ** -128, maxBuckets: 160, negativeObservations: false });
    const text = encodeText((await registry.collect({ names: ['n_seconds_bucket', 'n_seconds_count', 'n_seconds_sum'] })).families);
    expect(text).toBe('# HELP n_seconds h\n# TYPE n_seconds histogram\nn_seconds_bucket{le="+Inf"} 2.0\nn_seconds_count 2.0\nn_seconds_sum 3.25\n');
    const [native] = await nativeOf(registry, 'n_seconds');
    expect(native).toMatchObject({ schema: 3, count: 2, sum: 3.25, zeroCount: 0, negativeSpans: [] });
    expect(native.positiveCounts).toEqual([1, 1]);
  });

  it('keeps classic buckets alongside when both are asked for, with the same count and sum', async () => {
    const registry = new Registry();
    const h = new Histogram({ name: 'both', help: 'h', buckets: [1, 2], native: { bucketFactor: 2 }, labelNames: ['a'], registry });
    for (const v of [0.5, 1.5, 1.5, 3]) h.observe({ a: 'x' }, v);
    const family = (await registry.collect()).families.find((f) => f.name === 'both') as MetricFamily;
    expect(family.samples.filter((s) => s.name === 'both_bucket').map((s) => s.value)).toEqual([1, 3, 4]);
    expect(family.nativeHistograms).toEqual([
      { labels: { a: 'x' }, histogram: expect.objectContaining({
          schema: 0,
          count: 4,
          sum: 6.5,
          // (0.25, 0.5] is bucket -1, (1, 2] bucket 1, (2, 4] bucket 2
          positiveSpans: [
            { offset: -1, length: 1 },
            { offset: 1, length: 2 },
          ],
          positiveCounts: [1, 2, 1],
        }),
      },
    ]);
    expect(familyProblem({ ...family })).toBeUndefined(); // a plain copy passes the one validator
  });

  it('counts values within the zero threshold (either sign) in the zero bucket', async () => {
    const registry = new Registry();
    const h = new Histogram({ name: 'z', help: 'h', native: { zeroThreshold: 0.001, negativeObservations: true }, registry });
    for (const v of [0, 0.001, -0.0005, 0.0011, -0.0011]) h.observe(v);
    const [native] = await nativeOf(registry, 'z');
    expect(native.zeroCount).toBe(3);
    expect(native.positiveCounts).toEqual([1]);
    expect(native.negativeCounts).toEqual([1]);
    expect(native.count).toBe(5);
  });

  it('refuses negative values unless negativeObservations, and infinities always; a refused value leaves nothing behind', async () => {
    const registry = new Registry();
    const h = new Histogram({ name: 'p', help: 'h', native: true, registry });
    expect(() => h.observe(-1)).toThrow(InvalidValueError);
    expect(() => h.observe(Infinity)).toThrow(/finite values only/);
    expect(() => h.observe(NaN)).toThrow(InvalidValueError);
    expect((await nativeOf(registry, 'p'))[0]).toMatchObject({ count: 0, sum: 0, positiveCounts: [] });
    expect(h.native?.negativeObservations).toBe(false);
    const signed = new Histogram({ name: 's', help: 'h', native: { negativeObservations: true }, registry });
    signed.observe(-2);
    signed.observe(-2);
    signed.observe(4);
    const family = (await registry.collect()).families.find((f) => f.name === 's') as MetricFamily;
    // OpenMetrics reads a histogram's sum as a counter: with negative values there is none.
    expect(family.samples.map((s) => s.name)).toEqual(['s_bucket', 's_created']);
    expect(family.nativeHistograms?.[0].histogram).toMatchObject({ count: 3, sum: 0, negativeCounts: [2], positiveCounts: [1] });
  });

  it('reduces the schema when a series holds more than maxBuckets buckets, losing no observation', async () => {
    const registry = new Registry();
    const h = new Histogram({ name: 'r', help: 'h', native: { bucketFactor: 1.01, maxBuckets: 5, negativeObservations: true }, registry });
    const values = [1, 1.5, 2, 3, 5, 8, 13, 21, 34, 55, 89, -0.3, -30];
    for (const v of values) h.observe(v);
    const [native] = await nativeOf(registry, 'r');
    expect(native.schema).toBeLessThan(7);
    expect(bucketCount(native)).toBeLessThanOrEqual(5);
    expect(native.zeroCount + [...native.positiveCounts, ...native.negativeCounts].reduce((a, b) => a + b, 0)).toBe(values.length);
    // One schema more would have needed more than 5 buckets (the reduction stops as soon as it fits).
    const finer = new Set(values.map((v) => `${Math.sign(v)}:${Math.ceil(Math.log2(Math.abs(v)) * 2 ** (native.schema + 1) - 1e-9)}`));
    expect(finer.size).toBeGreaterThan(5);
  });

  it('property: any observations keep count = zero + buckets, at most maxBuckets buckets (schema > -4), and a family the validator accepts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { maxLength: 80 }),
        fc.integer({ min: 1, max: 12 }),
        fc.double({ min: 1.001, max: 100, noNaN: true }),
        async (values, maxBuckets, bucketFactor) => {
          const registry = new Registry();
          const h = new Histogram({ name: 'q', help: 'h', buckets: [-1, 1], native: { maxBuckets, bucketFactor, negativeObservations: true }, registry });
          for (const v of values) h.observe(v);
          const family = (await registry.collect()).families[0];
          const native = family.nativeHistograms?.[0].histogram as NativeHistogram;
          expect(native.count).toBe(values.length);
          if (native.schema > -4) expect(bucketCount(native)).toBeLessThanOrEqual(maxBuckets);
          expect(familyProblem({ ...family })).toBeUndefined();
          expect(encodeProtobuf([family]).length).toBeGreaterThan(0);
        },
      ),
      { seed: 15, numRuns: 150 },
    );
  });

  it('checks its options (InvalidOptionsError) and refuses another definition with other native options', () => {
    const registry = new Registry();
    expect(() => new Histogram({ name: 'o1', help: 'h', native: { bucketFactor: 1 }, registry })).toThrow(InvalidOptionsError);
    expect(() => new Histogram({ name: 'o2', help: 'h', native: { zeroThreshold: -1 }, registry })).toThrow(/zeroThreshold/);
    expect(() => new Histogram({ name: 'o3', help: 'h', native: { maxBuckets: 1.5 }, registry })).toThrow(/maxBuckets/);
    const first = new Histogram({ name: 'same', help: 'h', native: { bucketFactor: 1.1 }, registry });
    expect(new Histogram({ name: 'same', help: 'h', native: { bucketFactor: 1.1 }, registry })).toBe(first);
    expect(() => new Histogram({ name: 'same', help: 'h', native: { bucketFactor: 2 }, registry })).toThrow(/native/);
    expect(() => new Histogram({ name: 'same', help: 'h', registry })).toThrow(/native/);
  });
});

describe('native parts a collector hands in', () => {
  const base = (): MetricFamily => histogramFamily<'k'>({ name: 'c', help: 'h', labelNames: ['k'], buckets: [] }).add({ k: 'a' }, { cumulativeCounts: [3], sum: 4 });
  const good: NativeHistogram = { schema: 0, zeroThreshold: 0, zeroCount: 1, count: 3, sum: 4, positiveSpans: [{ offset: 1, length: 2 }], positiveCounts: [1, 1], negativeSpans: [], negativeCounts: [] };
  const withNative = (histogram: unknown, labels: unknown = { k: 'a' }): MetricFamily => ({ ...base(), nativeHistograms: [{ labels, histogram }] }) as unknown as MetricFamily;

  it('passes the one validator when well-formed and matched to a series', () => {
    expect(familyProblem(withNative(good))).toBeUndefined();
  });

  it.each<[string, unknown, RegExp]>([
    ['schema out of range', { ...good, schema: 9 }, /schema must be an integer from -4 to 8/],
    ['count off', { ...good, count: 4 }, /count \(4\) must equal/],
    ['spans and counts disagree', { ...good, positiveCounts: [1] }, /covers? 2 buckets/],
    ['negative second span offset', { ...good, positiveSpans: [{ offset: 1, length: 1 }, { offset: -1, length: 1 }] }, /not negative after the first span/],
    ['fractional count', { ...good, positiveCounts: [0.5, 1.5] }, /non-negative integer/],
    ['NaN sum', { ...good, sum: NaN }, /sum must be a number/],
    ['sum differs from _sum', { ...good, sum: 5 }, /differs from the series' _sum/],
    ['bad exemplar', { ...good, exemplars: [{ labels: { 'bad-name': 'x' }, value: 1 }] }, /exemplar label name/],
  ])('refuses %s', (_what, histogram, reason) => {
    expect(familyProblem(withNative(histogram))?.message).toMatch(reason);
  });

  it('refuses a native part of no series, a second one for a series, and native parts on other types', () => {
    expect(familyProblem(withNative(good, { k: 'b' }))?.message).toMatch(/no series of the family has the labels/);
    expect(familyProblem({ ...base(), nativeHistograms: [{ labels: { k: 'a' }, histogram: good }, { labels: { k: 'a' }, histogram: good }] })?.message).toMatch(/a second native part/);
    expect(familyProblem({ name: 'g', type: 'gauge', help: '', unit: '', samples: [], nativeHistograms: [] })?.message).toMatch(/only a histogram/);
  });

  it('a registry leaves out a collector family with a bad native part and reports it, serving the rest', async () => {
    const registry = new Registry({ onCollectorError: () => undefined });
    registry.register({ collectorName: 'bad native', collect: () => [withNative({ ...good, count: 99 })] });
    const result = await registry.collect();
    expect(result.failures.map((f) => [f.collector, f.reason, String(f.error)])).toEqual([['bad native', 'invalid', expect.stringMatching(/native count|must equal/)]]);
    expect(result.families.some((f) => f.name === 'c')).toBe(false);
  });

  it('keeps a good native part through the registry, default labels added to it too', async () => {
    const registry = new Registry({ defaultLabels: { service: 's' } });
    registry.register({ collectorName: 'good native', collect: () => [withNative(good)] });
    const family = (await registry.collect()).families.find((f) => f.name === 'c');
    expect(family?.nativeHistograms).toEqual([{ labels: { service: 's', k: 'a' }, histogram: good }]);
    expect(familyProblem(family)).toBeUndefined();
  });
});
