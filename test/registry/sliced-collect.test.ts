import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { encode } from '../../src/exposition/index.js';
import { Counter, Gauge, Histogram, Summary } from '../../src/metrics/index.js';
import { InvalidOptionsError, SERIES_PER_PAGE, type MetricFamily } from '../../src/model/index.js';
import { Registry } from '../../src/registry/index.js';
import { decodeWithOracle } from '../support/protobuf-oracle.js';
import { parseWithPython } from '../support/python-parser.js';

/** Counts the event-loop turns (`setImmediate` callbacks) that ran while `work` was pending, calling `onTurn` in each. */
async function turnsDuring<T>(work: () => Promise<T>, onTurn: (turn: number) => void = () => undefined): Promise<{ result: T; turns: number }> {
  let turns = 0;
  let running = true;
  const tick = (): void => {
    if (!running) return;
    onTurn(++turns);
    setImmediate(tick);
  };
  setImmediate(tick);
  const result = await work();
  running = false;
  return { result, turns };
}

/** `n` distinct label values. */
function ids(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `s${i}`);
}

describe('a scrape collects large instruments over several event-loop turns', () => {
  it('gives the event loop a turn before every page of series once its slice is spent', async () => {
    const registry = new Registry({ collectSliceMilliseconds: 0 });
    const counter = new Counter({ name: 'c', help: 'c', labelNames: ['id'], registry });
    const histogram = new Histogram({ name: 'h', help: 'h', labelNames: ['id'], buckets: [1, 2], registry });
    for (const id of ids(3 * SERIES_PER_PAGE)) counter.inc({ id });
    for (const id of ids(2 * SERIES_PER_PAGE + 1)) histogram.observe({ id }, 1.5);
    const { result, turns } = await turnsDuring(() => registry.collect());
    // With no slice at all, a turn before each step: 3 pages of the counter, 3 of the histogram.
    expect(turns).toBeGreaterThanOrEqual(6);
    expect(result.failures).toEqual([]);
    const [c, h] = result.families;
    expect(c.samples.filter((s) => s.name === 'c_total')).toHaveLength(3 * SERIES_PER_PAGE);
    expect(h.samples.filter((s) => s.name === 'h_count')).toHaveLength(2 * SERIES_PER_PAGE + 1);
  });

  it('collects in one go, without waiting for a turn, while the slice lasts', async () => {
    const registry = new Registry({ collectSliceMilliseconds: 60_000 });
    const counter = new Counter({ name: 'c', help: 'c', labelNames: ['id'], registry });
    for (const id of ids(3 * SERIES_PER_PAGE)) counter.inc({ id });
    const { result, turns } = await turnsDuring(() => registry.collect());
    expect(turns).toBe(0);
    expect(result.families[0].samples.filter((s) => s.name === 'c_total')).toHaveLength(3 * SERIES_PER_PAGE);
  });

  it('exposes each series whole and only the series that existed when the scrape began, while records go on between turns', async () => {
    const registry = new Registry({ collectSliceMilliseconds: 0 });
    const histogram = new Histogram({ name: 'h', help: 'h', labelNames: ['id'], buckets: [1, 2, 4], registry });
    const summary = new Summary({ name: 's', help: 's', labelNames: ['id'], percentiles: [0.5], registry });
    const existing = ids(2 * SERIES_PER_PAGE + 10);
    for (const id of existing) {
      histogram.observe({ id }, 3);
      summary.observe({ id }, 3);
    }
    let created = 0;
    const { result, turns } = await turnsDuring(
      () => registry.collect(),
      (turn) => {
        // Between two pages: records into series already read, not yet read, and new ones.
        for (let i = 0; i < existing.length; i += 97) histogram.observe({ id: existing[i] }, turn % 5);
        histogram.observe({ id: `new${turn}` }, 1);
        summary.observe({ id: `new${turn}` }, 1);
        created++;
      },
    );
    expect(turns).toBeGreaterThan(2);
    expect(created).toBe(turns);
    const text = encode(result.families, 'openmetrics');
    const [h, s] = await parseWithPython(text, 'openmetrics');
    const counts = h.samples.filter((x) => x.name === 'h_count');
    expect(counts.map((x) => x.labels.id).sort()).toEqual([...existing].sort());
    expect(s.samples.filter((x) => x.name === 's_count')).toHaveLength(existing.length);
    for (const count of counts) {
      const buckets = h.samples.filter((x) => x.name === 'h_bucket' && x.labels.id === count.labels.id).map((x) => x.value as number);
      // Cumulative, and the +Inf bucket is the count: a series read whole, never half before a record and half after.
      expect(buckets).toEqual([...buckets].sort((a, b) => a - b));
      expect(buckets[buckets.length - 1]).toBe(count.value);
    }
    // The series made during the scrape show in the next one.
    const next = await registry.collect();
    expect(next.families[0].samples.filter((x) => x.name === 'h_count')).toHaveLength(existing.length + created);
  });

  it('stops when the scrape is aborted, leaving the instruments out as failures instead of throwing', async () => {
    const registry = new Registry({ collectSliceMilliseconds: 0, onCollectorError: () => undefined });
    const counter = new Counter({ name: 'c', help: 'c', labelNames: ['id'], registry });
    const gauge = new Gauge({ name: 'g', help: 'g', labelNames: ['id'], registry });
    for (const id of ids(4 * SERIES_PER_PAGE)) {
      counter.inc({ id });
      gauge.set({ id }, 1);
    }
    const scrape = new AbortController();
    const { result } = await turnsDuring(
      () => registry.collect({ signal: scrape.signal }),
      (turn) => {
        if (turn === 2) scrape.abort(new Error('the scraper hung up'));
      },
    );
    expect(result.failures.map((f) => [f.collector, f.reason, (f.error as Error).message])).toEqual([
      ['c', 'error', 'the scraper hung up'],
      ['g', 'error', 'the scraper hung up'],
    ]);
    expect(result.families.map((f) => f.name)).toEqual([]);
  });

  it("checks a collector's large family over several turns, and still leaves it out for one bad sample near its end", async () => {
    const size = 4 * SERIES_PER_PAGE;
    const samples = ids(size).map((id, i) => ({ name: 'queue_depth', labels: { id }, value: i }));
    const good: MetricFamily = { name: 'queue_depth', type: 'gauge', help: 'Jobs waiting.', unit: '', samples };
    const bad: MetricFamily = { ...good, name: 'backlog', samples: samples.map((s, i) => ({ ...s, name: 'backlog', value: i === size - 10 ? ('7' as unknown as number) : s.value })) };
    const failures: string[] = [];
    const registry = new Registry({ collectSliceMilliseconds: 0, onCollectorError: (f) => failures.push(`${f.collector} ${f.reason}`) });
    registry.register({ collectorName: 'queues', collect: () => [good] });
    registry.register({ collectorName: 'backlog', collect: () => [bad] });
    const { result, turns } = await turnsDuring(() => registry.collect());
    // A turn before each of the 4 steps of each family's check, at the least.
    expect(turns).toBeGreaterThanOrEqual(8);
    expect(failures).toEqual(['backlog invalid']);
    expect(result.families.map((f) => f.name)).toEqual(['queue_depth', 'promkit_collector_success', 'promkit_collector_duration_seconds']);
    expect(result.families[0].samples).toHaveLength(size);
  });

  it('rejects a slice that is negative or not a finite number', () => {
    for (const bad of [-1, Number.NaN, Infinity]) {
      expect(() => new Registry({ collectSliceMilliseconds: bad })).toThrow(InvalidOptionsError);
    }
    expect(() => new Registry({ collectSliceMilliseconds: 0 })).not.toThrow();
  });
});

