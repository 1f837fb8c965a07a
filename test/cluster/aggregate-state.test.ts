import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { AggregateState, type MergeModes } from '../../src/cluster/aggregate-state.js';
import { snapshotOf, type WireFamily } from '../../src/cluster/worker-snapshot.js';
import { encode } from '../../src/exposition/index.js';
import { familyProblem, type MetricFamily, type Sample } from '../../src/model/index.js';
import { Counter, Gauge, Histogram, Info } from '../../src/metrics/index.js';
import { Registry } from '../../src/registry/index.js';

const MODES: MergeModes = { workerLabel: 'worker', info: 'consistent', quantiles: 'perWorker', gaugeMode: () => 'sum' };

/** What crosses node:cluster's default (JSON) IPC channel. */
async function overIpc(registry: Registry): Promise<WireFamily[]> {
  return JSON.parse(JSON.stringify(snapshotOf((await registry.collect()).families))) as WireFamily[];
}

/** `name{sorted labels}` -> value, `_created` left out; -0 is 0 (JSON has no -0, and the exposition means the same). */
function bySeries(families: readonly MetricFamily[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const family of families) {
    for (const s of family.samples as readonly Sample[]) {
      if (s.name.endsWith('_created')) continue;
      out.set(`${s.name}${JSON.stringify(Object.entries(s.labels).sort(([a], [b]) => (a < b ? -1 : 1)))}`, s.value === 0 ? 0 : s.value);
    }
  }
  return out;
}

const labelValue = fc.string({ unit: 'grapheme', maxLength: 6 });
const gaugeValue = fc.oneof(fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, -0));

