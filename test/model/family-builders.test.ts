import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { encode } from '../../src/exposition/index.js';
import {
  counterFamily,
  familyProblem,
  gaugeFamily,
  gaugeHistogramFamily,
  histogramFamily,
  infoFamily,
  isWellFormedText,
  stateSetFamily,
  summaryFamily,
  unknownFamily,
} from '../../src/model/index.js';
import {
  InvalidBucketsError,
  InvalidLabelNameError,
  InvalidMetricNameError,
  InvalidOptionsError,
  InvalidValueError,
  LabelSetMismatchError,
  ReservedLabelNameError,
  UnknownStateError,
} from '../../src/model/errors.js';
import { isValidMetricName } from '../../src/model/names.js';
import type { MetricFamily } from '../../src/model/metric-family.js';
import { encodeOpenMetrics, encodeText } from '../../src/exposition/index.js';
import { BIN, describeWithBinaries } from '../support/binaries.js';
import { parseManyWithPython, type ParsedFamily } from '../support/python-parser.js';

/** Samples as plain data (what an encoder sees), for exact comparisons. */
function rows(f: MetricFamily): [string, Record<string, string>, number][] {
  return f.samples.map((s) => [s.name, { ...s.labels }, s.value]);
}

describe('counterFamily', () => {
  it('exposes name_total and name_created, strips a given _total and appends the unit', () => {
    const c = counterFamily({ name: 'node_cpu_seconds_total', help: 'Seconds.', labelNames: ['cpu', 'mode'] })
      .add({ cpu: '0', mode: 'idle' }, 457.64)
      .add({ cpu: 1, mode: 'user' }, 3, { created: 1700000000.5 });
    expect(c.name).toBe('node_cpu_seconds');
    expect(c.type).toBe('counter');
    expect(rows(c)).toEqual([
      ['node_cpu_seconds_total', { cpu: '0', mode: 'idle' }, 457.64],
      ['node_cpu_seconds_total', { cpu: '1', mode: 'user' }, 3],
      ['node_cpu_seconds_created', { cpu: '1', mode: 'user' }, 1700000000.5],
    ]);
    const u = counterFamily({ name: 'io_read', unit: 'bytes', help: 'h' }).add(5);
    expect([u.name, u.unit, u.samples[0].name]).toEqual(['io_read_bytes', 'bytes', 'io_read_bytes_total']);
    const shorthand = counterFamily('jobs', 'Jobs done.').add(2);
    const tuple = counterFamily({ name: 't', help: 'h', labelNames: ['cpu', 'mode'] as const }).add({ cpu: '0', mode: 'idle' }, 1);
    expect(tuple.labelNames).toEqual(['cpu', 'mode']);
    expect(rows(shorthand)).toEqual([['jobs_total', {}, 2]]);
  });

  it('keeps a copy of each label object, in declared order: one object reused for every series gives each its own labels', () => {
    const labels = { cpu: '0', mode: 'idle' };
    const c = counterFamily({ name: 'x', help: 'h', labelNames: ['cpu', 'mode'] }).add(labels, 1);
    expect(c.samples[0].labels).not.toBe(labels);
    labels.mode = 'user';
    c.add(labels, 2);
    labels.mode = 'x"} 1\nforged_total 1';
    expect(c.samples.map((sample) => sample.labels.mode)).toEqual(['idle', 'user']);
    const reordered = { mode: 'system', cpu: '0' };
    c.add(reordered, 1);
    expect(Object.keys(c.samples[2].labels)).toEqual(['cpu', 'mode']);
    expect(familyProblem({ ...c, samples: [...c.samples] })).toBeUndefined();
  });

  it('keeps a frozen copy of an exemplar, whatever the caller does with its object after add()', () => {
    const exemplar = { labels: { trace_id: 'abc' }, value: 1 };
    const c = counterFamily({ name: 'x', help: 'h', labelNames: ['a'] }).add({ a: '1' }, 1, { exemplar });
    const h = histogramFamily({ name: 'h', help: 'h', buckets: [1] }).add({ cumulativeCounts: [1, 1], sum: 0.5, exemplars: [exemplar] });
    exemplar.labels.trace_id = 'changed';
    (exemplar.labels as Record<string, string>)['bad name'] = 'x';
    exemplar.value = -1;
    for (const sample of [c.samples[0], h.samples[0]]) {
      expect(sample.exemplar).toEqual({ labels: { trace_id: 'abc' }, value: 1 });
      expect(Object.isFrozen(sample.exemplar)).toBe(true);
    }
  });

  it('rejects negative and NaN values, and carries an exemplar on the _total sample', () => {
    const c = counterFamily({ name: 'x', help: 'h' });
    expect(() => c.add(-1)).toThrow(InvalidValueError);
    expect(() => c.add(NaN)).toThrow(/non-negative/);
    c.add(4, { exemplar: { labels: { trace_id: 'abc' }, value: 1 } });
    expect(c.samples).toEqual([{ name: 'x_total', labels: {}, value: 4, exemplar: { labels: { trace_id: 'abc' }, value: 1 } }]);
  });
});

