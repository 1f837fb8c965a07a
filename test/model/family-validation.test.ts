import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  acceptFamilySteps,
  counterFamily,
  DuplicateSeriesError,
  familyProblem,
  histogramFamily,
  infoFamily,
  InvalidFamilyError,
  InvalidLabelValueError,
  InvalidValueError,
  summaryFamily,
  type MetricFamily,
  type Sample,
} from '../../src/model/index.js';
import { runSteps } from '../../src/model/steps.js';
import { isVouchedFamily } from '../../src/model/vouched-families.js';

function fam(type: MetricFamily['type'], samples: Sample[], extra: Partial<MetricFamily> = {}): MetricFamily {
  return { name: 'm', type, help: 'h', unit: '', samples, ...extra };
}

const s = (name: string, value: number, labels: Record<string, string> = {}, timestamp?: number): Sample =>
  timestamp === undefined ? { name, labels, value } : { name, labels, value, timestamp };

const histogram = (buckets: [string, number][], rest: Sample[] = [], labels: Record<string, string> = {}): Sample[] => [
  ...buckets.map(([le, v]) => s('m_bucket', v, { ...labels, le })),
  ...rest,
];

describe('familyProblem accepts what both formats can carry', () => {
  it.each<[string, MetricFamily]>([
    ['a counter with _created', fam('counter', [s('m_total', 1, { a: 'x' }), s('m_created', 5, { a: 'x' })])],
    ['a gauge with any value and a unicode label', fam('gauge', [s('m', -Infinity, { a: 'é\u{1F600}"\\\n' }), s('m', NaN, { a: 'y' })])],
    ['an empty family', fam('counter', [])],
    ['a histogram with count and sum', fam('histogram', histogram([['1.0', 1], ['+Inf', 2]], [s('m_count', 2), s('m_sum', 3)]))],
    ['a histogram with a negative bound and no sum', fam('histogram', histogram([['-1.0', 1], ['+Inf', 2]]))],
    ['a gauge histogram with a negative sum and bound', fam('gaugehistogram', histogram([['-1.0', 1], ['+Inf', 2]], [s('m_gcount', 2), s('m_gsum', -3)]))],
    ['a summary', fam('summary', [s('m', 1, { quantile: '0.5' }), s('m_count', 2), s('m_sum', 3)])],
    ['an info', fam('info', [s('m_info', 1, { v: '1' })])],
    ['a stateset', fam('stateset', [s('m', 1, { m: 'on' }), s('m', 0, { m: 'off' })])],
    ['a unit that ends the name', fam('gauge', [s('m_seconds', 1)], { name: 'm_seconds', unit: 'seconds' })],
    ['one timestamp per series', fam('counter', [s('m_total', 1, {}, 10), s('m_created', 1, {}, 10)])],
  ])('%s', (_, family) => {
    expect(familyProblem(family)).toBeUndefined();
  });
});