describe('AggregateState', () => {
  it('gives back one worker\'s series unchanged through JSON IPC, whatever its labels and values (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(labelValue, fc.nat(1000), gaugeValue, fc.double({ min: 0, max: 1e6, noNaN: true })), { maxLength: 8 }),
        fc.dictionary(fc.constantFrom('version', 'build', 'path'), labelValue),
        async (rows, info) => {
          const registry = new Registry();
          const counter = new Counter({ name: 'c', help: 'c', labelNames: ['l'] as const, registry });
          const gauge = new Gauge({ name: 'g', help: 'g', labelNames: ['l'] as const, registry });
          const histogram = new Histogram({ name: 'h', help: 'h', labelNames: ['l'] as const, buckets: [1, 100], registry });
          new Info({ name: 'i', help: 'i', registry }).info(info);
          for (const [l, n, g, h] of rows) {
            counter.labels({ l }).inc(n);
            gauge.labels({ l }).set(g);
            histogram.labels({ l }).observe(h);
          }
          const merged = new AggregateState().merge([{ worker: '1', families: await overIpc(registry) }], MODES);
          // A spread copy has the samples and not the columns: the samples are checked.
          for (const family of merged) expect(familyProblem({ ...family })).toBeUndefined();
          const original = (await registry.collect()).families;
          expect(bySeries(merged)).toEqual(bySeries(original));
          // Counters and histograms are written column-wise: their encoded lines match too.
          const lines = (families: readonly MetricFamily[]): string[] =>
            encode(families.filter((f) => f.name === 'c' || f.name === 'h'), 'openmetrics')
              .split('\n')
              .filter((l) => !l.startsWith('#') && !/^\w+_created[{ ]/.test(l))
              .sort();
          expect(lines(merged)).toEqual(lines(original));
        },
      ),
      { numRuns: 150, seed: 13 },
    );
  });

  it('never lets a total go down while workers record, leave and are replaced, and counts exactly what was reported (property)', async () => {
    type Step = { kind: 'inc'; worker: number; by: number } | { kind: 'scrape' } | { kind: 'leave'; worker: number; final: boolean };
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ kind: fc.constant('inc' as const), worker: fc.nat(3), by: fc.integer({ min: 1, max: 50 }) }),
      fc.record({ kind: fc.constant('scrape' as const) }),
      fc.record({ kind: fc.constant('leave' as const), worker: fc.nat(3), final: fc.boolean() }),
    );
    interface Live {
      readonly id: string;
      readonly registry: Registry;
      readonly counter: Counter;
      snapshot: WireFamily[] | undefined;
      recorded: number;
      /** What its latest snapshot says. */
      reported: number;
    }
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), async (steps) => {
        const state = new AggregateState();
        let nextId = 0;
        const fresh = (): Live => {
          const registry = new Registry();
          return { id: String(++nextId), registry, counter: new Counter({ name: 'jobs', help: 'j', registry }), snapshot: undefined, recorded: 0, reported: 0 };
        };
        const workers = [fresh(), fresh(), fresh(), fresh()];
        let retained = 0;
        let last = 0;
        const total = (): number => {
          const jobs = state.merge(workers.flatMap((w) => (w.snapshot === undefined ? [] : [{ worker: w.id, families: w.snapshot }])), MODES).find((f) => f.name === 'jobs');
          return jobs?.samples.find((s) => s.name === 'jobs_total')?.value ?? 0;
        };
        const take = async (w: Live): Promise<void> => {
          w.snapshot = await overIpc(w.registry);
          w.reported = w.recorded;
        };
        for (const s of steps) {
          if (s.kind === 'inc') {
            workers[s.worker].counter.inc(s.by);
            workers[s.worker].recorded += s.by;
          } else if (s.kind === 'scrape') {
            for (const w of workers) await take(w);
          } else {
            const w = workers[s.worker];
            // A graceful leaver sends its final values; a killed one leaves its last answer.
            if (s.final) await take(w);
            if (w.snapshot !== undefined) state.fold(w.snapshot, 1);
            retained += w.reported;
            workers[s.worker] = fresh();
          }
          const now = total();
          expect(now).toBe(retained + workers.reduce((sum, w) => sum + w.reported, 0));
          expect(now).toBeGreaterThanOrEqual(last);
          last = now;
        }
      }),
      { numRuns: 100, seed: 13 },
    );
  });

  it('replaces an exit\'s fold by the final snapshot that arrives after it', async () => {
    const state = new AggregateState();
    const registry = new Registry();
    const counter = new Counter({ name: 'jobs', help: 'j', registry });
    counter.inc(5);
    const early = await overIpc(registry);
    state.fold(early, 1);
    counter.inc(2);
    state.fold(early, -1);
    state.fold(await overIpc(registry), 1);
    const [jobs] = state.merge([], MODES);
    expect(jobs.samples.find((s) => s.name === 'jobs_total')?.value).toBe(7);
  });

  it('leaves a malformed worker payload to the family checks instead of writing it column-wise', () => {
    const hostile: WireFamily[] = [
      { name: 'bad_labels', type: 'counter', help: '', unit: '', layouts: [['_total']], series: [['{"not a label":"x"}', 0, [1]]] },
      { name: 'negative', type: 'counter', help: '', unit: '', layouts: [['_total']], series: [['{}', 0, [-5]]] },
      { name: 'not_cumulative', type: 'histogram', help: '', unit: '', layouts: [['_bucket\u00001.0', '_bucket\u0000+Inf']], series: [['{}', 0, [3, 1]]] },
      { name: 'fine', type: 'counter', help: '', unit: '', layouts: [['_total']], series: [['{"a":"b"}', 0, [2]]] },
    ];
    const merged = new AggregateState().merge([{ worker: '1', families: hostile }], MODES);
    const problems = Object.fromEntries(merged.map((f) => [f.name, f.columns === undefined ? familyProblem(f)?.message : 'columns']));
    expect(problems.fine).toBe('columns');
    for (const name of ['bad_labels', 'negative', 'not_cumulative']) expect(problems[name]).toMatch(/Invalid metric family/);
  });

  it('keeps each series\' _created across scrapes, and forgets those of series no one exposes once trimmed', () => {
    let now = 100;
    const state = new AggregateState(() => now);
    const family = (labels: string): WireFamily[] => [{ name: 'jobs', type: 'counter', help: '', unit: '', layouts: [['_total']], series: [[labels, 0, [1]]] }];
    const created = (families: readonly MetricFamily[]): Record<string, number> =>
      Object.fromEntries(families[0].samples.filter((s) => s.name === 'jobs_created').map((s) => [JSON.stringify(s.labels), s.value]));
    state.merge([{ worker: '1', families: family('{"q":"a"}') }], MODES);
    now = 200;
    const both = state.merge([{ worker: '1', families: family('{"q":"a"}') }, { worker: '2', families: family('{"q":"b"}') }], MODES);
    expect(created(both)).toEqual({ '{"q":"a"}': 100, '{"q":"b"}': 200 });
    const onlyB = state.merge([{ worker: '2', families: family('{"q":"b"}') }], MODES);
    state.trimCaches(1, onlyB);
    now = 300;
    const again = state.merge([{ worker: '1', families: family('{"q":"a"}') }, { worker: '2', families: family('{"q":"b"}') }], MODES);
    expect(created(again)).toEqual({ '{"q":"a"}': 300, '{"q":"b"}': 200 });
  });
});