describe('label checks', () => {
  const fam = () => gaugeFamily({ name: 'g', help: 'h', labelNames: ['cpu', 'mode'] });

  it('are compile errors and typed runtime errors', () => {
    // @ts-expect-error a label name that is not declared
    expect(() => fam().add({ cpu: '0', mod: 'idle' }, 1)).toThrow(LabelSetMismatchError);
    // @ts-expect-error a missing label
    expect(() => fam().add({ cpu: '0' }, 1)).toThrow(/missing label "mode"/);
    // @ts-expect-error a missing value
    expect(() => fam().add({ cpu: '0', mode: 'x' })).toThrow(InvalidValueError);
    // @ts-expect-error labels on a family without labels
    expect(() => gaugeFamily('g', 'h').add({ a: 'b' }, 1)).toThrow(InvalidValueError);
    // @ts-expect-error a histogram without buckets
    expect(() => histogramFamily({ name: 'h', help: 'h' })).toThrow(InvalidBucketsError);
    // @ts-expect-error a histogram series without counts
    expect(() => histogramFamily({ name: 'h', help: 'h', buckets: [1] }).add({ sum: 1 })).toThrow(InvalidValueError);
    // @ts-expect-error a state that is not declared
    expect(() => stateSetFamily({ name: 's', help: 'h', states: ['a', 'b'] }).add('c')).toThrow(UnknownStateError);
    // @ts-expect-error info families have no unit
    expect(() => infoFamily({ name: 'i', help: 'h', unit: 'bytes' })).toThrow(InvalidOptionsError);
  });

  it('name the metric and the offending label', () => {
    // @ts-expect-error an extra label
    expect(() => fam().add({ cpu: '0', mode: 'x', zone: 'a' }, 1)).toThrow('Wrong labels for metric "g": unexpected label "zone"');
    // @ts-expect-error a label value of the wrong type
    expect(() => fam().add({ cpu: '0', mode: true }, 1)).toThrow(/label "mode" must be a string or number, got boolean/);
  });

  it('validate names and label names at construction', () => {
    expect(() => gaugeFamily({ name: '0bad', help: 'h' })).toThrow(InvalidMetricNameError);
    expect(() => gaugeFamily({ name: 'g', help: 'h', unit: 'bad unit' })).toThrow(InvalidMetricNameError);
    expect(() => gaugeFamily({ name: 'g', help: 'h', labelNames: ['__x'] })).toThrow(ReservedLabelNameError);
    expect(() => gaugeFamily({ name: 'g', help: 'h', labelNames: ['a', 'a'] })).toThrow(InvalidLabelNameError);
    expect(() => histogramFamily({ name: 'h', help: 'h', labelNames: ['le'], buckets: [1] })).toThrow(ReservedLabelNameError);
    expect(() => summaryFamily({ name: 's', help: 'h', labelNames: ['quantile'] })).toThrow(ReservedLabelNameError);
    expect(() => stateSetFamily({ name: 's', help: 'h', labelNames: ['s'], states: ['a'] })).toThrow(ReservedLabelNameError);
    expect(() => stateSetFamily({ name: 'a:b', help: 'h', states: ['a'] })).toThrow(InvalidMetricNameError);
    expect(() => gaugeFamily({ name: 'g', help: 'h', labelNames: ['a'], constLabels: { a: 'x' } })).toThrow(InvalidLabelNameError);
  });

  it('accept exactly the legal metric names', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (name) => {
        let ok = true;
        try {
          gaugeFamily(name, 'h');
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidMetricNameError);
          ok = false;
        }
        expect(ok).toBe(isValidMetricName(name) && !name.startsWith('__'));
      }),
    );
  });

  it('append constant labels after the declared ones', () => {
    const g = gaugeFamily({ name: 'g', help: 'h', labelNames: ['space'], constLabels: { app: 'a' } }).add({ space: 'old' }, 1);
    expect(g.samples[0].labels).toEqual({ space: 'old', app: 'a' });
    expect(Object.keys(g.samples[0].labels)).toEqual(['space', 'app']);
    const n = gaugeFamily({ name: 'n', help: 'h', constLabels: { app: 'a' } }).add(1);
    expect(n.samples[0].labels).toEqual({ app: 'a' });
  });
});

