import type { MessagePort, Worker } from 'node:worker_threads';
import type { AggregatorMessage } from './cluster-messages.js';
import { WorkerAggregator } from './worker-aggregator.js';

/**
 * Aggregates the metrics of `worker_threads`, in the thread that owns them: register it in
 * that thread's registry and {@link ThreadAggregator.add} each `Worker` (or a `MessagePort`
 * whose other end a thread reports into). Each thread calls {@link reportToParent}; its
 * series carry its `threadId` (or the id given to `add`).
 *
 * @example
 * ```ts
 * const threads = new ThreadAggregator();
 * registry.register(threads);
 * threads.add(new Worker(new URL('./worker.js', import.meta.url)));
 * // in worker.js: reportToParent(defaultRegistry);
 * ```
 */
export class ThreadAggregator extends WorkerAggregator {
  private readonly detach = new Map<string, () => void>();
  private anonymous = 0;

  /**
   * Starts aggregating a thread: its `Worker`, or a `MessagePort` it reports into. A
   * `Worker` leaves on `exit`, a port on `close`; either way its counters stay in the
   * totals. `id` is the value of the worker label (default: the thread id).
   */
  add(thread: Worker | MessagePort, id?: string): void {
    const key = id ?? ('threadId' in thread ? String(thread.threadId) : `port${++this.anonymous}`);
    const onMessage = (message: unknown): void => this.receive(key, message);
    const onGone = (): void => {
      this.depart(key);
      this.detach.get(key)?.();
    };
    thread.on('message', onMessage);
    thread.on('exit', onGone);
    thread.on('close', onGone);
    this.detach.set(key, () => {
      thread.off('message', onMessage);
      thread.off('exit', onGone);
      thread.off('close', onGone);
      this.detach.delete(key);
    });
    this.admit(key, (message: AggregatorMessage) => {
      try {
        thread.postMessage(message);
        return true;
      } catch {
        return false;
      }
    });
  }

  /** Stops listening to every thread (called when it is unregistered from its registry). */
  close(): void {
    for (const detach of [...this.detach.values()]) detach();
  }
}
