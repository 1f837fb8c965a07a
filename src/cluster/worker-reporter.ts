import cluster from 'node:cluster';
import { parentPort, type MessagePort } from 'node:worker_threads';
import { InvalidOptionsError } from '../model/index.js';
import type { Registry } from '../registry/index.js';
import { isPromkitMessage, type WorkerMessage } from './cluster-messages.js';
import { snapshotOf } from './worker-snapshot.js';

/** Options of {@link reportToPrimary} and {@link reportToParent}. */
export interface ReporterOptions {
  /**
   * How long {@link WorkerReporter.close} waits for the aggregator to confirm it has the
   * final snapshot, in seconds. Default 2.
   */
  readonly closeTimeoutSeconds?: number;
}

/** The two ends a reporter can talk through: a cluster worker's IPC channel, or a port. */
interface Channel {
  send(message: WorkerMessage): void;
  listen(listener: (message: unknown) => void): () => void;
}

/**
 * A worker's side of the aggregation: answers the aggregator's requests with snapshots of
 * one registry (whatever records into it — instruments, decorators, the inversify module —
 * records as usual). Made by {@link reportToPrimary} or {@link reportToParent}.
 */
export class WorkerReporter {
  private readonly stopListening: () => void;
  private readonly closeTimeoutMs: number;
  private closing: Promise<void> | undefined;
  private acknowledged: (() => void) | undefined;

  /** @internal Use {@link reportToPrimary} or {@link reportToParent}. */
  constructor(
    private readonly registry: Registry,
    private readonly channel: Channel,
    options: ReporterOptions,
  ) {
    const timeout = options.closeTimeoutSeconds ?? 2;
    if (!(timeout >= 0) || !Number.isFinite(timeout)) throw new InvalidOptionsError(undefined, `closeTimeoutSeconds must be a number of seconds >= 0, got ${timeout}`);
    this.closeTimeoutMs = timeout * 1000;
    this.stopListening = channel.listen((message) => this.onMessage(message));
    this.send({ promkit: 'hello' });
  }

  /**
   * Sends the final snapshot and stops answering: call it when the worker stops recording
   * and is about to exit, so that what it recorded since the last scrape is counted too.
   * Resolves once the aggregator confirmed (or after `closeTimeoutSeconds`). A worker that
   * exits without it keeps the values of its last answered scrape in the totals.
   */
  close(): Promise<void> {
    this.closing ??= this.finish();
    return this.closing;
  }

  private async finish(): Promise<void> {
    const { families } = await this.registry.collect();
    const confirmed = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.closeTimeoutMs);
      this.acknowledged = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    if (this.send({ promkit: 'final', families: snapshotOf(families) })) await confirmed;
    this.stopListening();
  }

  private onMessage(message: unknown): void {
    if (!isPromkitMessage(message)) return;
    if (message.promkit === 'final-ack') this.acknowledged?.();
    else if (this.closing !== undefined) return;
    else if (message.promkit === 'welcome') this.send({ promkit: 'hello' });
    else if (message.promkit === 'collect') {
      const id = (message as { id?: unknown }).id;
      if (typeof id === 'number') void this.answer(id);
    }
  }

  private async answer(id: number): Promise<void> {
    // A registry never rejects because of a collector; anything else leaves this answer out.
    try {
      const { families } = await this.registry.collect();
      if (this.closing === undefined) this.send({ promkit: 'snapshot', id, families: snapshotOf(families) });
    } catch (error) {
      process.emitWarning(`promkit: a worker could not answer the aggregator: ${String(error)}`, { code: 'PROMKIT_WORKER_SNAPSHOT_FAILED' });
    }
  }

  private send(message: WorkerMessage): boolean {
    try {
      this.channel.send(message);
      return true;
    } catch {
      return false;
    }
  }
}

/**
 * Reports `registry` to the cluster primary's {@link ClusterAggregator}, over the worker's
 * IPC channel: one line in a `node:cluster` worker.
 *
 * @throws `InvalidOptionsError` outside a cluster worker.
 */
export function reportToPrimary(registry: Registry, options: ReporterOptions = {}): WorkerReporter {
  if (!cluster.isWorker || process.send === undefined) throw new InvalidOptionsError(undefined, 'reportToPrimary() runs in a node:cluster worker (the primary registers a ClusterAggregator)');
  const channel: Channel = {
    send: (message) => {
      if (!process.connected) throw new Error('the IPC channel to the primary is closed');
      process.send!(message, undefined, undefined, ignoreSendError);
    },
    listen: (listener) => {
      process.on('message', listener);
      return () => process.off('message', listener);
    },
  };
  return new WorkerReporter(registry, channel, options);
}

/**
 * Reports `registry` to a {@link ThreadAggregator}, through `port` (default `parentPort`,
 * the port of the `Worker` the aggregator was given): one line in a worker thread.
 *
 * @throws `InvalidOptionsError` outside a worker thread when no port is given.
 */
export function reportToParent(registry: Registry, port: MessagePort | null = parentPort, options: ReporterOptions = {}): WorkerReporter {
  if (port === null) throw new InvalidOptionsError(undefined, 'reportToParent() runs in a worker thread, or needs the MessagePort a ThreadAggregator listens to');
  const channel: Channel = {
    send: (message) => port.postMessage(message),
    listen: (listener) => {
      port.on('message', listener);
      return () => port.off('message', listener);
    },
  };
  return new WorkerReporter(registry, channel, options);
}

function ignoreSendError(): void {}