describe('histogramFamily and gaugeHistogramFamily', () => {
  it('write cumulative buckets with canonical le, then _count, _sum, _created', () => {
    const h = histogramFamily({ name: 'lat', unit: 'seconds', help: 'h', labelNames: ['path'], buckets: [0.005, 1, 1e6] })
      .add({ path: '/' }, { cumulativeCounts: [1, 3, 3, 4], sum: 2.5, created: 17 })
      .add({ path: '/x' }, { bucketCounts: [1, 2, 0, 1], sum: 7 });
    expect(h.name).toBe('lat_seconds');
    expect(h.buckets).toEqual([0.005, 1, 1e6]);
    expect(rows(h)).toEqual([
      ['lat_seconds_bucket', { path: '/', le: '0.005' }, 1],
      ['lat_seconds_bucket', { path: '/', le: '1.0' }, 3],
      ['lat_seconds_bucket', { path: '/', le: '1e+06' }, 3],
      ['lat_seconds_bucket', { path: '/', le: '+Inf' }, 4],
      ['lat_seconds_count', { path: '/' }, 4],
      ['lat_seconds_sum', { path: '/' }, 2.5],
      ['lat_seconds_created', { path: '/' }, 17],
      ['lat_seconds_bucket', { path: '/x', le: '0.005' }, 1],
      ['lat_seconds_bucket', { path: '/x', le: '1.0' }, 3],
      ['lat_seconds_bucket', { path: '/x', le: '1e+06' }, 3],
      ['lat_seconds_bucket', { path: '/x', le: '+Inf' }, 4],
      ['lat_seconds_count', { path: '/x' }, 4],
      ['lat_seconds_sum', { path: '/x' }, 7],
    ]);
  });

  it('omit _count and _sum without a sum (OpenMetrics wants both or neither)', () => {
    const h = histogramFamily({ name: 'h', help: 'h', buckets: [1, Infinity] }).add({ cumulativeCounts: [1, 2] });
    expect(rows(h).map((r) => r[0])).toEqual(['h_bucket', 'h_bucket']);
  });

  it('reject bad buckets and bad counts without leaving half a series behind', () => {
    expect(() => histogramFamily({ name: 'h', help: 'h', buckets: [1, 1] })).toThrow(InvalidBucketsError);
    expect(() => histogramFamily({ name: 'h', help: 'h', buckets: [2, 1] })).toThrow(/strictly/);
    // A histogram may have +Inf alone (the classic part of native-only series); a gauge histogram may not.
    expect(histogramFamily({ name: 'h', help: 'h', buckets: [Infinity] }).buckets).toEqual([]);
    expect(() => gaugeHistogramFamily({ name: 'h', help: 'h', buckets: [Infinity] })).toThrow(InvalidBucketsError);
    expect(() => histogramFamily({ name: 'h', help: 'h', buckets: [NaN] })).toThrow(InvalidBucketsError);
    const h = histogramFamily({ name: 'h', help: 'h', buckets: [1, 2] });
    expect(() => h.add({ cumulativeCounts: [1, 2] })).toThrow(/expected 3 bucket counts/);
    expect(() => h.add({ cumulativeCounts: [2, 1, 3] })).toThrow(/must not decrease/);
    expect(() => h.add({ bucketCounts: [1, -1, 3] })).toThrow(/non-negative/);
    expect(h.samples).toHaveLength(0);
  });

  it('gauge histograms use _gcount and _gsum and no _created', () => {
    const g = gaugeHistogramFamily({ name: 'queue_age', help: 'h', buckets: [10] }).add({ bucketCounts: [2, 1], sum: 31 });
    expect(g.type).toBe('gaugehistogram');
    expect(rows(g)).toEqual([
      ['queue_age_bucket', { le: '10.0' }, 2],
      ['queue_age_bucket', { le: '+Inf' }, 3],
      ['queue_age_gcount', {}, 3],
      ['queue_age_gsum', {}, 31],
    ]);
  });
});

