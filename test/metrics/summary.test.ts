import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { InvalidOptionsError, InvalidValueError, LabelSetMismatchError } from '../../src/model/index.js';
import { Summary } from '../../src/metrics/index.js';
import { distributions, rankExcess } from './quantile-check.js';
import { onlyFamily, rows, samplesNamed } from './sample-rows.js';

afterEach(() => {
  jest.restoreAllMocks();
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The quantile samples as `quantile label -> value`. */
function quantiles(s: Summary<string>): Record<string, number> {
  return Object.fromEntries(samplesNamed(s, s.name).map((sample) => [sample.labels.quantile, sample.value]));
}

describe('Summary', () => {
  it('reproduces the seed example: _count, _sum and _created only', () => {
    jest.spyOn(Date, 'now').mockReturnValue(1_727_402_670_358);
    const s = new Summary({ name: 'request_latency_seconds', help: 'Description of summary', registry: null });
    for (let i = 0; i < 4; i++) s.observe(4.7);
    expect(s.collect()).toEqual([
      {
        name: 'request_latency_seconds',
        type: 'summary',
        help: 'Description of summary',
        unit: '',
        samples: [
          { name: 'request_latency_seconds_count', labels: {}, value: 4 },
          { name: 'request_latency_seconds_sum', labels: {}, value: 18.8 },
          { name: 'request_latency_seconds_created', labels: {}, value: 1_727_402_670.358 },
        ],
      },
    ]);
    expect(s.percentiles).toEqual([]);
  });

  it('exposes quantile samples first, labelled with formatFloat, sorted', () => {
    const s = new Summary({ name: 's', help: 'h', labelNames: ['path'], percentiles: [0.99, 0.5, 0.9, 1], registry: null, clock: () => 0 });
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    for (const v of values) s.observe({ path: '/' }, v);
    expect(s.percentiles).toEqual([0.5, 0.9, 0.99, 1]);
    const estimate = expect.any(Number) as unknown as number;
    expect(rows(s)).toEqual([
      { name: 's', labels: { path: '/', quantile: '0.5' }, value: estimate },
      { name: 's', labels: { path: '/', quantile: '0.9' }, value: estimate },
      { name: 's', labels: { path: '/', quantile: '0.99' }, value: estimate },
      { name: 's', labels: { path: '/', quantile: '1.0' }, value: 100 },
      { name: 's_count', labels: { path: '/' }, value: 100 },
      { name: 's_sum', labels: { path: '/' }, value: 5050 },
    ]);
    expect(Object.keys(onlyFamily(s.collect()).samples[0].labels)).toEqual(['path', 'quantile']);
    const estimates = s.labels('/').getQuantiles();
    expect(estimates).toEqual(rows(s).slice(0, 4).map((r) => r.value));
    [0.5, 0.9, 0.99, 1].forEach((phi, i) => expect(rankExcess(values, phi, estimates[i])).toBe(0));
  });

  it('accepts quantiles as an alias of percentiles', () => {
    const s = new Summary({ name: 's', help: 'h', quantiles: [0.5], registry: null });
    expect(s.percentiles).toEqual([0.5]);
    expect(new Summary({ name: 's', help: 'h', quantiles: [0.5], percentiles: [0.5], registry: null }).percentiles).toEqual([0.5]);
    expect(() => new Summary({ name: 's', help: 'h', quantiles: [0.5], percentiles: [0.9], registry: null })).toThrow(InvalidOptionsError);
  });

  it('yields NaN quantiles for an empty window', () => {
    const s = new Summary({ name: 's', help: 'h', percentiles: [0.5, 0.9], registry: null });
    expect(quantiles(s)).toEqual({ '0.5': NaN, '0.9': NaN });
    expect(samplesNamed(s, 's_count')[0].value).toBe(0);
  });

  it('rejects percentiles outside [0, 1], NaN, duplicates, and bad window options', () => {
    const make = (o: object) => () => new Summary({ name: 'lat', help: 'h', registry: null, ...o });
    expect(make({ percentiles: [1.5] })).toThrow(InvalidOptionsError);
    expect(make({ percentiles: [-0.1] })).toThrow(/Invalid options for metric "lat": percentile -0.1 is outside \[0, 1\]/);
    expect(make({ percentiles: [NaN] })).toThrow(InvalidOptionsError);
    expect(make({ percentiles: ['0.5'] })).toThrow(InvalidOptionsError);
    expect(make({ percentiles: [0.5, 0.5] })).toThrow(/given twice/);
    expect(make({ percentiles: 0.5 })).toThrow(InvalidOptionsError);
    expect(make({ maxAgeSeconds: 0 })).toThrow(InvalidOptionsError);
    expect(make({ maxAgeSeconds: Infinity })).toThrow(InvalidOptionsError);
    expect(make({ ageBuckets: 0 })).toThrow(InvalidOptionsError);
    expect(make({ ageBuckets: 2.5 })).toThrow(InvalidOptionsError);
    expect(make({ clock: 5 })).toThrow(InvalidOptionsError);
    expect(make({ percentiles: [0, 1] })).not.toThrow();
  });

  it('rejects NaN and negative observations (OpenMetrics: no negative sum or quantile) and wrong labels', () => {
    const s = new Summary({ name: 'lat', help: 'h', labelNames: ['a'], percentiles: [0.5], registry: null });
    expect(() => s.observe({ a: 'x' }, NaN)).toThrow(InvalidValueError);
    expect(() => s.observe({ a: 'x' }, -1)).toThrow(/"lat".*>= 0/);
    expect(() => s.labels('x').observe(-Infinity)).toThrow(InvalidValueError);
    expect(() => s.labels('x').observe('2' as unknown as number)).toThrow(InvalidValueError);
    // @ts-expect-error a labelled metric takes its labels (a compile error too)
    expect(() => s.observe(1)).toThrow(LabelSetMismatchError);
    expect(s.labels('x').getCount()).toBe(0);
  });

  it('keeps _count and _sum for all time, _created per series', () => {
    const now = jest.spyOn(Date, 'now').mockReturnValue(2_000);
    let clock = 0;
    const s = new Summary({ name: 's', help: 'h', labelNames: ['a'], percentiles: [0.5], maxAgeSeconds: 10, registry: null, clock: () => clock });
    s.observe({ a: 'x' }, 3);
    now.mockReturnValue(4_000);
    s.labels('y').observe(1);
    clock = 1000;
    s.observe({ a: 'x' }, 4);
    expect(rows(s).filter((r) => r.labels.a === 'x')).toEqual([
      { name: 's', labels: { a: 'x', quantile: '0.5' }, value: 4 },
      { name: 's_count', labels: { a: 'x' }, value: 2 },
      { name: 's_sum', labels: { a: 'x' }, value: 7 },
    ]);
    expect(samplesNamed(s, 's_created').map((x) => x.value)).toEqual([2, 4]);
    expect(s.labels('x').getSum()).toBe(7);
  });

  describe('quantile error bound (compared with exact quantiles of the same data)', () => {
    const percentiles = [0.01, 0.1, 0.5, 0.9, 0.99, 0.999];
    it.each(Object.entries(distributions(20_000, 2024)))('holds on %s data', (_name, values) => {
      const s = new Summary({ name: 's', help: 'h', percentiles: [0, ...percentiles, 1], registry: null, clock: () => 0 });
      for (const v of values) s.observe(v);
      const sorted = [...values].sort((a, b) => a - b);
      const estimates = s.labels().getQuantiles();
      expect(estimates[0]).toBe(sorted[0]);
      expect(estimates[estimates.length - 1]).toBe(sorted[sorted.length - 1]);
      percentiles.forEach((phi, i) => {
        expect({ phi, excess: rankExcess(sorted, phi, estimates[i + 1]) }).toEqual({ phi, excess: 0 });
      });
    });

    it('holds per series of a labelled summary', () => {
      const s = new Summary({ name: 's', help: 'h', labelNames: ['d'], percentiles: [0.5, 0.9, 0.99], registry: null, clock: () => 0 });
      const data = distributions(5_000, 99);
      for (const [name, values] of Object.entries(data)) for (const v of values) s.observe({ d: name }, v);
      for (const [name, values] of Object.entries(data)) {
        const sorted = [...values].sort((a, b) => a - b);
        const estimates = s.labels(name).getQuantiles();
        [0.5, 0.9, 0.99].forEach((phi, i) => expect(rankExcess(sorted, phi, estimates[i])).toBe(0));
      }
    });
  });

  describe('sliding window', () => {
    it('forgets observations after at most maxAgeSeconds, at least maxAge·(1 − 1/ageBuckets)', () => {
      let clock = 100;
      const s = new Summary({ name: 's', help: 'h', percentiles: [0, 0.5], maxAgeSeconds: 10, ageBuckets: 5, registry: null, clock: () => clock });
      for (let i = 0; i < 10; i++) s.observe(1); // at 100
      clock = 103;
      for (let i = 0; i < 30; i++) s.observe(100); // at 103
      clock = 108;
      expect(quantiles(s)).toEqual({ '0.0': 1, '0.5': 100 }); // both sets: the minimum is 1
      clock = 109.99;
      expect(quantiles(s)).toEqual({ '0.0': 1, '0.5': 100 });
      clock = 110; // the observations made at 100 are 10 s old: gone
      expect(quantiles(s)).toEqual({ '0.0': 100, '0.5': 100 });
      clock = 111.99;
      expect(quantiles(s)['0.0']).toBe(100);
      clock = 112; // those made at 103 lived in the 102–104 slice, whose time is up at 112
      expect(quantiles(s)).toEqual({ '0.0': NaN, '0.5': NaN });
      expect(samplesNamed(s, 's_count')[0].value).toBe(40); // _count and _sum are all-time
      expect(samplesNamed(s, 's_sum')[0].value).toBe(3010);
      s.observe(5);
      expect(quantiles(s)).toEqual({ '0.0': 5, '0.5': 5 });
    });

    it('drops the oldest slice exactly when it is due', () => {
      let clock = 0;
      const s = new Summary({ name: 's', help: 'h', percentiles: [0, 1], maxAgeSeconds: 10, ageBuckets: 5, registry: null, clock: () => clock });
      s.observe(1); // t=0
      clock = 2.5;
      s.observe(2); // t=2.5
      clock = 9.99;
      expect(s.labels().getQuantiles()).toEqual([1, 2]);
      clock = 10; // the t=0 observation has had its maxAge
      expect(s.labels().getQuantiles()).toEqual([2, 2]);
      clock = 11.99;
      expect(s.labels().getQuantiles()).toEqual([2, 2]);
      clock = 12; // t=2.5 is in the slice that expires at 12 (it was observed after 2)
      expect(s.labels().getQuantiles()).toEqual([NaN, NaN]);
    });

    it('starts afresh after a long idle period', () => {
      let clock = 0;
      const s = new Summary({ name: 's', help: 'h', percentiles: [0.5], maxAgeSeconds: 60, registry: null, clock: () => clock });
      for (let i = 0; i < 600; i++) s.observe(5); // more than one buffer
      clock = 1e6;
      s.observe(7);
      expect(s.labels().getQuantiles()).toEqual([7]);
      clock = 1e6 + 47.9; // visible for at least maxAge − maxAge/ageBuckets = 48 s
      expect(s.labels().getQuantiles()).toEqual([7]);
      clock = 1e6 + 60; // and at most maxAge
      expect(s.labels().getQuantiles()).toEqual([NaN]);
    });

    it('uses a monotonic clock by default', () => {
      const s = new Summary({ name: 's', help: 'h', percentiles: [0.5], registry: null });
      s.observe(3);
      jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 3_600_000); // the wall clock jumps an hour
      expect(quantiles(s)['0.5']).toBe(3);
    });
  });

  describe('timing', () => {
    it('startTimer observes elapsed seconds with labels at start and/or end', async () => {
      const s = new Summary({ name: 's', help: 'h', labelNames: ['a', 'b'], registry: null });
      const end = s.startTimer({ a: '1' });
      await sleep(15);
      const seconds = end({ b: '2' });
      expect(seconds).toBeGreaterThanOrEqual(0.01);
      expect(s.labels('1', '2').getSum()).toBe(seconds);
      const u = new Summary({ name: 'u', help: 'h', registry: null });
      u.startTimer()();
      u.labels().startTimer()();
      expect(u.labels().getCount()).toBe(2);
    });

    it('time() passes sync results and promise values/rejections through, observing each', async () => {
      const s = new Summary({ name: 's', help: 'h', labelNames: ['op'], registry: null });
      expect(s.time({ op: 'sync' }, () => 1)).toBe(1);
      await expect(s.time({ op: 'ok' }, () => sleep(10).then(() => 'v'))).resolves.toBe('v');
      const reason = new Error('nope');
      await expect(s.time({ op: 'fail' }, () => sleep(10).then(() => Promise.reject(reason)))).rejects.toBe(reason);
      expect(['sync', 'ok', 'fail'].map((op) => s.labels(op).getCount())).toEqual([1, 1, 1]);
      expect(s.labels('ok').getSum()).toBeGreaterThanOrEqual(0.005);
      const u = new Summary({ name: 'u', help: 'h', registry: null });
      expect(u.time(() => 'x')).toBe('x');
    });
  });

  it('compares percentiles and window settings in definitionConflict', () => {
    const base = { name: 's', help: 'h', registry: null } as const;
    const a = new Summary({ ...base, percentiles: [0.5, 0.9] });
    expect(a.definitionConflict(new Summary({ ...base, quantiles: [0.9, 0.5] }))).toBeUndefined();
    expect(a.definitionConflict(new Summary({ ...base, percentiles: [0.5] }))).toBe('percentiles differ: [0.5, 0.9] vs [0.5]');
    expect(a.definitionConflict(new Summary({ ...base, percentiles: [0.5, 0.9], maxAgeSeconds: 60 }))).toBe('maxAgeSeconds differs: 600 vs 60');
    expect(a.definitionConflict(new Summary({ ...base, percentiles: [0.5, 0.9], ageBuckets: 3 }))).toBe('ageBuckets differs: 5 vs 3');
  });
});