describe('paged columns', () => {
  /** The same family without its columns: encoded from its samples, the other path of every encoder. */
  const fromSamples = (family: MetricFamily): MetricFamily => ({ ...family, samples: family.samples });

  /** A counter, a gauge and a histogram of `size` series each, collected. */
  function collected(size: number, value: number): MetricFamily[] {
    const registry = new Registry();
    const counter = new Counter({ name: 'c', help: 'c', labelNames: ['id'], registry });
    const gauge = new Gauge({ name: 'g', help: 'g', labelNames: ['id'], registry });
    const histogram = new Histogram({ name: 'h', help: 'h', labelNames: ['id'], buckets: [1, 10], registry });
    ids(size).forEach((id, i) => {
      counter.inc({ id }, value + i);
      gauge.set({ id }, -value - i);
      histogram.observe({ id }, (value + i) % 20);
    });
    return [counter, gauge, histogram].flatMap((m) => m.collect() as MetricFamily[]);
  }

  it('encode exactly as the samples do, in every format, whatever the number of series around a page boundary', async () => {
    const sizes = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: SERIES_PER_PAGE - 2, max: SERIES_PER_PAGE + 2 }), fc.integer({ min: 2 * SERIES_PER_PAGE - 1, max: 2 * SERIES_PER_PAGE + 1 }));
    fc.assert(
      fc.property(sizes, fc.double({ min: 0, max: 1e6, noNaN: true }), (size, value) => {
        const families = collected(size, value);
        expect(families.every((f) => f.columns !== undefined && f.columns.size === size)).toBe(true);
        for (const format of ['text', 'openmetrics'] as const) {
          expect(encode(families, format)).toBe(encode(families.map(fromSamples), format));
        }
        // Counter and gauge series are written field for field alike from columns and samples.
        const scalars = families.slice(0, 2);
        expect(Buffer.from(encode(scalars, 'protobuf')).equals(Buffer.from(encode(scalars.map(fromSamples), 'protobuf')))).toBe(true);
      }),
      { seed: 20261130, numRuns: 16 },
    );
    // A histogram's fields come in another order from columns than from samples: the two are
    // compared decoded by Debian's protoc-compiled metrics.proto (OpenMetrics side left empty).
    const histogram = collected(SERIES_PER_PAGE + 1, 0.5).slice(2);
    const [columns, samples] = await decodeWithOracle([
      { protobuf: encode(histogram, 'protobuf'), openmetrics: '# EOF\n' },
      { protobuf: encode(histogram.map(fromSamples), 'protobuf'), openmetrics: '# EOF\n' },
    ]);
    expect(columns.protobuf[0].samples.filter((x) => x.name === 'h_count')).toHaveLength(SERIES_PER_PAGE + 1);
    expect(columns.protobuf).toEqual(samples.protobuf);
  });
});
