import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { InvalidLabelNameError, InvalidMetricNameError, InvalidValueError, LabelSetMismatchError, type LabelSet } from '../../src/model/index.js';
import { Counter, EXEMPLAR_MAX_CHARACTERS } from '../../src/metrics/index.js';
import { onlyFamily, rows, samplesNamed } from './sample-rows.js';

afterEach(() => {
  jest.restoreAllMocks();
});

describe('Counter', () => {
  it('exposes the family without _total, and _total/_created samples (the seed example)', () => {
    jest.spyOn(Date, 'now').mockReturnValue(1_727_402_670_358);
    const c = new Counter({ name: 'c', help: 'Description of counter', registry: null });
    c.inc();
    c.inc();
    c.inc();
    c.inc();
    expect(c.collect()).toEqual([
      {
        name: 'c',
        type: 'counter',
        help: 'Description of counter',
        unit: '',
        samples: [
          { name: 'c_total', labels: {}, value: 4 },
          { name: 'c_created', labels: {}, value: 1_727_402_670.358 },
        ],
      },
    ]);
  });

  it('accepts the name with or without _total', () => {
    expect(new Counter({ name: 'requests_total', help: 'h', registry: null }).name).toBe('requests');
    expect(new Counter({ name: 'requests', help: 'h', registry: null }).name).toBe('requests');
    expect(() => new Counter({ name: '_total', help: 'h', registry: null })).toThrow(InvalidMetricNameError);
  });

  it('appends the unit before _total', () => {
    const c = new Counter({ name: 'x_total', help: 'h', unit: 'bytes', registry: null });
    expect(c.name).toBe('x_bytes');
    expect(c.unit).toBe('bytes');
    expect(rows(c)).toEqual([{ name: 'x_bytes_total', labels: {}, value: 0 }]);
    expect(new Counter({ name: 'x_bytes_total', help: 'h', unit: 'bytes', registry: null }).name).toBe('x_bytes');
  });

  it('increments by 1 or by a non-negative amount', () => {
    const c = new Counter({ name: 'c', help: 'h', registry: null });
    c.inc();
    c.inc(2.5);
    c.inc(0);
    c.inc(Infinity);
    expect(c.get()).toBe(Infinity);
    const d = new Counter({ name: 'd', help: 'h', registry: null });
    d.inc(2.5);
    d.labels().inc(1);
    expect(d.get()).toBe(3.5);
  });

  it('rejects negative, NaN and non-number increments, naming the metric', () => {
    const c = new Counter({ name: 'jobs', help: 'h', labelNames: ['q'], registry: null });
    expect(() => c.inc({ q: 'a' }, -1)).toThrow(InvalidValueError);
    expect(() => c.inc({ q: 'a' }, NaN)).toThrow(InvalidValueError);
    expect(() => c.labels('a').inc(-0.5)).toThrow(/Invalid value for metric "jobs": a counter can only go up/);
    expect(() => c.labels('a').inc('1' as unknown as number)).toThrow(InvalidValueError);
    expect(c.get({ q: 'a' })).toBe(0);
    const u = new Counter({ name: 'u', help: 'h', registry: null });
    expect(() => u.inc(-1)).toThrow(InvalidValueError);
  });

  it('records labelled series by object, positional values and bound children', () => {
    const c = new Counter({ name: 'http_requests', help: 'h', labelNames: ['method', 'code'], registry: null });
    c.inc({ method: 'GET', code: '200' });
    c.inc({ code: 200, method: 'GET' }, 2);
    const post = c.labels('POST', 500);
    post.inc();
    c.labels({ method: 'POST', code: '500' }).inc(10);
    expect(post).toBe(c.labels({ method: 'POST', code: 500 }));
    expect(rows(c)).toEqual([
      { name: 'http_requests_total', labels: { method: 'GET', code: '200' }, value: 3 },
      { name: 'http_requests_total', labels: { method: 'POST', code: '500' }, value: 11 },
    ]);
    expect(c.get({ method: 'GET', code: 200 })).toBe(3);
    expect(c.get({ method: 'PUT', code: 200 })).toBe(0);
    expect(post.get()).toBe(11);
  });

  it('an unlabelled counter keeps counting into its current series after clear() and reset(), through every inc form', () => {
    const c = new Counter({ name: 'fast', help: 'h', registry: null });
    c.inc();
    c.inc(2, { trace_id: 'a' });
    c.inc({}, 3);
    expect(c.get()).toBe(6);
    c.clear();
    expect(c.get()).toBe(0);
    c.inc();
    expect(c.get()).toBe(1);
    c.reset();
    c.inc(4);
    expect(c.get()).toBe(4);
    expect(samplesNamed(c, 'fast_total').map((s) => s.value)).toEqual([4]);
    // The fast path changes nothing about what is refused.
    expect(() => c.inc(-1)).toThrow(InvalidValueError);
    expect(() => c.inc({ a: 'x' } as never)).toThrow(LabelSetMismatchError);
    expect(() => c.inc(null as never)).toThrow(InvalidValueError);
    expect(Object.keys(c)).not.toContain('inc');
  });

  it('an unlabelled counter binds inc to its own series only: two counters never share one, and clear() rebinds one alone', () => {
    const a = new Counter({ name: 'a', help: 'h', registry: null });
    const b = new Counter({ name: 'b', help: 'h', registry: null });
    a.inc(2);
    b.inc();
    a.clear();
    a.inc();
    b.inc(5);
    expect([a.get(), b.get()]).toEqual([1, 6]);
    expect(a).toBeInstanceOf(Counter);
    expect(Object.getPrototypeOf(Object.getPrototypeOf(a))).toBe(Counter.prototype);
  });

  it('a subclass that overrides inc keeps its own, before and after clear(), and its other methods', () => {
    const calls: string[] = [];
    class Audited extends Counter {
      override inc(value?: number, exemplarLabels?: LabelSet): void;
      override inc(labels: Record<string, never>, value?: number, exemplarLabels?: LabelSet): void;
      override inc(...args: unknown[]): void {
        calls.push(JSON.stringify(args));
        (Counter.prototype.inc as (...all: unknown[]) => void).apply(this, args);
      }
      total(): number {
        return this.get();
      }
    }
    const audited = new Audited({ name: 'audited', help: 'h', registry: null });
    audited.inc();
    audited.inc(2);
    audited.clear();
    audited.inc({}, 3);
    expect(calls).toEqual(['[]', '[2]', '[{},3]']);
    expect(audited.total()).toBe(3);
  });

  it('a subclass that does not override inc gets the bound one and keeps its own methods', () => {
    class Named extends Counter {
      line(): string {
        return `${this.name}=${this.get()}`;
      }
    }
    const c = new Named({ name: 'named', help: 'h', registry: null });
    c.inc();
    c.inc(2);
    expect(c.line()).toBe('named=3');
    expect(Object.getPrototypeOf(Object.getPrototypeOf(c))).toBe(Named.prototype);
  });

  it('rejects wrong label sets', () => {
    const c = new Counter({ name: 'c', help: 'h', labelNames: ['method'], registry: null });
    // @ts-expect-error a labelled metric takes its labels (a compile error too)
    expect(() => c.inc()).toThrow(LabelSetMismatchError);
    // @ts-expect-error a labelled metric takes its labels (a compile error too)
    expect(() => c.inc(1)).toThrow(/the metric has labels/);
    expect(() => c.inc({} as { method: string })).toThrow(/missing label "method"/);
    expect(() => c.inc({ methd: 'GET' } as unknown as { method: string })).toThrow(/missing label "method"/);
    expect(() => c.inc({ method: 'GET', extra: 'x' } as { method: string })).toThrow(/unknown label "extra"/);
    expect(() => c.inc({ method: undefined } as unknown as { method: string })).toThrow(LabelSetMismatchError);
    // @ts-expect-error one positional value per label (a compile error too)
    expect(() => c.labels('GET', 'x')).toThrow(/got 2 label values for 1 label/);
    expect(() => c.get({} as { method: string })).toThrow(LabelSetMismatchError);
    // a known series still rejects a missing label (the fast path reads every declared label)
    c.inc({ method: 'GET' });
    expect(() => c.inc({ other: 'GET' } as unknown as { method: string })).toThrow(LabelSetMismatchError);
    const u = new Counter({ name: 'u', help: 'h', registry: null });
    expect(() => u.inc({ method: 'GET' } as never)).toThrow(/the metric has no labels, got "method"/);
    expect(rows(c)).toEqual([{ name: 'c_total', labels: { method: 'GET' }, value: 1 }]);
  });

  it('exposes no series of a labelled counter until one is used, and the unlabelled series at 0 at once', () => {
    expect(rows(new Counter({ name: 'c', help: 'h', labelNames: ['a'], registry: null }))).toEqual([]);
    expect(rows(new Counter({ name: 'c', help: 'h', registry: null }))).toEqual([{ name: 'c_total', labels: {}, value: 0 }]);
  });

  it('stamps _created per series at creation, and anew after clear()', () => {
    const now = jest.spyOn(Date, 'now');
    now.mockReturnValue(1_000_000);
    const c = new Counter({ name: 'c', help: 'h', labelNames: ['a'], registry: null });
    c.inc({ a: 'x' });
    now.mockReturnValue(2_500_000);
    c.inc({ a: 'y' });
    c.inc({ a: 'x' });
    expect(samplesNamed(c, 'c_created').map((s) => [s.labels.a, s.value])).toEqual([
      ['x', 1000],
      ['y', 2500],
    ]);
    const u = new Counter({ name: 'u', help: 'h', registry: null });
    u.inc(5);
    now.mockReturnValue(3_000_000);
    u.clear();
    expect(u.get()).toBe(0);
    expect(samplesNamed(u, 'u_created')[0].value).toBe(3000);
    u.inc();
    expect(u.remove()).toBe(true);
    expect(u.get()).toBe(0);
  });

  describe('exemplars', () => {
    it('keeps the latest exemplar on the _total sample', () => {
      const now = jest.spyOn(Date, 'now').mockReturnValue(1_700_000_000_500);
      const c = new Counter({ name: 'c', help: 'h', labelNames: ['a'], registry: null });
      c.inc({ a: 'x' }, 1, { trace_id: 'first' });
      now.mockReturnValue(1_700_000_001_250);
      c.labels('x').inc(2, { trace_id: 'second', span_id: '7' });
      c.inc({ a: 'x' }); // without exemplar: the last one stays
      const [total] = samplesNamed(c, 'c_total');
      expect(total.exemplar).toEqual({ labels: { trace_id: 'second', span_id: '7' }, value: 2, timestamp: 1_700_000_001.25 });
      expect(samplesNamed(c, 'c_created')[0].exemplar).toBeUndefined();
      const u = new Counter({ name: 'u', help: 'h', registry: null });
      u.inc(3, { trace_id: 'abc' });
      expect(samplesNamed(u, 'u_total')[0].exemplar).toMatchObject({ labels: { trace_id: 'abc' }, value: 3 });
    });

    it('copies the exemplar labels', () => {
      const c = new Counter({ name: 'c', help: 'h', registry: null });
      const labels: Record<string, string> = { trace_id: 'a' };
      c.inc(1, labels);
      labels.trace_id = 'changed';
      expect(samplesNamed(c, 'c_total')[0].exemplar?.labels).toEqual({ trace_id: 'a' });
    });

    it('limits exemplar labels to 128 code points (names and values), rejecting the increment', () => {
      const c = new Counter({ name: 'c', help: 'h', registry: null });
      const name = 'trace_id'; // 8 characters
      c.inc(1, { [name]: 'x'.repeat(EXEMPLAR_MAX_CHARACTERS - name.length) });
      expect(() => c.inc(1, { [name]: 'x'.repeat(EXEMPLAR_MAX_CHARACTERS - name.length + 1) })).toThrow(InvalidValueError);
      expect(() => c.inc(1, { a: 'x'.repeat(100), b: 'y'.repeat(30) })).toThrow(/exemplar labels have 132 characters/);
      // code points, not UTF-16 units: 120 emoji are 240 units but 120 characters
      c.inc(1, { [name]: '😀'.repeat(EXEMPLAR_MAX_CHARACTERS - name.length) });
      expect(() => c.inc(1, { [name]: '😀'.repeat(EXEMPLAR_MAX_CHARACTERS - name.length + 1) })).toThrow(InvalidValueError);
      expect(c.get()).toBe(2);
    });

    it('rejects illegal exemplar label names', () => {
      const c = new Counter({ name: 'c', help: 'h', registry: null });
      expect(() => c.inc(1, { 'trace-id': 'a' })).toThrow(InvalidLabelNameError);
      expect(() => c.inc(1, null as never)).toThrow(InvalidValueError);
    });
  });

  it('returns frozen samples that stay valid snapshots after later increments', () => {
    const c = new Counter({ name: 'c', help: 'h', registry: null });
    c.inc();
    const first = onlyFamily(c.collect()).samples;
    const again = onlyFamily(c.collect()).samples;
    expect(again[0]).toBe(first[0]); // unchanged series: sample reused
    c.inc();
    const later = onlyFamily(c.collect()).samples;
    expect(first[0].value).toBe(1);
    expect(later[0].value).toBe(2);
    expect(Object.isFrozen(later[0])).toBe(true);
    expect(Object.isFrozen(later[0].labels)).toBe(true);
  });
});