describe('summaryFamily, infoFamily, stateSetFamily, unknownFamily', () => {
  it('summary: quantiles, then _count, _sum, _created', () => {
    const s = summaryFamily({ name: 'rpc', help: 'h', quantiles: [0.5, 0.99] }).add({ count: 10, sum: 1.5, quantiles: [0.1, 0.4], created: 3 });
    expect(rows(s)).toEqual([
      ['rpc', { quantile: '0.5' }, 0.1],
      ['rpc', { quantile: '0.99' }, 0.4],
      ['rpc_count', {}, 10],
      ['rpc_sum', {}, 1.5],
      ['rpc_created', {}, 3],
    ]);
    expect(() => s.add({ count: 1, sum: 1 })).toThrow(/expected 2 quantile values/);
    expect(() => summaryFamily({ name: 'x', help: 'h', quantiles: [1.5] })).toThrow(InvalidOptionsError);
  });

  it('info: family name without _info, sample name_info = 1', () => {
    const i = infoFamily({ name: 'nodejs_version_info', help: 'h', labelNames: ['version', 'major'] }).add({ version: 'v20.1.0', major: 20 });
    expect([i.name, i.type]).toEqual(['nodejs_version', 'info']);
    expect(rows(i)).toEqual([['nodejs_version_info', { version: 'v20.1.0', major: '20' }, 1]]);
  });

  it('stateset: one sample per state, the state in a label named after the family', () => {
    const s = stateSetFamily({ name: 'breaker', help: 'h', labelNames: ['backend'], states: ['closed', 'open'] })
      .add({ backend: 'db' }, 'open')
      .add({ backend: 'mq' }, { closed: true, open: true });
    expect(rows(s)).toEqual([
      ['breaker', { backend: 'db', breaker: 'closed' }, 0],
      ['breaker', { backend: 'db', breaker: 'open' }, 1],
      ['breaker', { backend: 'mq', breaker: 'closed' }, 1],
      ['breaker', { backend: 'mq', breaker: 'open' }, 1],
    ]);
    // @ts-expect-error every state needs a flag
    expect(() => s.add({ backend: 'x' }, { closed: true })).toThrow(InvalidValueError);
  });

  it('unknown: one plain sample; timestamps are kept', () => {
    const u = unknownFamily('legacy', 'h').add(3, { timestamp: 1700000000 });
    expect(u.type).toBe('unknown');
    expect(u.samples).toEqual([{ name: 'legacy', labels: {}, value: 3, timestamp: 1700000000 }]);
    expect(() => unknownFamily('legacy', 'h').add(3, { timestamp: NaN })).toThrow(InvalidValueError);
  });
});

