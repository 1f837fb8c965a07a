import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { InvalidOptionsError, LabelSetMismatchError } from '../../src/model/index.js';
import { Counter, Enum, Gauge, GaugeHistogram, Histogram, Info, OVERFLOW_LABEL_VALUE, Summary } from '../../src/metrics/index.js';
import { Registry } from '../../src/registry/index.js';
import { rows } from './sample-rows.js';

const OVERFLOW = OVERFLOW_LABEL_VALUE;

let warnings: string[];
beforeEach(() => {
  jest.useFakeTimers(); // see pass()
  warnings = [];
  jest.spyOn(process, 'emitWarning').mockImplementation((warning: string | Error) => {
    warnings.push(String(warning));
  });
});
afterEach(() => {
  jest.useRealTimers();
  jest.restoreAllMocks();
});

/**
 * Lets `seconds` of monotonic time pass on jest's fake clock (which fakes
 * `performance.now()`), so that "not yet idle for the TTL" holds however loaded the machine.
 */
async function pass(seconds: number): Promise<void> {
  await jest.advanceTimersByTimeAsync(seconds * 1000);
}

describe('maxSeries', () => {
  it('folds label sets past the limit into one overflow series, keeping the total exact', () => {
    const c = new Counter({ name: 'c', help: 'h', labelNames: ['user', 'route'], maxSeries: 2, registry: null });
    c.inc({ user: 'a', route: '/' }, 1);
    c.inc({ user: 'b', route: '/' }, 2);
    c.inc({ user: 'c', route: '/' }, 4);
    c.inc({ user: 'd', route: '/x' }, 8);
    c.inc({ user: 'a', route: '/' }, 16); // an existing series keeps recording
    expect(rows(c)).toEqual([
      { name: 'c_total', labels: { user: 'a', route: '/' }, value: 17 },
      { name: 'c_total', labels: { user: 'b', route: '/' }, value: 2 },
      { name: 'c_total', labels: { user: OVERFLOW, route: OVERFLOW }, value: 12 },
    ]);
    expect(c.seriesOverflow).toBe(2);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"c" reached maxSeries (2)');
  });

  it('gives a bound child past the limit the overflow series', () => {
    const h = new Histogram({ name: 'h', help: 'h', labelNames: ['k'], buckets: [1], maxSeries: 1, registry: null });
    h.labels('a').observe(0.5);
    const late = h.labels('b');
    expect(late).toBe(h.labels({ k: 'c' }));
    late.observe(2);
    expect(rows(h).filter((r) => r.name === 'h_count')).toEqual([
      { name: 'h_count', labels: { k: 'a' }, value: 1 },
      { name: 'h_count', labels: { k: OVERFLOW }, value: 1 },
    ]);
  });

  it('frees room when series are removed', () => {
    const g = new Gauge({ name: 'g', help: 'h', labelNames: ['k'], maxSeries: 1, registry: null });
    g.set({ k: 'a' }, 1);
    g.set({ k: 'b' }, 2);
    expect(g.remove({ k: 'a' })).toBe(true);
    g.set({ k: 'c' }, 3);
    expect(rows(g).map((r) => r.labels.k)).toEqual([OVERFLOW, 'c']);
  });

  it('drops records of an enum or info past the limit instead of exposing an arbitrary one', () => {
    const e = new Enum({ name: 'e', help: 'h', labelNames: ['k'], states: ['on', 'off'], maxSeries: 1, registry: null });
    e.state({ k: 'a' }, 'off');
    e.state({ k: 'b' }, 'off');
    expect(rows(e).map((r) => r.labels.k)).toEqual(['a', 'a']);
    expect(e.seriesOverflow).toBe(1);
    const i = new Info({ name: 'i', help: 'h', labelNames: ['k'], maxSeries: 1, registry: null });
    i.info({ k: 'a' }, { v: '1' });
    i.info({ k: 'b' }, { v: '2' });
    expect(rows(i)).toEqual([{ name: 'i_info', labels: { k: 'a', v: '1' }, value: 1 }]);
  });

  it('applies to every labelled instrument', () => {
    const registry = null;
    const s = new Summary({ name: 's', help: 'h', labelNames: ['k'], maxSeries: 1, registry });
    const gh = new GaugeHistogram({ name: 'gh', help: 'h', labelNames: ['k'], buckets: [1], maxSeries: 1, registry });
    for (const k of ['a', 'b', 'c']) {
      s.observe({ k }, 1);
      gh.observe({ k }, 1);
    }
    expect(rows(s).filter((r) => r.name === 's_count')).toEqual([
      { name: 's_count', labels: { k: 'a' }, value: 1 },
      { name: 's_count', labels: { k: OVERFLOW }, value: 2 },
    ]);
    expect(rows(gh).filter((r) => r.name === 'gh_gcount').map((r) => r.value)).toEqual([1, 2]);
  });

  it('rejects a limit that is not an integer >= 1, and limits on an unlabelled metric', () => {
    for (const maxSeries of [0, -1, 1.5, Number.NaN, Infinity, '10' as unknown as number]) {
      expect(() => new Counter({ name: 'c', help: 'h', labelNames: ['k'], maxSeries, registry: null })).toThrow(InvalidOptionsError);
    }
    for (const seriesTtlSeconds of [0, -1, Number.NaN, Infinity]) {
      expect(() => new Counter({ name: 'c', help: 'h', labelNames: ['k'], seriesTtlSeconds, registry: null })).toThrow(InvalidOptionsError);
    }
    expect(() => new Counter({ name: 'c', help: 'h', maxSeries: 10, registry: null })).toThrow(InvalidOptionsError);
    expect(() => new Registry({ maxSeries: 0 })).toThrow(InvalidOptionsError);
  });

  it('is part of the definition: the same name with another limit is a conflict', () => {
    const registry = new Registry();
    new Counter({ name: 'c', help: 'h', labelNames: ['k'], maxSeries: 5, registry });
    expect(() => new Counter({ name: 'c', help: 'h', labelNames: ['k'], maxSeries: 6, registry })).toThrow(/maxSeries differs: 5 vs 6/);
  });
});

