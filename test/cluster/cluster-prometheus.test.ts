import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import cluster, { type Worker } from 'node:cluster';
import { ClusterAggregator } from '../../src/cluster/index.js';
import { startHttpServer, type MetricsHttpServer } from '../../src/http/index.js';
import type { MetricFamily } from '../../src/model/index.js';
import { Registry } from '../../src/registry/index.js';
import { BIN, describeWithBinaries } from '../support/binaries.js';
import { promValue, startPrometheus, type PrometheusServer } from '../support/prometheus.js';
import { transpileTree, type TranspiledTree } from '../support/transpiled.js';

let tree: TranspiledTree;
beforeAll(() => {
  tree = transpileTree(['test/cluster/fixtures']);
  cluster.setupPrimary({ exec: tree.path('test/cluster/fixtures/test-worker.ts'), silent: true });
});
afterAll(() => tree.remove());

interface Settings {
  value?: number;
  join?: boolean;
  count?: boolean;
}

const forked = new Set<Worker>();
afterAll(() => {
  for (const worker of forked) if (!worker.isDead()) worker.process.kill('SIGKILL');
});

/** Forks a fixture worker and resolves once it said `ready`. */
async function fork(settings: Settings): Promise<Worker> {
  const worker = cluster.fork({ PROMKIT_TEST_WORKER: JSON.stringify(settings) });
  forked.add(worker);
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (m: { test?: string }) => m.test === 'ready' && resolve());
    worker.once('exit', (code) => reject(new Error(`worker exited with ${code} before it was ready`)));
  });
  return worker;
}

/** Sends SIGTERM; resolves with the jobs it recorded, once it exited. */
async function terminate(worker: Worker): Promise<number> {
  const recorded = new Promise<number>((resolve) => worker.on('message', (m: { test?: string; n?: number }) => m.test === 'recorded' && resolve(m.n!)));
  const exited = new Promise<void>((resolve) => (worker.isDead() ? resolve() : worker.once('exit', () => resolve())));
  worker.process.kill('SIGTERM');
  const n = await recorded;
  await exited;
  forked.delete(worker);
  return n;
}

function workersIn(families: readonly MetricFamily[]): Record<string, number> {
  return Object.fromEntries(families.find((f) => f.name === 'promkit_cluster_workers')!.samples.map((s) => [s.labels.state, s.value]));
}

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describeWithBinaries([BIN.prometheus], 'ClusterAggregator scraped by Prometheus while workers are replaced', () => {
  let prometheus: PrometheusServer | undefined;
  let server: MetricsHttpServer | undefined;
  const registry = new Registry();

  afterAll(async () => {
    await prometheus?.stop();
    await server?.close();
    registry.clear();
  });

  it('count every recorded job exactly, with no counter reset', async () => {
    registry.register(new ClusterAggregator());
    server = await startHttpServer({ registry, port: 0 });
    const live: Worker[] = [];
    for (let i = 0; i < 4; i++) live.push(await fork({ count: true }));
    prometheus = await startPrometheus({ jobs: [{ jobName: 'cluster', url: server.url }] });
    await prometheus.waitForScrapes(2);
    let recorded = 0;
    // Replace one worker (SIGTERM, then a fresh fork) while Prometheus scrapes every second.
    for (let round = 0; round < 5; round++) {
      recorded += await terminate(live.shift()!);
      live.push(await fork({ count: true }));
      await new Promise((resolve) => setTimeout(resolve, 700));
    }
    for (const worker of live.splice(0)) recorded += await terminate(worker);
    expect(recorded).toBeGreaterThan(0);

    const p = prometheus;
    const total = await until(async () => {
      const [sample] = await p.query('sum(cluster_test_jobs_total)');
      return sample !== undefined && promValue(sample.value[1]) === recorded ? recorded : undefined;
    }, `Prometheus to see ${recorded} jobs`);
    expect(total).toBe(recorded);
    const [scrapes] = await p.query('count_over_time(up{job="cluster"}[1m])');
    expect(Number(scrapes.value[1])).toBeGreaterThanOrEqual(6);
    const resets = await p.query('resets(cluster_test_jobs_total[1m])');
    expect(resets.length).toBe(2);
    for (const series of resets) expect(series.value[1]).toBe('0');
    const [countResets] = await p.query('resets(cluster_test_job_seconds_count[1m])');
    expect(countResets.value[1]).toBe('0');
    const [exits] = await p.query('promkit_cluster_worker_exits_total');
    expect(exits.value[1]).toBe('9');
  }, 90_000);
});

describe('ClusterAggregator with a hung worker and one that never joined', () => {
  it('answer without waiting for either, using the hung worker\'s last values', async () => {
    const registry = new Registry();
    registry.register(new ClusterAggregator({ workerTimeoutSeconds: 0.5 }));
    // Waits for answers as long as a test may run: it only ever returns if it does not wait for the worker that never joined.
    const patient = new ClusterAggregator({ workerTimeoutSeconds: 600 });
    const workers = [await fork({ value: 2 }), await fork({ value: 3 }), await fork({ value: 50, join: false })];
    try {
      await until(async () => {
        const { families } = await registry.collect();
        return workersIn(families).answered === 2 ? true : undefined;
      }, 'both joining workers to answer');
      expect(workersIn(await patient.collect())).toEqual({ answered: 2, late: 0, unjoined: 1 });
      workers[0].send({ test: 'hang', ms: 3000 });
      const { families } = await registry.collect();
      expect(workersIn(families)).toEqual({ answered: 1, late: 1, unjoined: 1 });
      expect(families.find((f) => f.name === 'cluster_test_gauge_sum')!.samples.map((s) => s.value)).toEqual([5]);
    } finally {
      patient.close();
      for (const worker of workers) {
        worker.process.kill('SIGKILL');
        forked.delete(worker);
      }
      registry.clear();
    }
  });
});