describe('familyProblem refuses, with a typed error, whatever would break a scrape', () => {
  it.each<[string, unknown, RegExp]>([
    ['null', null, /expected a family object/],
    ['a number', 3, /expected a family object/],
    ['a name with a newline (series injection)', fam('gauge', [], { name: 'x untyped\nadmin_override{role="root"} 1\n# y' }), /name must match/],
    ['a name with a quote', fam('gauge', [], { name: 'test_"_\\_\n_metric' }), /name must match/],
    ['an empty name', fam('gauge', [], { name: '' }), /name must match/],
    ['a name starting with __', fam('gauge', [], { name: '__m' }), /name must match/],
    ['an unknown type', fam('gauge', [], { type: 'bogus' as MetricFamily['type'] }), /unknown type/],
    ['a help with a lone surrogate', fam('gauge', [], { help: '\uD800' }), /help is not well-formed/],
    ['a unit the name does not end with', fam('gauge', [], { unit: 'bytes' }), /must end with _bytes/],
    ['a unit on an info', fam('info', [], { name: 'm_bytes', unit: 'bytes' }), /cannot have a unit/],
    ['samples that are not an array', { name: 'm', type: 'gauge', help: 'h', unit: '' }, /samples must be an array/],
    ['a sample that is null', fam('gauge', [null as unknown as Sample]), /must be an object/],
    ['a sample of another family', fam('gauge', [s('other', 1)]), /not named after the family/],
    ['a bare counter sample', fam('counter', [s('m', 1)]), /does not belong to a counter/],
    ['an invalid label name', fam('gauge', [s('m', 1, { 'a-b': 'x' })]), /illegal label name/],
    ['a __ label name', fam('gauge', [s('m', 1, { __a: 'x' })]), /illegal label name/],
    ['a label value that is not a string', fam('gauge', [s('m', 1, { a: null as unknown as string })]), /must have a string value/],
    ['a lone surrogate in a label value', fam('gauge', [s('m', 1, { a: '\uDBFF' })]), /not well-formed Unicode/],
    ['a value that is not a number', fam('gauge', [{ name: 'm', labels: {}, value: '1' as unknown as number }]), /must be a number/],
    ['a negative counter', fam('counter', [s('m_total', -1)]), /counter cannot be negative/],
    ['a NaN counter', fam('counter', [s('m_total', NaN)]), /counter cannot be negative nor NaN/],
    ['a non-integer bucket', fam('histogram', histogram([['1.0', 0.5], ['+Inf', 1]])), /non-negative integer/],
    ['no +Inf bucket', fam('histogram', histogram([['1.0', 1]])), /\+Inf bucket/],
    ['decreasing buckets', fam('histogram', histogram([['1.0', 2], ['+Inf', 1]])), /cumulative/],
    ['buckets out of order', fam('histogram', histogram([['2.0', 1], ['1.0', 1], ['+Inf', 1]])), /increasing le order/],
    ['a non-canonical le', fam('histogram', histogram([['1', 1], ['+Inf', 1]])), /spelled as formatFloat/],
    ['a count that differs from +Inf', fam('histogram', histogram([['+Inf', 2]], [s('m_count', 3), s('m_sum', 1)])), /count must equal/],
    ['a sum without a count', fam('histogram', histogram([['+Inf', 2]], [s('m_sum', 1)])), /come together/],
    ['a sum with a negative bound', fam('histogram', histogram([['-1.0', 1], ['+Inf', 2]], [s('m_count', 2), s('m_sum', 1)])), /negative bucket bound has no _sum/],
    ['a negative gsum without a negative bound', fam('gaugehistogram', histogram([['1.0', 1], ['+Inf', 2]], [s('m_gcount', 2), s('m_gsum', -1)])), /negative _gsum needs/],
    ['le on a histogram count', fam('histogram', histogram([['+Inf', 2]], [s('m_count', 2, { le: '1.0' }), s('m_sum', 1)])), /reserved/],
    ['a quantile outside [0, 1]', fam('summary', [s('m', 1, { quantile: '1.5' })]), /quantile/],
    ['a negative quantile value', fam('summary', [s('m', -1, { quantile: '0.5' })]), /cannot be negative/],
    ['a stateset value of 2', fam('stateset', [s('m', 2, { m: 'on' })]), /0 or 1/],
    ['a stateset sample without its label', fam('stateset', [s('m', 1)]), /lacks its "m" label/],
    ['an info value of 2', fam('info', [s('m_info', 2)]), /info sample is 1/],
    ['a duplicate series', fam('gauge', [s('m', 1, { a: 'x' }), s('m', 2, { a: 'x' })]), /repeats a series/],
    ['interleaved series', fam('counter', [s('m_total', 1, { a: 'x' }), s('m_total', 1, { a: 'y' }), s('m_created', 1, { a: 'x' })]), /must be together/],
    ['two timestamps in one series', fam('counter', [s('m_total', 1, {}, 1), s('m_created', 1, {}, 2)]), /share one timestamp/],
    ['a timestamp past int64 milliseconds', fam('gauge', [s('m', 1, {}, 1e300)]), /timestamp must be a number of seconds within/],
    ['an exemplar with a bad label', fam('counter', [{ name: 'm_total', labels: {}, value: 1, exemplar: { labels: { 'a b': 'x' }, value: 1 } }]), /exemplar label name/],
  ])('%s', (_, family, reason) => {
    const problem = familyProblem(family);
    expect(problem).toBeInstanceOf(InvalidFamilyError);
    expect(problem?.message).toMatch(reason);
  });

  it('reports a getter that throws instead of throwing', () => {
    const family = { name: 'm', type: 'gauge', help: 'h', unit: '', get samples(): never { throw new Error('boom'); } };
    expect(familyProblem(family)?.message).toMatch(/reading it threw boom/);
  });
});

describe('family builders keep the same rules when series are added', () => {
  it('histogramFamily with a negative bound writes neither _count nor _sum, as the Histogram instrument', () => {
    const h = histogramFamily({ name: 'temp', help: 'h', buckets: [-10, 0, 10] }).add({ cumulativeCounts: [1, 2, 3, 4], sum: -5 });
    expect(h.samples.map((x) => x.name)).toEqual(['temp_bucket', 'temp_bucket', 'temp_bucket', 'temp_bucket']);
    expect(familyProblem({ ...h, samples: [...h.samples] })).toBeUndefined();
  });

  it('refuses a second series with the same labels, a lone surrogate, a non-integer count, a negative sum', () => {
    const c = counterFamily({ name: 'c', help: 'h', labelNames: ['a'] }).add({ a: 'x' }, 1);
    expect(() => c.add({ a: 'x' }, 2)).toThrow(DuplicateSeriesError);
    expect(() => c.add({ a: '\uD800' }, 2)).toThrow(InvalidLabelValueError);
    expect(c.samples).toHaveLength(1);
    const h = histogramFamily({ name: 'h', help: 'h', buckets: [1] });
    expect(() => h.add({ bucketCounts: [0.5, 1] })).toThrow(/non-negative integer/);
    expect(() => h.add({ bucketCounts: [1, 1], sum: -1 })).toThrow(InvalidValueError);
    expect(h.samples).toHaveLength(0);
    expect(() => summaryFamily({ name: 's', help: 'h' }).add({ count: 1.5, sum: 1 })).toThrow(/non-negative integer/);
    const i = infoFamily({ name: 'i', help: 'h', labelNames: ['v'] }).add({ v: '1' }, { timestamp: 1 });
    expect(() => i.add({ v: '2' })).toThrow(/every series of an info family or to none/);
  });
});