describe('registry', () => {
  it('applies its default limit to labelled instruments that set none, and exposes promkit_series_overflow_total', async () => {
    const registry = new Registry({ maxSeries: 2 });
    const own = new Counter({ name: 'own', help: 'h', labelNames: ['k'], maxSeries: 3, registry });
    const dflt = new Counter({ name: 'dflt', help: 'h', labelNames: ['k'], registry });
    const plain = new Counter({ name: 'plain', help: 'h', registry });
    for (const k of ['a', 'b', 'c', 'd']) {
      own.inc({ k });
      dflt.inc({ k });
    }
    plain.inc();
    const { families } = await registry.collect();
    const overflow = families.find((f) => f.name === 'promkit_series_overflow');
    expect(overflow?.type).toBe('counter');
    expect(overflow?.samples.map((s) => [s.labels.metric, s.value])).toEqual([
      ['own', 1],
      ['dflt', 2],
    ]);
    const filtered = await registry.collect({ names: ['promkit_series_overflow_total'] });
    expect(filtered.families.map((f) => f.name)).toEqual(['promkit_series_overflow']);
  });

  it('reserves the overflow family name', () => {
    expect(() => new Counter({ name: 'promkit_series_overflow', help: 'h', registry: new Registry() })).toThrow(/reserved/);
  });

  it('resetMetrics forgets series and overflow counts', () => {
    const registry = new Registry();
    const c = new Counter({ name: 'c', help: 'h', labelNames: ['k'], maxSeries: 1, registry });
    c.inc({ k: 'a' });
    c.inc({ k: 'b' });
    registry.resetMetrics();
    expect(c.seriesOverflow).toBe(0);
    c.inc({ k: 'b' });
    expect(rows(c).map((r) => r.labels.k)).toEqual(['b']);
  });
});

describe('removeMatching', () => {
  it('removes the series whose labels include the given ones', () => {
    const g = new Gauge({ name: 'g', help: 'h', labelNames: ['tenant', 'region', 'node'], registry: null });
    for (const tenant of ['t1', 't2']) for (const region of ['eu', 'us']) for (const node of ['n1', 'n2']) g.set({ tenant, region, node }, 1);
    expect(g.removeMatching({ tenant: 't1', node: 'n2' })).toBe(2);
    expect(g.removeMatching({ region: 'us' })).toBe(3);
    expect(rows(g).map((r) => `${r.labels.tenant}/${r.labels.region}/${r.labels.node}`)).toEqual(['t1/eu/n1', 't2/eu/n1', 't2/eu/n2']);
    expect(g.removeMatching({ tenant: 'none' })).toBe(0);
    expect(g.removeMatching({})).toBe(3);
    expect(rows(g)).toEqual([]);
  });

  it('frees the histogram slots of what it removes and keeps a held child working', () => {
    const h = new Histogram({ name: 'h', help: 'h', labelNames: ['k'], buckets: [1], registry: null });
    const held = h.labels('a');
    held.observe(0.5);
    h.observe({ k: 'b' }, 0.5);
    expect(h.removeMatching({ k: 'a' })).toBe(1);
    h.observe({ k: 'c' }, 0.5); // takes the freed slots
    held.observe(0.5);
    expect(held.getCount()).toBe(2);
    expect(rows(h).filter((r) => r.name === 'h_count').map((r) => [r.labels.k, r.value])).toEqual([
      ['b', 1],
      ['c', 1],
    ]);
  });

  it('rejects a label the metric does not declare (a compile error too)', () => {
    const c = new Counter({ name: 'c', help: 'h', labelNames: ['k'], registry: null });
    // @ts-expect-error: 'x' is not a label of c
    expect(() => c.removeMatching({ x: '1' })).toThrow(LabelSetMismatchError);
  });
});

