import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { InvalidOptionsError, InvalidValueError, LabelSetMismatchError } from '../../src/model/index.js';
import { Gauge } from '../../src/metrics/index.js';
import { onlyFamily, rows } from './sample-rows.js';
import { scrape } from '../../src/exposition/index.js';
import { Registry, type CollectorFailure } from '../../src/registry/index.js';

afterEach(() => {
  jest.restoreAllMocks();
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('Gauge', () => {
  it('exposes one gauge family with one sample per series (the seed example)', () => {
    const a = new Gauge({ name: 'a', help: 'Description of gauge', registry: null });
    const b = new Gauge({ name: 'b', help: 'Description of gauge', labelNames: ['label1', 'label2'], registry: null });
    a.set(61);
    b.labels({ label1: 'k1', label2: 'f1' }).set(113);
    b.labels({ label1: 'k1', label2: 'f2' }).set(233);
    b.labels({ label1: 'k2', label2: 'f2' }).set(401);
    expect(a.collect()).toEqual([{ name: 'a', type: 'gauge', help: 'Description of gauge', unit: '', samples: [{ name: 'a', labels: {}, value: 61 }] }]);
    expect(rows(b)).toEqual([
      { name: 'b', labels: { label1: 'k1', label2: 'f1' }, value: 113 },
      { name: 'b', labels: { label1: 'k1', label2: 'f2' }, value: 233 },
      { name: 'b', labels: { label1: 'k2', label2: 'f2' }, value: 401 },
    ]);
  });

  it('sets, increments and decrements, unlabelled and labelled', () => {
    const g = new Gauge({ name: 'g', help: 'h', registry: null });
    g.set(10);
    g.inc();
    g.inc(4);
    g.dec();
    g.dec(0.5);
    expect(g.get()).toBe(13.5);
    g.set(-3);
    expect(g.get()).toBe(-3);
    g.set(NaN);
    expect(g.get()).toBeNaN();

    const q = new Gauge({ name: 'q', help: 'h', labelNames: ['queue'], registry: null });
    q.set({ queue: 'a' }, 5);
    q.inc({ queue: 'a' });
    q.inc({ queue: 'a' }, 2);
    q.dec({ queue: 'a' });
    q.dec({ queue: 'b' }, 3);
    q.labels('c').inc(7);
    expect(rows(q)).toEqual([
      { name: 'q', labels: { queue: 'a' }, value: 7 },
      { name: 'q', labels: { queue: 'b' }, value: -3 },
      { name: 'q', labels: { queue: 'c' }, value: 7 },
    ]);
    expect(q.get({ queue: 'b' })).toBe(-3);
    expect(q.get({ queue: 'zzz' })).toBe(0);
  });

  it('rejects non-numbers and wrong label sets', () => {
    const g = new Gauge({ name: 'g', help: 'h', labelNames: ['a'], registry: null });
    expect(() => g.set({ a: 'x' }, '1' as unknown as number)).toThrow(InvalidValueError);
    expect(() => g.labels('x').inc('1' as unknown as number)).toThrow(InvalidValueError);
    // @ts-expect-error a labelled metric takes its labels (a compile error too)
    expect(() => g.set(1)).toThrow(LabelSetMismatchError);
    // @ts-expect-error a labelled metric takes its labels (a compile error too)
    expect(() => g.inc()).toThrow(LabelSetMismatchError);
    expect(() => g.setToCurrentTime()).toThrow(LabelSetMismatchError);
    const u = new Gauge({ name: 'u', help: 'h', registry: null });
    expect(() => u.set(undefined as unknown as number)).toThrow(InvalidValueError);
  });

  it('sets the current unix time in seconds', () => {
    jest.spyOn(Date, 'now').mockReturnValue(1_700_000_000_250);
    const g = new Gauge({ name: 'g', help: 'h', labelNames: ['a'], registry: null });
    g.setToCurrentTime({ a: 'x' });
    g.labels('y').setToCurrentTime();
    expect(rows(g).map((r) => r.value)).toEqual([1_700_000_000.25, 1_700_000_000.25]);
    const u = new Gauge({ name: 'u', help: 'h', registry: null });
    u.setToCurrentTime();
    expect(u.get()).toBe(1_700_000_000.25);
  });

  it('times into the gauge with startTimer, labels at start, end, or both', async () => {
    const g = new Gauge({ name: 'g', help: 'h', labelNames: ['a', 'b'], registry: null });
    const both = g.startTimer({ a: '1', b: '2' });
    const split = g.startTimer({ a: '1' });
    const atEnd = g.startTimer();
    await sleep(20);
    const s1 = both();
    const s2 = split({ b: '3' });
    const s3 = atEnd({ a: '9', b: '9' });
    for (const s of [s1, s2, s3]) expect(s).toBeGreaterThanOrEqual(0.015);
    expect(g.get({ a: '1', b: '2' })).toBe(s1);
    expect(g.get({ a: '1', b: '3' })).toBe(s2);
    expect(g.get({ a: '9', b: '9' })).toBe(s3);
    expect(() => g.startTimer({ a: '1' })()).toThrow(LabelSetMismatchError);

    const u = new Gauge({ name: 'u', help: 'h', registry: null });
    const end = u.startTimer();
    const seconds = end();
    expect(seconds).toBeGreaterThanOrEqual(0);
    expect(u.get()).toBe(seconds);
    const child = g.labels('c', 'd').startTimer();
    expect(g.get({ a: 'c', b: 'd' })).toBe(0);
    expect(child()).toBe(g.get({ a: 'c', b: 'd' }));
  });

  it('times functions, sync and async', async () => {
    const g = new Gauge({ name: 'g', help: 'h', labelNames: ['a'], registry: null });
    expect(g.time({ a: 'sync' }, () => 42)).toBe(42);
    expect(g.get({ a: 'sync' })).toBeGreaterThanOrEqual(0);
    await expect(g.time({ a: 'async' }, () => sleep(15).then(() => 'done'))).resolves.toBe('done');
    expect(g.get({ a: 'async' })).toBeGreaterThanOrEqual(0.01);
    const u = new Gauge({ name: 'u', help: 'h', registry: null });
    expect(u.time(() => 'x')).toBe('x');
    expect(u.labels().time(() => 7)).toBe(7);
  });

  it('tracks operations in progress with an idempotent release', () => {
    const g = new Gauge({ name: 'g', help: 'h', labelNames: ['op'], registry: null });
    const r1 = g.trackInProgress({ op: 'upload' });
    const r2 = g.trackInProgress({ op: 'upload' });
    expect(g.get({ op: 'upload' })).toBe(2);
    r1();
    r1();
    expect(g.get({ op: 'upload' })).toBe(1);
    r2();
    expect(g.get({ op: 'upload' })).toBe(0);
    const u = new Gauge({ name: 'u', help: 'h', registry: null });
    const release = u.trackInProgress();
    expect(u.get()).toBe(1);
    release();
    expect(u.get()).toBe(0);
  });

  it('reads the value from a function at collect time', () => {
    let depth = 3;
    const g = new Gauge({ name: 'g', help: 'h', registry: null });
    g.set(100);
    g.setFunction(() => depth);
    expect(rows(g)).toEqual([{ name: 'g', labels: {}, value: 3 }]);
    depth = 8;
    expect(rows(g)[0].value).toBe(8);
    expect(g.get()).toBe(8);
    g.setFunction(undefined);
    expect(g.get()).toBe(100);
    const l = new Gauge({ name: 'l', help: 'h', labelNames: ['a'], registry: null });
    l.labels('x').setFunction(() => depth * 2);
    expect(rows(l)[0].value).toBe(16);
    expect(() => g.setFunction(42 as unknown as () => number)).toThrow(InvalidOptionsError);
  });

  it('runs a synchronous collect callback before reading the values', () => {
    let reads = 0;
    const g = new Gauge({
      name: 'g',
      help: 'h',
      labelNames: ['a'],
      registry: null,
      collect() {
        reads += 1;
        this.set({ a: 'x' }, reads * 10);
      },
    });
    const families = g.collect();
    expect(Array.isArray(families)).toBe(true);
    expect(onlyFamily(families).samples.map((s) => s.value)).toEqual([10]);
    expect(rows(g)[0].value).toBe(20);
  });

  it('returns a Promise from collect() when the collect callback is async', async () => {
    const g = new Gauge({
      name: 'g',
      help: 'h',
      registry: null,
      async collect() {
        await sleep(5);
        this.set(77);
      },
    });
    const pending = g.collect();
    expect(pending).toBeInstanceOf(Promise);
    const families = await pending;
    expect(families).toEqual([{ name: 'g', type: 'gauge', help: 'h', unit: '', samples: [{ name: 'g', labels: {}, value: 77 }] }]);
    const failing = new Gauge({ name: 'f', help: 'h', registry: null, collect: () => Promise.reject(new Error('boom')) });
    await expect(failing.collect()).rejects.toThrow('boom');
    expect(() => new Gauge({ name: 'x', help: 'h', registry: null, collect: 5 as never })).toThrow(InvalidOptionsError);
  });

  it('is equal in definition regardless of the collect callback', () => {
    const a = new Gauge({ name: 'g', help: 'h', registry: null, collect() {} });
    expect(a.definitionConflict(new Gauge({ name: 'g', help: 'h', registry: null }))).toBeUndefined();
  });

  it('reuses the frozen sample of an unchanged series', () => {
    const g = new Gauge({ name: 'g', help: 'h', registry: null });
    g.set(1);
    const first = onlyFamily(g.collect()).samples[0];
    expect(onlyFamily(g.collect()).samples[0]).toBe(first);
    g.set(2);
    expect(onlyFamily(g.collect()).samples[0].value).toBe(2);
    expect(first.value).toBe(1);
    expect(Object.isFrozen(first)).toBe(true);
  });
});

describe('Gauge.setFunction with a function that returns no number', () => {
  it.each<[string, () => unknown, RegExp]>([
    ['a string', () => '3', /must return a number, got string/],
    ['undefined (a forgotten return)', () => undefined, /got undefined/],
    ['a Promise', async () => 3, /got a Promise \(read an async source in the gauge's collect option\)/],
    ['a bigint', () => 3n, /got bigint/],
    ['null', () => null, /got null/],
  ])('%s: get() throws a typed error, and a scrape leaves that gauge out and serves the rest', async (_, fn, reason) => {
    const failures: CollectorFailure[] = [];
    const registry = new Registry({ onCollectorError: (failure) => failures.push(failure) });
    const bad = new Gauge({ name: 'pool_size', help: 'h', registry });
    bad.setFunction(fn as () => number);
    const fine = new Gauge({ name: 'queue_depth', help: 'h', registry });
    fine.set(7);
    expect(() => bad.get()).toThrow(InvalidValueError);
    expect(() => bad.get()).toThrow(reason);
    for (const accept of ['text/plain;version=0.0.4', 'application/openmetrics-text;version=1.0.0']) {
      const { body } = await scrape(registry, { accept });
      expect(body).toMatch(/^queue_depth 7(\.0)?$/m);
      expect(body).not.toMatch(/^pool_size/m);
    }
    expect(failures.length).toBeGreaterThan(0);
    expect(failures[0].error).toBeInstanceOf(InvalidValueError);
  });

  it('NaN and infinities are numbers a gauge may hold', () => {
    const g = new Gauge({ name: 'g', help: 'h', registry: null });
    g.setFunction(() => NaN);
    expect(rows(g)[0].value).toBeNaN();
    g.setFunction(() => -Infinity);
    expect(rows(g)[0].value).toBe(-Infinity);
  });
});