/** One family of every type, as an exporter would build them. */
function everyType(labelValue: string): MetricFamily[] {
  return [
    counterFamily({ name: 'c', help: 'counter', labelNames: ['l'] }).add({ l: labelValue }, 3, { created: 1700000000.25 }),
    gaugeFamily({ name: 'g', unit: 'bytes', help: 'gauge', labelNames: ['l'] }).add({ l: labelValue }, -1.5),
    histogramFamily({ name: 'h', help: 'histogram', labelNames: ['l'], buckets: [0.005, 1, 10] }).add({ l: labelValue }, { cumulativeCounts: [0, 1, 2, 2], sum: 8.8, created: 5 }),
    gaugeHistogramFamily({ name: 'gh', help: 'gauge histogram', labelNames: ['l'], buckets: [1] }).add({ l: labelValue }, { bucketCounts: [1, 1], sum: 3 }),
    summaryFamily({ name: 's', help: 'summary', labelNames: ['l'], quantiles: [0.5] }).add({ l: labelValue }, { count: 4, sum: 18.8, quantiles: [4.7] }),
    infoFamily({ name: 'i', help: 'info', labelNames: ['l', 'version'] }).add({ l: labelValue, version: '1.2.3' }),
    stateSetFamily({ name: 'e', help: 'stateset', labelNames: ['l'], states: ['a', 'b'] }).add({ l: labelValue }, 'b'),
    unknownFamily({ name: 'u', help: 'unknown', labelNames: ['l'] }).add({ l: labelValue }, 1e6),
  ];
}

function parsedRows(families: ParsedFamily[]): [string, Record<string, string>, unknown][] {
  return families.flatMap((f) => f.samples.map((s): [string, Record<string, string>, unknown] => [s.name, s.labels, s.value]));
}

describeWithBinaries([BIN.python3], 'built families through the encoders and the reference parsers', () => {
  it('every type parses as text 0.0.4 and OpenMetrics, with the same samples', async () => {
    const families = everyType('v');
    const [text, om] = await parseManyWithPython([
      { text: encodeText(families), format: 'text' },
      { text: encodeOpenMetrics(families), format: 'openmetrics' },
    ]);
    if (!text.ok || !om.ok) throw new Error(`parse failed: ${JSON.stringify([text, om])}`);
    const expected = families.flatMap((f) => f.samples.map((s) => [s.name, { ...s.labels }, s.value]));
    expect(parsedRows(om.families)).toEqual(expected);
    expect(om.families.map((f) => [f.name, f.type, f.unit])).toEqual(families.map((f) => [f.name, f.type, f.unit]));
    // text 0.0.4 has no _created/gaugehistogram/info/stateset types, but every sample survives.
    expect(parsedRows(text.families).sort()).toEqual([...expected].sort());
  });

  it('any label value survives the round trip', async () => {
    const values = fc.sample(fc.string({ unit: 'binary', maxLength: 20 }), 60);
    const docs = values.flatMap((v) => {
      const families = everyType(v);
      return [
        { text: encodeText(families), format: 'text' as const },
        { text: encodeOpenMetrics(families), format: 'openmetrics' as const },
      ];
    });
    const outcomes = await parseManyWithPython(docs);
    outcomes.forEach((outcome, i) => {
      if (!outcome.ok) throw new Error(`label value ${JSON.stringify(values[i >> 1])}: ${outcome.error}`);
      for (const f of outcome.families) for (const s of f.samples) expect(s.labels.l).toBe(values[i >> 1]);
    });
  });
});

describe('a failed add()', () => {
  /** Not a number: what the builders refuse (NaN is a legal sample value). */
  const BAD = 'x' as unknown as number;

  it('leaves no sample behind, whichever input is bad', () => {
    const counter = counterFamily({ name: 'c', help: 'h' });
    expect(() => counter.add(1, { created: BAD })).toThrow(InvalidValueError);
    expect(counter.samples).toEqual([]);

    const histogram = histogramFamily({ name: 'h', help: 'h', buckets: [1] });
    expect(() => histogram.add({ bucketCounts: [1, 1], sum: BAD })).toThrow(InvalidValueError);
    expect(() => histogram.add({ bucketCounts: [1, 1], sum: 2, created: BAD })).toThrow(InvalidValueError);
    expect(() => histogram.add({ bucketCounts: [1, -1], sum: 2 })).toThrow(InvalidValueError);
    expect(histogram.samples).toEqual([]);

    const summary = summaryFamily({ name: 's', help: 'h', quantiles: [0.5] });
    expect(() => summary.add({ count: 1, sum: 1, quantiles: [1], created: BAD })).toThrow(InvalidValueError);
    expect(summary.samples).toEqual([]);
  });
});

