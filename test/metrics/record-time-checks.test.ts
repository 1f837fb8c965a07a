import { describe, expect, it } from '@jest/globals';
import { Counter, Enum, Gauge, GaugeHistogram, Info } from '../../src/metrics/index.js';
import { InvalidLabelValueError, InvalidOptionsError, InvalidValueError, LabelSetMismatchError } from '../../src/model/index.js';

// What the scrape pipeline does not check again for instruments is checked when it is
// recorded: each case here once reached a scrape.

describe('checks made when a value is recorded', () => {
  it('GaugeHistogram.set refuses non-integer and uncountably large bucket counts', () => {
    const g = new GaugeHistogram({ name: 'queued', help: 'h', buckets: [1], registry: null }).labels({});
    expect(() => g.set([0.5, 0.25], 0.1)).toThrow(InvalidValueError);
    expect(() => g.set([2 ** 53, 0], 1)).toThrow(/integers >= 0/);
    expect(() => g.set([Number.MAX_SAFE_INTEGER, 1], 1)).toThrow(/cannot be counted exactly/);
    expect(g.getCount()).toBe(0);
    g.set([2, 1], 3);
    expect(g.getCount()).toBe(3);
  });

  it.each(['\uD800', '\uDBFF', 'a\uDC00b'])('refuses the lone surrogate in %j as a label value, and keeps U+FFFD', (value) => {
    const c = new Counter({ name: 'c', help: 'h', labelNames: ['l'], registry: null });
    expect(() => c.inc({ l: value })).toThrow(InvalidLabelValueError);
    expect(() => c.labels(value)).toThrow(InvalidLabelValueError);
    c.inc({ l: '\uFFFD' });
    expect(c.get({ l: '\uFFFD' })).toBe(1);
    expect(c.collect()[0].samples.filter((s) => s.name === 'c_total')).toHaveLength(1);
  });

  it('refuses lone surrogates in exemplar labels, help and states', () => {
    const c = new Counter({ name: 'c', help: 'h', registry: null });
    expect(() => c.inc(1, { trace_id: '\uD800' })).toThrow(InvalidLabelValueError);
    expect(c.get()).toBe(0);
    expect(() => new Gauge({ name: 'g', help: '\uDBFF', registry: null })).toThrow(InvalidOptionsError);
    expect(() => new Enum({ name: 'e', help: 'h', states: ['ok', '\uD800'], registry: null })).toThrow(InvalidLabelValueError);
  });

  it('Info.info refuses null, undefined, objects and booleans instead of writing "null"', () => {
    const info = new Info({ name: 'build', help: 'h', registry: null });
    info.info({ version: '1' });
    for (const bad of [null, undefined, {}, true]) {
      expect(() => info.info({ il: bad as unknown as string })).toThrow(InvalidLabelValueError);
    }
    expect(info.get()).toEqual({ version: '1' });
    info.info({ n: 3 });
    expect(info.get()).toEqual({ n: '3' });
  });

  it.each([1, 2, 3])('refuses a label object with an extra key for a known series too (%i labels)', (count) => {
    const names = ['a', 'b', 'c'].slice(0, count);
    const g = new Gauge({ name: 'g', help: 'h', labelNames: names, registry: null });
    const labels = Object.fromEntries(names.map((n) => [n, 'x']));
    g.set(labels, 1);
    expect(() => g.set({ ...labels, extra: 'y' }, 2)).toThrow(LabelSetMismatchError);
    expect(() => g.labels({ ...labels, extra: 'y' })).toThrow(LabelSetMismatchError);
    expect(g.get(labels)).toBe(1);
  });
});
