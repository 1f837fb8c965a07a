import { afterEach, describe, expect, it } from '@jest/globals';
import { GcCollector } from '../../src/collectors/index.js';
import { InvalidBucketsError, ReservedLabelNameError, type MetricFamily } from '../../src/model/index.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Causes garbage collections: `global.gc` when node runs with --expose-gc, else garbage. */
async function causeGc(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc !== undefined) gc();
  else {
    let keep: unknown[] = [];
    for (let i = 0; i < 300_000; i++) keep.push({ i, s: `x${i}` });
    keep = [];
    void keep;
  }
  // GC entries reach the observer asynchronously (gcSeenBy polls when they must have arrived).
  await sleep(20);
}

function counts(families: MetricFamily[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of families[0].samples) if (s.name === 'nodejs_gc_duration_seconds_count') out.set(s.labels.kind, s.value);
  return out;
}

function total(families: MetricFamily[]): number {
  return [...counts(families).values()].reduce((a, b) => a + b, 0);
}

/**
 * Causes garbage collections until `collector` has counted more than `before` of them:
 * GC entries reach its observer asynchronously, later on a loaded machine, so this polls
 * rather than waiting a fixed time.
 */
async function gcSeenBy(collector: GcCollector, before = 0): Promise<void> {
  for (let attempt = 0; attempt < 250; attempt++) {
    await causeGc();
    if (total(collector.collect()) > before) return;
  }
  throw new Error(`the collector saw no garbage collection past ${before} in 250 tries`);
}

describe('GcCollector', () => {
  let collector: GcCollector | undefined;
  afterEach(() => collector?.close());

  it('observes GC pauses by kind, and counts only go up', async () => {
    collector = new GcCollector();
    await gcSeenBy(collector);
    const first = collector.collect();
    const firstCounts = counts(first);
    expect(total(first)).toBeGreaterThan(0);
    for (const kind of firstCounts.keys()) expect(['major', 'minor', 'incremental', 'weakcb']).toContain(kind);
    await gcSeenBy(collector, total(first));
    const secondCounts = counts(collector.collect());
    for (const [kind, n] of firstCounts) expect(secondCounts.get(kind)).toBeGreaterThanOrEqual(n);
    expect([...secondCounts.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan([...firstCounts.values()].reduce((a, b) => a + b, 0));
  });

  it('is a well-formed histogram: cumulative buckets up to +Inf = count, prom-client buckets', async () => {
    collector = new GcCollector();
    await gcSeenBy(collector);
    const [f] = collector.collect();
    expect([f.name, f.type, f.unit]).toEqual(['nodejs_gc_duration_seconds', 'histogram', 'seconds']);
    const kind = f.samples[0].labels.kind;
    const buckets = f.samples.filter((s) => s.labels.kind === kind && s.name.endsWith('_bucket'));
    expect(buckets.map((s) => s.labels.le)).toEqual(['0.001', '0.01', '0.1', '1.0', '2.0', '5.0', '+Inf']);
    for (let i = 1; i < buckets.length; i++) expect(buckets[i].value).toBeGreaterThanOrEqual(buckets[i - 1].value);
    const count = f.samples.find((s) => s.labels.kind === kind && s.name === 'nodejs_gc_duration_seconds_count');
    expect(count?.value).toBe(buckets[buckets.length - 1].value);
  });

  it('stops observing after close()', async () => {
    collector = new GcCollector({ gcDurationBuckets: [0.5] });
    collector.close();
    await causeGc();
    expect(collector.collect()[0].samples).toEqual([]);
  });

  it('validates buckets and labels up front', () => {
    expect(() => new GcCollector({ gcDurationBuckets: [1, 0.5] })).toThrow(InvalidBucketsError);
    expect(() => new GcCollector({ labels: { le: 'x' } })).toThrow(/declared more than once/);
    expect(() => new GcCollector({ labels: { __x: 'x' } })).toThrow(ReservedLabelNameError);
  });
});
