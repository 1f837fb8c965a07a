import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Worker } from 'node:worker_threads';
import { ThreadAggregator } from '../../src/cluster/index.js';
import { scrape } from '../../src/exposition/index.js';
import type { MetricFamily } from '../../src/model/index.js';
import { Registry } from '../../src/registry/index.js';
import { BIN, describeWithBinaries } from '../support/binaries.js';
import { parseWithPython } from '../support/python-parser.js';
import { transpileTree, type TranspiledTree } from '../support/transpiled.js';

let tree: TranspiledTree;
beforeAll(() => {
  tree = transpileTree(['test/cluster/fixtures']);
});
afterAll(() => tree.remove());

interface Settings {
  value: number;
  join?: boolean;
  count?: boolean;
}

/** Starts a fixture thread and resolves once it said `ready`. */
async function startThread(settings: Settings): Promise<Worker> {
  const worker = new Worker(tree.path('test/cluster/fixtures/test-worker.ts'), { workerData: settings });
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (m: { test?: string }) => m.test === 'ready' && resolve());
    worker.once('error', reject);
  });
  return worker;
}

async function stopThread(worker: Worker): Promise<number> {
  const recorded = new Promise<number>((resolve) => worker.on('message', (m: { test?: string; n?: number }) => m.test === 'recorded' && resolve(m.n!)));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.postMessage({ test: 'stop' });
  const n = await recorded;
  await exited;
  return n;
}

function family(families: readonly MetricFamily[], name: string): MetricFamily {
  const found = families.find((f) => f.name === name);
  if (found === undefined) throw new Error(`no family ${name} in ${families.map((f) => f.name).join(', ')}`);
  return found;
}

/** `sample name{labels}` -> value, labels sorted. */
function values(families: readonly MetricFamily[], name: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of family(families, name).samples) {
    const labels = Object.entries(s.labels).sort(([a], [b]) => (a < b ? -1 : 1));
    out[`${s.name}{${labels.map(([k, v]) => `${k}=${v}`).join(',')}}`] = s.value;
  }
  return out;
}

function workersIn(families: readonly MetricFamily[]): Record<string, number> {
  return Object.fromEntries(family(families, 'promkit_cluster_workers').samples.map((s) => [s.labels.state, s.value]));
}

/** Collects until `done` holds of the families (workers join asynchronously). */
async function collectUntil(registry: Registry, done: (families: MetricFamily[]) => boolean): Promise<MetricFamily[]> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const { families } = await registry.collect();
    if (done(families)) return families;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the aggregate never reached the expected state');
}

describe('ThreadAggregator over real worker threads', () => {
  const threads: Worker[] = [];
  const registry = new Registry();
  const aggregator = new ThreadAggregator({
    workerTimeoutSeconds: 1,
    gauges: { cluster_test_gauge_min: 'min', cluster_test_gauge_max: 'max', cluster_test_gauge_mean: 'mean', cluster_test_gauge_last: 'last', cluster_test_gauge_perworker: 'perWorker' },
  });
  registry.register(aggregator);
  const ids: string[] = [];

  beforeAll(async () => {
    for (const value of [1, 2, 6]) {
      const worker = await startThread({ value });
      threads.push(worker);
      ids.push(String(worker.threadId));
      aggregator.add(worker);
    }
    const silent = await startThread({ value: 100, join: false });
    threads.push(silent);
    aggregator.add(silent);
  });
  afterAll(async () => {
    await Promise.all(threads.map((t) => t.terminate()));
    registry.clear();
  });

  it('apply each gauge mode, and count the thread that never joined without waiting for it', async () => {
    const families = await collectUntil(registry, (f) => workersIn(f).answered === 3);
    expect(workersIn(families)).toEqual({ answered: 3, late: 0, unjoined: 1 });
    expect(values(families, 'cluster_test_gauge_sum')).toEqual({ 'cluster_test_gauge_sum{}': 9 });
    expect(values(families, 'cluster_test_gauge_default')).toEqual({ 'cluster_test_gauge_default{}': 9 });
    expect(values(families, 'cluster_test_gauge_min')).toEqual({ 'cluster_test_gauge_min{}': 1 });
    expect(values(families, 'cluster_test_gauge_max')).toEqual({ 'cluster_test_gauge_max{}': 6 });
    expect(values(families, 'cluster_test_gauge_mean')).toEqual({ 'cluster_test_gauge_mean{}': 3 });
    // The last to join was the thread with value 6.
    expect(values(families, 'cluster_test_gauge_last')).toEqual({ 'cluster_test_gauge_last{}': 6 });
    expect(values(families, 'cluster_test_gauge_perworker')).toEqual({
      [`cluster_test_gauge_perworker{worker=${ids[0]}}`]: 1,
      [`cluster_test_gauge_perworker{worker=${ids[1]}}`]: 2,
      [`cluster_test_gauge_perworker{worker=${ids[2]}}`]: 6,
    });
  });

  it('write an info or enum once when the workers agree, per worker when they differ', async () => {
    const { families } = await registry.collect();
    expect(values(families, 'cluster_test_build')).toEqual({ 'cluster_test_build_info{version=1.0}': 1 });
    expect(values(families, 'cluster_test_phase')).toEqual({ 'cluster_test_phase{cluster_test_phase=busy}': 1, 'cluster_test_phase{cluster_test_phase=idle}': 0 });
    expect(values(families, 'cluster_test_own')).toEqual({
      [`cluster_test_own_info{value=1,worker=${ids[0]}}`]: 1,
      [`cluster_test_own_info{value=2,worker=${ids[1]}}`]: 1,
      [`cluster_test_own_info{value=6,worker=${ids[2]}}`]: 1,
    });
  });

  it('add summary counts and sums, keep quantiles per worker, and write the aggregate\'s own _created', async () => {
    const before = Date.now() / 1000;
    const { families } = await registry.collect();
    const summary = values(families, 'cluster_test_latency_seconds');
    // value v observed v times: counts 1 + 2 + 6, sums 1 + 4 + 36.
    expect(summary['cluster_test_latency_seconds_count{}']).toBe(9);
    expect(summary['cluster_test_latency_seconds_sum{}']).toBe(41);
    expect(summary[`cluster_test_latency_seconds{quantile=0.5,worker=${ids[2]}}`]).toBe(6);
    expect(summary[`cluster_test_latency_seconds{quantile=0.9,worker=${ids[0]}}`]).toBe(1);
    // The series was first exposed by an earlier collect of this aggregate, not by a worker.
    expect(summary['cluster_test_latency_seconds_created{}']).toBeLessThanOrEqual(before);
    expect(summary['cluster_test_latency_seconds_created{}']).toBeGreaterThan(before - 60);
  });

  it('leave a hung thread out of the wait, with its last values, and show it as late', async () => {
    const hung = threads[1];
    hung.postMessage({ test: 'hang', ms: 2500 });
    const { families } = await registry.collect();
    expect(workersIn(families)).toEqual({ answered: 2, late: 1, unjoined: 1 });
    expect(values(families, 'cluster_test_gauge_sum')).toEqual({ 'cluster_test_gauge_sum{}': 9 });
    await collectUntil(registry, (f) => workersIn(f).answered === 3);
  });
});