describe('acceptFamilySteps: a family someone else made is taken as a copy', () => {
  it('returns a plain copy, vouched for, equal to the family and sharing no object with it', () => {
    const labels = { a: 'x' };
    const exemplar = { labels: { trace_id: 't' }, value: 1 };
    const family = { name: 'm', type: 'counter', help: 'h', unit: '', samples: [{ name: 'm_total', labels, value: 1, exemplar }], extra: 'dropped' };
    const accepted = runSteps(acceptFamilySteps(family));
    if (accepted instanceof InvalidFamilyError) throw accepted;
    expect(accepted).toEqual({ name: 'm', type: 'counter', help: 'h', unit: '', samples: [{ name: 'm_total', labels, value: 1, exemplar }] });
    expect(isVouchedFamily(accepted)).toBe(true);
    expect(isVouchedFamily(family)).toBe(false);
    expect(accepted.samples).not.toBe(family.samples);
    expect(accepted.samples[0].labels).not.toBe(labels);
    expect(accepted.samples[0].exemplar?.labels).not.toBe(exemplar.labels);
  });

  it('names the family when a getter throws while it is copied, and keeps "__proto__" as a label name for the check to refuse', () => {
    const throwing = { name: 'm', type: 'gauge', help: 'h', unit: '', get samples(): never { throw new Error('boom'); } };
    const thrown = runSteps(acceptFamilySteps(throwing));
    expect(thrown).toBeInstanceOf(InvalidFamilyError);
    expect((thrown as InvalidFamilyError).message).toBe('Invalid metric family "m": reading it threw boom');
    const labels = JSON.parse('{"__proto__": "x"}') as Record<string, string>;
    const refused = runSteps(acceptFamilySteps({ name: 'm', type: 'gauge', help: 'h', unit: '', samples: [{ name: 'm', labels, value: 1 }] }));
    expect((refused as InvalidFamilyError).message).toMatch(/illegal label name "__proto__"/);
  });

  it('yields as it copies a large family, as the check does', () => {
    const samples = Array.from({ length: 5000 }, (_, i) => ({ name: 'm', labels: { i: String(i) }, value: i }));
    const steps = acceptFamilySteps({ name: 'm', type: 'gauge', help: 'h', unit: '', samples });
    let pauses = 0;
    while (steps.next().done !== true) pauses++;
    // 4 while copying 5,000 samples, 4 while checking them.
    expect(pauses).toBe(8);
  });
});

describe('series identity whatever order a sample lists its labels in', () => {
  const pool = ['a', 'b', 'c'];
  /** A label set from a small pool, its keys in an arbitrary order. */
  const labelSet = fc.record({ keys: fc.shuffledSubarray(pool), values: fc.array(fc.constantFrom('x', 'y'), { minLength: 3, maxLength: 3 }) }).map(({ keys, values }) => {
    const labels: Record<string, string> = {};
    keys.forEach((key, k) => (labels[key] = values[k]));
    return labels;
  });
  const canonical = (labels: Record<string, string>): string => JSON.stringify(Object.keys(labels).sort().map((key) => [key, labels[key]]));

  it('a gauge is refused exactly when two samples have one label set, whichever orders they list it in', () => {
    fc.assert(
      fc.property(fc.array(labelSet, { maxLength: 12 }), (sets) => {
        const problem = familyProblem(fam('gauge', sets.map((labels) => s('m', 1, labels))));
        const distinct = new Set(sets.map(canonical)).size === sets.length;
        if (distinct) expect(problem).toBeUndefined();
        else expect(problem?.message).toMatch(/repeats a series|must be together/);
      }),
      { seed: 2026, numRuns: 300 },
    );
  });

  it('a counter\'s _total and _created of one series may list the labels in different orders, but not be apart', () => {
    fc.assert(
      fc.property(fc.array(labelSet, { maxLength: 8 }), fc.boolean(), (sets, apart) => {
        const reorder = (labels: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(labels).reverse());
        const samples = apart
          ? [...sets.map((labels) => s('m_total', 1, labels)), ...sets.map((labels) => s('m_created', 1, reorder(labels)))]
          : sets.flatMap((labels) => [s('m_total', 1, labels), s('m_created', 1, reorder(labels))]);
        const problem = familyProblem(fam('counter', samples));
        const distinct = new Set(sets.map(canonical)).size === sets.length;
        if (distinct && (!apart || sets.length <= 1)) expect(problem).toBeUndefined();
        else expect(problem?.message).toMatch(/repeats a series|must be together/);
      }),
      { seed: 2027, numRuns: 300 },
    );
  });
});
