import { afterEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  DuplicateMetricError,
  InvalidLabelNameError,
  InvalidMetricNameError,
  InvalidOptionsError,
  LabelSetMismatchError,
  ReservedLabelNameError,
} from '../../src/model/index.js';
import {
  Counter,
  Enum,
  Gauge,
  GaugeHistogram,
  Histogram,
  Info,
  Summary,
  getDefaultRegistrar,
  setDefaultRegistrar,
} from '../../src/metrics/index.js';
import type { Metric } from '../../src/metrics/index.js';
import { FakeRegistrar } from './fake-registrar.js';
import { onlyFamily, rows } from './sample-rows.js';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** One constructor per instrument, for the checks every instrument shares. */
const makers: Record<string, (options: { name: string; help: string; labelNames?: readonly string[]; unit?: string }) => Metric<string>> = {
  counter: (o) => new Counter<string>({ ...o, registry: null }),
  gauge: (o) => new Gauge<string>({ ...o, registry: null }),
  histogram: (o) => new Histogram<string>({ ...o, registry: null }),
  summary: (o) => new Summary<string>({ ...o, registry: null }),
  info: (o) => new Info<string>({ ...o, registry: null }),
  enum: (o) => new Enum<string>({ ...o, states: ['a', 'b'], registry: null }),
  gaugehistogram: (o) => new GaugeHistogram<string>({ ...o, registry: null }),
};