describe('a built family does not change after add(), whatever the caller does with its objects', () => {
  type Labels = Record<string, string>;
  type Options = { exemplar: { labels: Labels; value: number } };
  type Adder = { make: () => unknown; add: (family: never, labels: Labels, options: Options) => void };
  const builders: Record<string, Adder> = {
    counter: { make: () => counterFamily({ name: 'c', help: 'h', labelNames: ['path'] }), add: (f: ReturnType<typeof counterFamily>, l: Labels, o: Options) => void f.add(l as never, 1, o) },
    gauge: { make: () => gaugeFamily({ name: 'g', help: 'h', labelNames: ['path'] }), add: (f: ReturnType<typeof gaugeFamily>, l: Labels) => void f.add(l as never, 2) },
    unknown: { make: () => unknownFamily({ name: 'u', help: 'h', labelNames: ['path'] }), add: (f: ReturnType<typeof unknownFamily>, l: Labels) => void f.add(l as never, 3) },
    histogram: {
      make: () => histogramFamily({ name: 'h', help: 'h', labelNames: ['path'], buckets: [1] }),
      add: (f: ReturnType<typeof histogramFamily>, l: Labels, o: Options) => void f.add(l as never, { cumulativeCounts: [1, 2], sum: 3, exemplars: [o.exemplar] }),
    },
    gaugehistogram: {
      make: () => gaugeHistogramFamily({ name: 'gh', help: 'h', labelNames: ['path'], buckets: [1] }),
      add: (f: ReturnType<typeof gaugeHistogramFamily>, l: Labels) => void f.add(l as never, { bucketCounts: [1, 1], sum: 2 }),
    },
    summary: {
      make: () => summaryFamily({ name: 's', help: 'h', labelNames: ['path'], quantiles: [0.5] }),
      add: (f: ReturnType<typeof summaryFamily>, l: Labels) => void f.add(l as never, { count: 2, sum: 3, quantiles: [1] }),
    },
    info: { make: () => infoFamily({ name: 'i', help: 'h', labelNames: ['path'] }), add: (f: ReturnType<typeof infoFamily>, l: Labels) => void f.add(l as never) },
    stateset: {
      make: () => stateSetFamily({ name: 'st', help: 'h', labelNames: ['path'], states: ['on', 'off'] }),
      add: (f: ReturnType<typeof stateSetFamily>, l: Labels) => void f.add(l as never, 'on'),
    },
  };
  const wellFormed = fc.string({ maxLength: 8 }).filter((x) => isWellFormedText(x));

  it('one label object and one exemplar reused for every series, then changed: the same bytes as fresh objects', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(builders)), fc.uniqueArray(wellFormed, { minLength: 1, maxLength: 6 }), fc.string({ maxLength: 12 }), (type, paths, later) => {
        const { make, add } = builders[type];
        const fresh = make();
        for (const path of paths) add(fresh as never, { path }, { exemplar: { labels: { trace_id: path }, value: 1 } });
        const reused = make();
        const labels = { path: '' };
        const exemplar = { labels: { trace_id: '' }, value: 1 };
        for (const path of paths) {
          labels.path = path;
          exemplar.labels.trace_id = path;
          add(reused as never, labels, { exemplar });
        }
        labels.path = later;
        exemplar.labels.trace_id = later;
        exemplar.value = -1;
        for (const format of ['text', 'openmetrics'] as const) expect(encode([reused as never], format)).toBe(encode([fresh as never], format));
      }),
      { seed: 1201, numRuns: 200 },
    );
  });
});