describe('seriesTtlSeconds', () => {
  it('drops a series idle for the TTL at a scrape, keeps the active ones', async () => {
    const c = new Counter({ name: 'c', help: 'h', labelNames: ['k'], seriesTtlSeconds: 0.02, registry: null });
    c.inc({ k: 'idle' });
    c.inc({ k: 'busy' });
    expect(rows(c)).toHaveLength(2); // this scrape marks both
    await pass(0.03);
    c.inc({ k: 'busy' });
    expect(rows(c)).toEqual([{ name: 'c_total', labels: { k: 'busy' }, value: 2 }]);
    expect(rows(c)).toEqual([{ name: 'c_total', labels: { k: 'busy' }, value: 2 }]); // idle since the last scrape, not yet for the TTL
    await pass(0.03);
    expect(rows(c)).toEqual([]);
  });

  it('brings an expired series back when a held child records, once, with nothing lost', async () => {
    const c = new Counter({ name: 'c', help: 'h', labelNames: ['k'], seriesTtlSeconds: 0.02, registry: null });
    const held = c.labels('a');
    held.inc(5);
    rows(c);
    await pass(0.03);
    expect(rows(c)).toEqual([]);
    c.inc({ k: 'a' }, 1); // the store gives back the held series, not a new one
    held.inc(1);
    expect(c.labels('a')).toBe(held);
    expect(rows(c)).toEqual([{ name: 'c_total', labels: { k: 'a' }, value: 7 }]);
  });

  it('brings back a held child that records first', async () => {
    const h = new Histogram({ name: 'h', help: 'h', labelNames: ['k'], buckets: [1], seriesTtlSeconds: 0.02, registry: null });
    const held = h.labels('a');
    held.observe(0.5);
    rows(h);
    await pass(0.03);
    expect(rows(h)).toEqual([]);
    h.observe({ k: 'b' }, 0.5); // may reuse the expired series' slots
    held.observe(0.5);
    expect(rows(h).filter((r) => r.name === 'h_count').map((r) => [r.labels.k, r.value])).toEqual([
      ['b', 1],
      ['a', 2],
    ]);
  });

  it('does not bring back a series removed (or reset) after it expired', async () => {
    const c = new Counter({ name: 'c', help: 'h', labelNames: ['k'], seriesTtlSeconds: 0.02, registry: null });
    const held = c.labels('a');
    held.inc();
    rows(c);
    await pass(0.03);
    rows(c);
    c.removeMatching({ k: 'a' });
    held.inc();
    expect(rows(c)).toEqual([]);
  });

  it('frees room under maxSeries', async () => {
    const c = new Counter({ name: 'c', help: 'h', labelNames: ['k'], maxSeries: 1, seriesTtlSeconds: 0.02, registry: null });
    c.inc({ k: 'a' });
    rows(c);
    await pass(0.03);
    rows(c);
    c.inc({ k: 'b' });
    expect(rows(c)).toEqual([{ name: 'c_total', labels: { k: 'b' }, value: 1 }]);
  });

  it('comes from the registry default', async () => {
    const registry = new Registry({ seriesTtlSeconds: 0.02 });
    const g = new Gauge({ name: 'g', help: 'h', labelNames: ['k'], registry });
    g.set({ k: 'a' }, 1);
    await registry.collect();
    await pass(0.03);
    const { families } = await registry.collect();
    expect(families.find((f) => f.name === 'g')?.samples).toEqual([]);
  });
});

describe('remove() of an expired series', () => {
  it('keeps a held child from bringing it back, even when its whole label path is gone', async () => {
    const c = new Counter({ name: 'c', help: 'h', labelNames: ['a', 'b'], seriesTtlSeconds: 0.02, registry: null });
    const held = c.labels('x', 'y');
    held.inc();
    rows(c);
    await pass(0.03);
    expect(rows(c)).toEqual([]);
    expect(c.remove('x', 'y')).toBe(false); // nothing listed under it any more
    held.inc();
    expect(rows(c)).toEqual([]);
  });
});
