import cluster, { type Worker } from 'node:cluster';
import { ClusterAggregator, reportToPrimary } from '../../src/cluster/index.js';
import { collectDefaultMetrics } from '../../src/collectors/index.js';
import { startHttpServer, type MetricsHttpServer } from '../../src/http/index.js';
import { Counter } from '../../src/metrics/index.js';
import { Registry } from '../../src/registry/index.js';

/** Options of {@link startClusterPrimary}. */
export interface ClusterSampleOptions {
  readonly port: number;
  readonly host: string;
  /** How many workers run at once. */
  readonly workers: number;
  /** How often the oldest worker is recycled (stopped and replaced), in seconds. */
  readonly recycleSeconds: number;
  /** An exporter-toolkit web-config.yml (TLS, basic auth): what `WEB_CONFIG_FILE` names. Default: plain HTTP. */
  readonly webConfigFile?: string;
}

/** The primary of the sample: serves the aggregate, keeps `workers` workers, recycles one now and then. */
export interface ClusterSamplePrimary {
  readonly url: string;
  /** Stops recycling, stops every worker (each sends its final values), then the server. */
  stop(): Promise<void>;
}

/**
 * The primary: a registry holding the cluster aggregate and nothing else, served over
 * HTTP. Workers are forked from the same entry point (`cluster.fork()`), so this runs in
 * `main.ts` when `cluster.isPrimary`.
 */
export async function startClusterPrimary(options: ClusterSampleOptions): Promise<ClusterSamplePrimary> {
  const registry = new Registry();
  registry.register(new ClusterAggregator());
  const server: MetricsHttpServer = await startHttpServer({ registry, port: options.port, host: options.host, webConfig: options.webConfigFile });
  let stopping = false;
  const spawn = (): Worker => {
    const worker = cluster.fork();
    // A worker that dies (recycled, or crashed) is replaced; its jobs stay in the total.
    worker.once('exit', () => {
      if (!stopping) spawn();
    });
    return worker;
  };
  for (let i = 0; i < options.workers; i++) spawn();
  const recycle = setInterval(() => {
    const oldest = Object.values(cluster.workers ?? {}).find((w) => w !== undefined && !w.isDead());
    oldest?.process.kill('SIGTERM');
  }, options.recycleSeconds * 1000);

  return {
    url: server.url,
    async stop() {
      stopping = true;
      clearInterval(recycle);
      const live = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
      await Promise.all(
        live.map(
          (w) =>
            new Promise<void>((resolve) => {
              w.once('exit', () => resolve());
              w.process.kill('SIGTERM');
            }),
        ),
      );
      await server.close();
      registry.clear();
    },
  };
}

/**
 * A worker: counts the jobs it does in `cluster_sample_jobs_total` (plus the default
 * runtime metrics) and reports its registry to the primary. On SIGTERM it stops taking
 * jobs, hands the primary its final values and leaves.
 */
export function runClusterWorker(): void {
  const registry = new Registry();
  collectDefaultMetrics({ registry });
  const jobs = new Counter({ name: 'cluster_sample_jobs', help: 'Jobs done by the workers.', labelNames: ['queue'] as const, registry });
  const reporter = reportToPrimary(registry);
  const queues = ['email', 'billing'] as const;
  const timer = setInterval(() => {
    const count = 1 + Math.floor(Math.random() * 20);
    for (let i = 0; i < count; i++) jobs.labels({ queue: queues[i % 2] }).inc();
  }, 50);
  process.once('SIGTERM', () => {
    clearInterval(timer);
    void reporter.close().then(() => cluster.worker?.disconnect());
  });
}