describe('Metric (shared by every instrument)', () => {
  afterEach(() => setDefaultRegistrar(undefined));

  describe.each(Object.entries(makers))('%s', (_type, make) => {
    it('rejects illegal metric names, naming the metric', () => {
      for (const name of ['', '1abc', 'a-b', 'a b', 'é', '__reserved']) {
        expect(() => make({ name, help: 'h' })).toThrow(InvalidMetricNameError);
      }
      expect(() => make({ name: 'bad-name', help: 'h' })).toThrow(/"bad-name"/);
    });

    it('rejects illegal, reserved and repeated label names', () => {
      expect(() => make({ name: 'm', help: 'h', labelNames: ['1x'] })).toThrow(InvalidLabelNameError);
      expect(() => make({ name: 'm', help: 'h', labelNames: ['__x'] })).toThrow(ReservedLabelNameError);
      expect(() => make({ name: 'm', help: 'h', labelNames: ['a', 'a'] })).toThrow(/declared more than once/);
    });

    it('requires a string help and an array of label names', () => {
      expect(() => make({ name: 'm', help: 3 as unknown as string })).toThrow(InvalidOptionsError);
      expect(() => make({ name: 'm', labelNames: 'a' as unknown as string[], help: 'h' })).toThrow(InvalidOptionsError);
    });

    it('describes itself and carries its definition', () => {
      const metric = make({ name: 'm', help: 'Some help.', labelNames: ['a', 'b'] });
      expect(metric.describe()).toEqual([{ name: metric.name, type: metric.type }]);
      expect(metric.help).toBe('Some help.');
      expect(metric.labelNames).toEqual(['a', 'b']);
      expect(Object.isFrozen(metric.labelNames)).toBe(true);
    });

    it('finds no conflict with an equal definition, and names the difference otherwise', () => {
      const base = { name: 'm', help: 'h', labelNames: ['a', 'b'] };
      const metric = make(base);
      expect(metric.definitionConflict(make(base))).toBeUndefined();
      expect(metric.definitionConflict(make({ ...base, help: 'other' }))).toBe("help differs: 'h' vs 'other'");
      expect(metric.definitionConflict(make({ ...base, labelNames: ['b', 'a'] }))).toBe('labelNames differ: [a, b] vs [b, a]');
      expect(metric.definitionConflict(make({ ...base, labelNames: ['a'] }))).toBe('labelNames differ: [a, b] vs [a]');
      const other = metric.type === 'gauge' ? makers.counter(base) : makers.gauge(base);
      expect(metric.definitionConflict(other)).toBe(`type differs: '${metric.type}' vs '${other.type}'`);
    });

    it('rejects labelled recording without labels and unlabelled recording with labels', () => {
      const labelled = make({ name: 'm', help: 'h', labelNames: ['a'] }) as unknown as { labels(...a: unknown[]): unknown };
      expect(() => labelled.labels()).toThrow(LabelSetMismatchError);
      expect(() => labelled.labels({})).toThrow(/missing label "a"/);
      expect(() => labelled.labels({ a: 'x', b: 'y' })).toThrow(/unknown label "b"/);
      expect(() => labelled.labels('x', 'y')).toThrow(/got 2 label values for 1 label/);
      const unlabelled = make({ name: 'm', help: 'h' }) as unknown as { labels(...a: unknown[]): unknown };
      expect(() => unlabelled.labels({ a: 'x' })).toThrow(LabelSetMismatchError);
      expect(() => unlabelled.labels('x')).toThrow(LabelSetMismatchError);
      expect(unlabelled.labels()).toBe(unlabelled.labels({}));
    });

    it('removes series by label object or positional values, and clears', () => {
      const metric = make({ name: 'm', help: 'h', labelNames: ['a', 'b'] }) as Metric<string> & { labels(...a: unknown[]): unknown };
      metric.labels({ a: 'x', b: 'y' });
      metric.labels('x', 'z');
      metric.labels('w', 'z');
      const count = () => onlyFamily(metric.collect()).samples.length;
      const perSeries = count() / 3;
      expect(metric.remove({ a: 'x', b: 'y' })).toBe(true);
      expect(metric.remove({ a: 'x', b: 'y' })).toBe(false);
      expect(count()).toBe(2 * perSeries);
      expect(metric.remove('x', 'z')).toBe(true);
      expect(metric.remove('nope', 'z')).toBe(false);
      expect(() => metric.remove('x')).toThrow(LabelSetMismatchError);
      expect(() => metric.remove({ a: 'x' })).toThrow(LabelSetMismatchError);
      expect(count()).toBe(perSeries);
      metric.labels('x', 'y'); // the emptied inner map is recreated cleanly
      expect(count()).toBe(2 * perSeries);
      metric.clear();
      expect(count()).toBe(0);
    });

    it('collects series in creation order, without removed ones, however removals and re-creations interleave', () => {
      const metric = make({ name: 'm', help: 'h', labelNames: ['a'] }) as Metric<string> & { labels(...a: unknown[]): unknown };
      const order = () => [...new Set(onlyFamily(metric.collect()).samples.map((s) => s.labels.a))];
      for (const v of ['1', '2', '3', '4', '5']) metric.labels(v);
      expect(metric.remove('2')).toBe(true);
      expect(metric.remove('4')).toBe(true);
      metric.labels('2'); // a new series: it comes last
      expect(metric.remove('5')).toBe(true);
      expect(order()).toEqual(['1', '3', '2']);
      expect(metric.remove('1')).toBe(true);
      expect(order()).toEqual(['3', '2']);
      metric.labels('1');
      expect(order()).toEqual(['3', '2', '1']);
    });
  });

  it('requires an options object', () => {
    expect(() => new Counter(undefined as never)).toThrow(InvalidOptionsError);
    expect(() => new (Gauge as unknown as new (name: string, help: string) => unknown)('g', 'h')).toThrow(InvalidOptionsError);
  });

  describe('naming', () => {
    it('appends the unit unless the name already ends with it', () => {
      expect(new Gauge({ name: 'size', help: 'h', unit: 'bytes', registry: null }).name).toBe('size_bytes');
      expect(new Gauge({ name: 'size_bytes', help: 'h', unit: 'bytes', registry: null }).name).toBe('size_bytes');
      expect(new Histogram({ name: 'latency', help: 'h', unit: 'seconds', registry: null }).name).toBe('latency_seconds');
      expect(new Gauge({ name: 'size', help: 'h', registry: null }).unit).toBe('');
    });

    it('rejects an illegal unit, and a unit on info and enum', () => {
      expect(() => new Gauge({ name: 'size', help: 'h', unit: 'kilo-bytes', registry: null })).toThrow(InvalidMetricNameError);
      expect(() => new Info({ name: 'build', help: 'h', unit: 'bytes', registry: null })).toThrow(InvalidOptionsError);
      expect(() => new Enum({ name: 'state', help: 'h', unit: 'bytes', states: ['a'], registry: null })).toThrow(InvalidOptionsError);
    });

    it('reserves le on histograms, quantile on summaries, the own name on an enum', () => {
      expect(() => new Histogram({ name: 'h', help: 'h', labelNames: ['le'], registry: null })).toThrow(ReservedLabelNameError);
      expect(() => new GaugeHistogram({ name: 'h', help: 'h', labelNames: ['le'], registry: null })).toThrow(ReservedLabelNameError);
      expect(() => new Summary({ name: 's', help: 'h', labelNames: ['quantile'], registry: null })).toThrow(ReservedLabelNameError);
      expect(() => new Enum({ name: 'e', help: 'h', labelNames: ['e'], states: ['a'], registry: null })).toThrow(ReservedLabelNameError);
      // ...and only there
      expect(new Gauge({ name: 'g', help: 'h', labelNames: ['le', 'quantile'], registry: null }).labelNames).toEqual(['le', 'quantile']);
    });
  });

  describe('registration', () => {
    it('registers into the given registrar and returns the registered twin (get-or-create)', () => {
      const registry = new FakeRegistrar();
      const first = new Counter({ name: 'jobs', help: 'Jobs.', labelNames: ['queue'], registry });
      const second = new Counter({ name: 'jobs_total', help: 'Jobs.', labelNames: ['queue'], registry });
      expect(second).toBe(first);
      expect(registry.registered).toEqual([first]);
      second.inc({ queue: 'q' });
      expect(first.get({ queue: 'q' })).toBe(1);
    });

    it('lets the registrar reject a conflicting definition', () => {
      const registry = new FakeRegistrar();
      new Histogram({ name: 'lat', help: 'h', buckets: [1, 2], registry });
      expect(() => new Histogram({ name: 'lat', help: 'h', buckets: [1, 3], registry })).toThrow(DuplicateMetricError);
      expect(() => new Histogram({ name: 'lat', help: 'h', buckets: [1, 3], registry })).toThrow(/buckets differ: \[1, 2, Infinity\] vs \[1, 3, Infinity\]/);
      expect(() => new Gauge({ name: 'lat', help: 'h', registry })).toThrow(/type differs: 'histogram' vs 'gauge'/);
    });

    it('joins the default registrar when no registry is given, and none with registry: null', () => {
      const registry = new FakeRegistrar();
      setDefaultRegistrar(registry);
      expect(getDefaultRegistrar()).toBe(registry);
      const joined = new Gauge({ name: 'g', help: 'h' });
      const alone = new Gauge({ name: 'g2', help: 'h', registry: null });
      expect(registry.registered).toEqual([joined]);
      expect(registry.registered).not.toContain(alone);
      expect(new Gauge({ name: 'g', help: 'h' })).toBe(joined);
    });

    it('works without any default registrar', () => {
      expect(getDefaultRegistrar()).toBeUndefined();
      expect(() => new Counter({ name: 'c', help: 'h' }).inc()).not.toThrow();
    });
  });

  describe('label values (property-based)', () => {
    it('keeps any unicode string unchanged in the sample labels, by object and positionally', () => {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' })), { minLength: 1, maxLength: 8 }),
          (pairs) => {
            const gauge = new Gauge({ name: 'g', help: 'h', labelNames: ['a', 'b'], registry: null });
            const one = new Gauge({ name: 'g1', help: 'h', labelNames: ['a'], registry: null });
            const expected = new Map<string, { a: string; b: string; value: number }>();
            pairs.forEach(([a, b], i) => {
              if (i % 2 === 0) gauge.set({ a, b }, i);
              else gauge.labels(a, b).set(i);
              one.set({ a }, i);
              expected.set(JSON.stringify([a, b]), { a, b, value: i });
            });
            const got = rows(gauge).map((r) => ({ a: r.labels.a, b: r.labels.b, value: r.value }));
            expect(got).toEqual([...expected.values()]);
            for (const [a] of pairs) expect(rows(one).some((r) => r.labels.a === a)).toBe(true);
          },
        ),
        { numRuns: 100 },
      );
    });

    it('never confuses label value pairs that would join to the same string', () => {
      const counter = new Counter({ name: 'c', help: 'h', labelNames: ['a', 'b'], registry: null });
      counter.inc({ a: 'x\u0000', b: 'y' });
      counter.inc({ a: 'x', b: '\u0000y' }, 2);
      counter.inc({ a: 'x,', b: 'y' }, 3);
      counter.inc({ a: 'x', b: ',y' }, 4);
      expect(rows(counter).map((r) => r.value)).toEqual([1, 2, 3, 4]);
    });

    it('converts numbers with String()', () => {
      const counter = new Counter({ name: 'c', help: 'h', labelNames: ['code'], registry: null });
      counter.inc({ code: 200 });
      counter.labels(200).inc();
      counter.inc({ code: '200' });
      counter.inc({ code: 1.5 });
      expect(rows(counter)).toEqual([
        { name: 'c_total', labels: { code: '200' }, value: 3 },
        { name: 'c_total', labels: { code: '1.5' }, value: 1 },
      ]);
    });

    it('throws InvalidMetricNameError for every illegal metric name', () => {
      fc.assert(
        fc.property(
          fc.string({ unit: 'binary', maxLength: 12 }).filter((s) => !METRIC_NAME.test(s) || s.startsWith('__')),
          (name) => {
            expect(() => new Counter({ name, help: 'h', registry: null })).toThrow(InvalidMetricNameError);
            expect(() => new Gauge({ name, help: 'h', registry: null })).toThrow(InvalidMetricNameError);
          },
        ),
        { numRuns: 300 },
      );
    });

    it('throws InvalidLabelNameError for every illegal label name', () => {
      fc.assert(
        fc.property(
          fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.string({ unit: 'grapheme-ascii', maxLength: 6 }).map((s) => `__${s}`)),
          (label) => {
            fc.pre(!LABEL_NAME.test(label) || label.startsWith('__'));
            expect(() => new Counter({ name: 'c', help: 'h', labelNames: [label], registry: null })).toThrow(InvalidLabelNameError);
            expect(() => new Histogram({ name: 'h', help: 'h', labelNames: ['ok', label], registry: null })).toThrow(InvalidLabelNameError);
          },
        ),
        { numRuns: 300 },
      );
    });

    it('accepts every legal metric and label name', () => {
      const legal = (first: string, rest: string) =>
        fc.tuple(fc.constantFrom(...first), fc.array(fc.constantFrom(...rest), { maxLength: 10 })).map(([h, t]) => h + t.join(''));
      const letters = 'abcXYZ_';
      fc.assert(
        fc.property(legal(`${letters}:`, `${letters}:09`), legal(letters, `${letters}09`), (name, label) => {
          fc.pre(!name.startsWith('__') && !label.startsWith('__'));
          const counter = new Counter({ name, help: 'h', labelNames: [label], registry: null });
          counter.inc({ [label]: 'v' });
          expect(rows(counter)[0].labels).toEqual({ [label]: 'v' });
        }),
        { numRuns: 200 },
      );
    });
  });
});

