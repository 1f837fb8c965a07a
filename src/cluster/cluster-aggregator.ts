import cluster, { type Worker } from 'node:cluster';
import { InvalidOptionsError } from '../model/index.js';
import type { AggregatorMessage } from './cluster-messages.js';
import { WorkerAggregator, type AggregatorOptions } from './worker-aggregator.js';

/**
 * Aggregates the metrics of the `node:cluster` workers, in the primary: register it in the
 * primary's registry and serve that registry. Each scrape asks every worker that called
 * {@link reportToPrimary} over the cluster's IPC channel and returns the aggregate (see
 * {@link WorkerAggregator}) beside the primary's own metrics. Workers forked before or
 * after it was made are picked up; a worker's series carry its `worker.id`.
 *
 * @example
 * ```ts
 * if (cluster.isPrimary) {
 *   const registry = new Registry();
 *   registry.register(new ClusterAggregator({ gauges: { queue_depth: 'max' } }));
 *   await startHttpServer({ registry, port: 9464 });
 *   for (let i = 0; i < 4; i++) cluster.fork();
 * } else {
 *   reportToPrimary(defaultRegistry);
 * }
 * ```
 */
export class ClusterAggregator extends WorkerAggregator {
  private readonly onFork = (worker: Worker): void => this.admit(String(worker.id), (message) => sendTo(worker, message));
  private readonly onMessage = (worker: Worker, message: unknown): void => {
    this.onFork(worker);
    this.receive(String(worker.id), message);
  };
  private readonly onExit = (worker: Worker): void => this.depart(String(worker.id));

  /** @throws `InvalidOptionsError` outside the cluster's primary, or for bad options. */
  constructor(options: AggregatorOptions = {}) {
    super(options);
    if (!cluster.isPrimary) throw new InvalidOptionsError(undefined, 'a ClusterAggregator runs in the cluster primary (cluster.isPrimary); workers call reportToPrimary()');
    cluster.on('fork', this.onFork);
    cluster.on('message', this.onMessage);
    cluster.on('exit', this.onExit);
    for (const worker of Object.values(cluster.workers ?? {})) if (worker !== undefined) this.onFork(worker);
  }

  /** Stops listening to the cluster (called when it is unregistered from its registry). */
  close(): void {
    cluster.off('fork', this.onFork);
    cluster.off('message', this.onMessage);
    cluster.off('exit', this.onExit);
  }
}

/** Sends over the worker's IPC channel; false when it is closed. */
function sendTo(worker: Worker, message: AggregatorMessage): boolean {
  if (!worker.isConnected()) return false;
  try {
    // The callback takes a send error (the worker just exited) that would otherwise be thrown.
    worker.send(message, undefined, ignoreSendError);
    return true;
  } catch {
    return false;
  }
}

function ignoreSendError(): void {}
