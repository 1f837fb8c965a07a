import { describe, expect, it } from '@jest/globals';
import { InvalidBucketsError, InvalidValueError, LabelSetMismatchError } from '../../src/model/index.js';
import { DEFAULT_BUCKETS, GaugeHistogram } from '../../src/metrics/index.js';
import { onlyFamily, rows } from './sample-rows.js';

describe('GaugeHistogram', () => {
  it('exposes cumulative _bucket, _gcount and _gsum, without _created', () => {
    const g = new GaugeHistogram({ name: 'queued_jobs_bytes', help: 'Jobs by size.', buckets: [1000, 1e6], registry: null });
    g.observe(512);
    g.observe(2048);
    g.observe(2e6);
    expect(g.collect()).toEqual([
      {
        name: 'queued_jobs_bytes',
        type: 'gaugehistogram',
        help: 'Jobs by size.',
        unit: '',
        samples: [
          { name: 'queued_jobs_bytes_bucket', labels: { le: '1000.0' }, value: 1 },
          { name: 'queued_jobs_bytes_bucket', labels: { le: '1e+06' }, value: 2 },
          { name: 'queued_jobs_bytes_bucket', labels: { le: '+Inf' }, value: 3 },
          { name: 'queued_jobs_bytes_gcount', labels: {}, value: 3 },
          { name: 'queued_jobs_bytes_gsum', labels: {}, value: 2_002_560 },
        ],
      },
    ]);
  });

  it('goes down with unobserve, and refuses to take back what is not there', () => {
    const g = new GaugeHistogram({ name: 'g', help: 'h', buckets: [1, 10], registry: null });
    g.observe(0.5);
    g.observe(5);
    g.observe(5);
    g.unobserve(5);
    expect(rows(g)).toEqual([
      { name: 'g_bucket', labels: { le: '1.0' }, value: 1 },
      { name: 'g_bucket', labels: { le: '10.0' }, value: 2 },
      { name: 'g_bucket', labels: { le: '+Inf' }, value: 2 },
      { name: 'g_gcount', labels: {}, value: 2 },
      { name: 'g_gsum', labels: {}, value: 5.5 },
    ]);
    expect(() => g.unobserve(50)).toThrow(/cannot unobserve 50: its bucket \(le="\+Inf"\) holds no observation/);
    expect(() => g.unobserve(NaN)).toThrow(InvalidValueError);
    expect(() => g.observe(NaN)).toThrow(InvalidValueError);
    expect(g.labels().getCount()).toBe(2);
  });

  it('replaces the distribution with set(bucketCounts, sum), per bucket (not cumulative)', () => {
    const g = new GaugeHistogram({ name: 'g', help: 'h', labelNames: ['pool'], buckets: [1, 5], registry: null });
    g.set({ pool: 'a' }, [3, 0, 1], 9.5);
    g.labels('b').set([0, 2, 0], 6);
    expect(rows(g)).toEqual([
      { name: 'g_bucket', labels: { pool: 'a', le: '1.0' }, value: 3 },
      { name: 'g_bucket', labels: { pool: 'a', le: '5.0' }, value: 3 },
      { name: 'g_bucket', labels: { pool: 'a', le: '+Inf' }, value: 4 },
      { name: 'g_gcount', labels: { pool: 'a' }, value: 4 },
      { name: 'g_gsum', labels: { pool: 'a' }, value: 9.5 },
      { name: 'g_bucket', labels: { pool: 'b', le: '1.0' }, value: 0 },
      { name: 'g_bucket', labels: { pool: 'b', le: '5.0' }, value: 2 },
      { name: 'g_bucket', labels: { pool: 'b', le: '+Inf' }, value: 2 },
      { name: 'g_gcount', labels: { pool: 'b' }, value: 2 },
      { name: 'g_gsum', labels: { pool: 'b' }, value: 6 },
    ]);
    g.unobserve({ pool: 'a' }, 0.5);
    g.observe({ pool: 'a' }, 3);
    expect(g.labels('a').getCount()).toBe(4);
    expect(g.labels('a').getSum()).toBe(12);
    // @ts-expect-error a labelled metric takes its labels (a compile error too)
    expect(() => g.set([1, 2, 3], 1)).toThrow(LabelSetMismatchError);
  });

  it('validates set()', () => {
    const g = new GaugeHistogram({ name: 'g', help: 'h', buckets: [1], registry: null });
    expect(() => g.set([1], 1)).toThrow(/set\(\) takes 2 bucket counts/);
    expect(() => g.set([1, -1], 1)).toThrow(InvalidValueError);
    expect(() => g.set([1, NaN], 1)).toThrow(InvalidValueError);
    expect(() => g.set([1, 1], NaN)).toThrow(InvalidValueError);
    // A negative sum needs a negative bucket bound, as OpenMetrics requires.
    expect(() => g.set([1, 1], -4)).toThrow(/"g".*negative/);
    const withNegative = new GaugeHistogram({ name: 'gn', help: 'h', buckets: [-1, 1], registry: null });
    withNegative.set([1, 0, 0], -4);
    expect(withNegative.labels().getSum()).toBe(-4);
  });

  it('refuses infinite items and a non-finite sum (a NaN _gsum would follow)', () => {
    const g = new GaugeHistogram({ name: 'g', help: 'h', buckets: [-1, 1], registry: null });
    expect(() => g.observe(Infinity)).toThrow(InvalidValueError);
    expect(() => g.observe(-Infinity)).toThrow(/"g".*finite/);
    expect(() => g.unobserve(Infinity)).toThrow(InvalidValueError);
    expect(() => g.set([0, 0, 1], Infinity)).toThrow(InvalidValueError);
    expect(g.labels().getSum()).toBe(0);
  });

  it('refuses negative observations without a negative bound, and never exposes a negative _gsum from float residue', () => {
    const g = new GaugeHistogram({ name: 'g', help: 'h', buckets: [1], registry: null });
    expect(() => g.observe(-1)).toThrow(InvalidValueError);
    g.observe(0.1);
    g.observe(0.2);
    g.unobserve(0.2);
    g.unobserve(0.1);
    expect(g.labels().getSum()).toBe(0);
    g.observe(0.3);
    g.observe(0.1);
    g.unobserve(0.3);
    expect(g.labels().getSum()).toBeGreaterThanOrEqual(0);
  });

  it('resets a series and clears all', () => {
    const g = new GaugeHistogram({ name: 'g', help: 'h', labelNames: ['a'], buckets: [1], registry: null });
    g.observe({ a: 'x' }, 1);
    g.labels('x').reset();
    expect(rows(g).map((r) => r.value)).toEqual([0, 0, 0, 0]);
    g.clear();
    expect(onlyFamily(g.collect()).samples).toEqual([]);
  });

  it('uses the default buckets and validates custom ones', () => {
    expect(new GaugeHistogram({ name: 'g', help: 'h', registry: null }).buckets).toEqual(DEFAULT_BUCKETS);
    expect(() => new GaugeHistogram({ name: 'g', help: 'h', buckets: [2, 1], registry: null })).toThrow(InvalidBucketsError);
    const a = new GaugeHistogram({ name: 'g', help: 'h', buckets: [1], registry: null });
    expect(a.definitionConflict(new GaugeHistogram({ name: 'g', help: 'h', buckets: [2], registry: null }))).toBe('buckets differ: [1, Infinity] vs [2, Infinity]');
  });
});