describe('ThreadAggregator counters across thread exits', () => {
  it('keep the total of every job recorded while threads stop and are replaced', async () => {
    const registry = new Registry();
    const aggregator = new ThreadAggregator({ workerTimeoutSeconds: 1 });
    registry.register(aggregator);
    const live: Worker[] = [];
    let recorded = 0;
    let last = 0;
    const total = (families: readonly MetricFamily[]): number =>
      family(families, 'cluster_test_jobs').samples.filter((s) => s.name === 'cluster_test_jobs_total').reduce((sum, s) => sum + s.value, 0);
    try {
      for (let i = 0; i < 4; i++) {
        const worker = await startThread({ value: 1, count: true });
        aggregator.add(worker);
        live.push(worker);
      }
      for (let round = 0; round < 6; round++) {
        const { families } = await registry.collect();
        const now = families.some((f) => f.name === 'cluster_test_jobs') ? total(families) : 0;
        expect(now).toBeGreaterThanOrEqual(last);
        last = now;
        recorded += await stopThread(live.shift()!);
        const worker = await startThread({ value: 1, count: true });
        aggregator.add(worker);
        live.push(worker);
      }
      for (const worker of live.splice(0)) recorded += await stopThread(worker);
      const { families } = await registry.collect();
      expect(recorded).toBeGreaterThan(0);
      expect(total(families)).toBe(recorded);
      expect(values(families, 'cluster_test_job_seconds')['cluster_test_job_seconds_count{}']).toBe(recorded);
      expect(values(families, 'promkit_cluster_worker_exits')).toEqual({ 'promkit_cluster_worker_exits_total{}': 10 });
      expect(workersIn(families)).toEqual({ answered: 0, late: 0, unjoined: 0 });
    } finally {
      await Promise.all(live.map((t) => t.terminate()));
      registry.clear();
    }
  });
});

describeWithBinaries([BIN.python3], 'the aggregate of threads', () => {
  it('is parsed by client_python in both formats', async () => {
    const registry = new Registry();
    const aggregator = new ThreadAggregator({ quantiles: 'merged' });
    registry.register(aggregator);
    const threads = [await startThread({ value: 1 }), await startThread({ value: 3 })];
    try {
      for (const t of threads) aggregator.add(t);
      await collectUntil(registry, (f) => workersIn(f).answered === 2);
      const om = await scrape(registry, { accept: 'application/openmetrics-text; version=1.0.0' });
      const text = await scrape(registry);
      for (const parsed of [await parseWithPython(om.body, 'openmetrics'), await parseWithPython(text.body, 'text')]) {
        const summary = parsed.find((f) => f.name === 'cluster_test_latency_seconds')!;
        // Merged: (1 × 1 + 3 × 3) / (1 + 3), weighted by the counts.
        expect(summary.samples.filter((s) => s.labels.quantile === '0.5').map((s) => s.value)).toEqual([2.5]);
        expect(parsed.find((f) => f.name === 'cluster_test_gauge_sum')!.samples.map((s) => s.value)).toEqual([4]);
      }
    } finally {
      await Promise.all(threads.map((t) => t.terminate()));
      registry.clear();
    }
  });
});