describe('label values given as numbers', () => {
  it('name the same series as their String() spelling, whether looked up by object, positionally or created either way', () => {
    const values = fc.oneof(fc.integer({ min: -5, max: 2000 }), fc.double({ noNaN: false }), fc.constantFrom(-0, 1023, 1024, 1e21, 0.1));
    fc.assert(
      fc.property(values, fc.boolean(), (value, numberFirst) => {
        const c = new Counter({ name: 'c', help: 'c', labelNames: ['code', 'shard'], registry: null });
        const asNumber = { code: value, shard: 7 } as unknown as { code: string; shard: string };
        const asString = { code: String(value), shard: '7' };
        c.inc(numberFirst ? asNumber : asString);
        c.inc(numberFirst ? asString : asNumber);
        c.labels(value as unknown as string, 7 as unknown as string).inc();
        const family = onlyFamily(c.collect());
        const totals = family.samples.filter((s) => s.name === 'c_total');
        expect(totals).toEqual([{ name: 'c_total', labels: { code: String(value), shard: '7' }, value: 3 }]);
      }),
      { seed: 20261130, numRuns: 300 },
    );
  });
});

describe('options read once', () => {
  it('an instrument keeps the help and label names it checked, each read once', () => {
    let helpReads = 0;
    const labelNames = ['route'];
    const options = {
      name: 'requests',
      get help(): string {
        return helpReads++ === 0 ? 'Requests.' : '\uD800';
      },
      labelNames,
      registry: null,
    };
    const counter = new Counter(options);
    labelNames.push('le');
    expect(helpReads).toBe(1);
    expect(counter.help).toBe('Requests.');
    expect(counter.labelNames).toEqual(['route']);
    expect(Object.isFrozen(counter.labelNames)).toBe(true);
  });
});