describe('AggregateState and maxSeries', () => {
  it('adds up the workers\' overflow series like any other, and their overflow counts by metric', async () => {
    const emit = process.emitWarning;
    process.emitWarning = () => undefined;
    try {
      const workers = await Promise.all(
        [['a', 'b', 'c'], ['x', 'y', 'z', 'w']].map(async (users, w) => {
          const registry = new Registry();
          const counter = new Counter({ name: 'logins', help: 'h', labelNames: ['user'] as const, maxSeries: 1, registry });
          for (const user of users) counter.inc({ user }, w + 1);
          return { worker: String(w + 1), families: await overIpc(registry) };
        }),
      );
      const merged = new AggregateState().merge(workers, MODES);
      for (const family of merged) expect(familyProblem({ ...family })).toBeUndefined();
      const series = bySeries(merged);
      expect(series.get('logins_total[["user","a"]]')).toBe(1);
      expect(series.get('logins_total[["user","x"]]')).toBe(2);
      expect(series.get('logins_total[["user","__promkit_overflow__"]]')).toBe(2 * 1 + 3 * 2);
      expect(series.get('promkit_cluster_worker_series_overflow_total[["metric","logins"]]')).toBe(2 + 3);
      // The aggregating registry can expose its own promkit_series_overflow beside them.
      const primary = new Registry();
      new Counter({ name: 'own', help: 'h', labelNames: ['k'] as const, maxSeries: 5, registry: primary });
      primary.register({ collect: () => merged.map((f) => ({ ...f })) });
      const { families, failures } = await primary.collect();
      expect(failures).toEqual([]);
      expect(families.map((f) => f.name)).toEqual(expect.arrayContaining(['promkit_series_overflow', 'promkit_cluster_worker_series_overflow']));
      expect(await encode(families, 'openmetrics')).toContain('promkit_cluster_worker_series_overflow_total{metric="logins"} 5');
    } finally {
      process.emitWarning = emit;
    }
  });
});

describe('AggregateState with native histograms', () => {
  it('merges their classic part (count, sum, buckets) across workers and drops the native buckets: no crash, no corrupt family', async () => {
    const workers = await Promise.all(
      [[0.1, 2], [0.5, -3, 0]].map(async (values) => {
        const registry = new Registry();
        const both = new Histogram({ name: 'both_seconds', help: 'h', buckets: [1], native: true, registry });
        const signed = new Histogram({ name: 'signed', help: 'h', native: { negativeObservations: true }, registry });
        for (const v of values) {
          if (v >= 0) both.observe(v);
          signed.observe(v);
        }
        return overIpc(registry);
      }),
    );
    const merged = new AggregateState().merge(workers.map((families, i) => ({ worker: String(i), families })), MODES);
    for (const family of merged) {
      expect(family.nativeHistograms).toBeUndefined();
      expect(familyProblem({ ...family, samples: [...family.samples] })).toBeUndefined();
    }
    const series = bySeries(merged);
    expect(series.get('both_seconds_count[]')).toBe(4);
    expect(series.get('both_seconds_sum[]')).toBeCloseTo(2.6, 12);
    expect(series.get('both_seconds_bucket[["le","1.0"]]')).toBe(3);
    expect(series.get('signed_bucket[["le","+Inf"]]')).toBe(5);
    expect(series.has('signed_sum[]')).toBe(false);
  });
});
