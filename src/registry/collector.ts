import type { MetricDescriptor, MetricFamily } from '../model/index.js';

/** What a collector is told about the scrape it is collecting for. */
export interface CollectContext {
  /** Aborted when the collector's time is up or the scrape went away; long work should stop. */
  readonly signal: AbortSignal;
  /**
   * How long this collection may take, in seconds, before the registry leaves the collector
   * out (when `signal` aborts). A collector that waits on others (e.g. cluster workers)
   * gives up a little before, so that it can still answer with what it has.
   */
  readonly timeoutSeconds?: number;
}

/**
 * Anything that yields metric families at scrape time: the instruments, the default
 * runtime collectors, and the custom exporters users write (client_golang's `Collector`).
 *
 * `collect()` may return the families directly or as a Promise; async collectors run
 * concurrently, each under a timeout, and one that throws, rejects or times out is left
 * out of that scrape (the rest is served) and reported in `promkit_collector_success`.
 *
 * @example
 * ```ts
 * registry.register({
 *   collectorName: 'queue',
 *   describe: () => [{ name: 'queue_depth', type: 'gauge' }],
 *   async collect() {
 *     const depth = await queue.depth();
 *     return [gaugeFamily('queue_depth', 'Jobs waiting.').add(depth)];
 *   },
 * });
 * ```
 */
export interface Collector {
  /** The families to expose now. */
  collect(context: CollectContext): Iterable<MetricFamily> | Promise<Iterable<MetricFamily>>;
  /**
   * The families this collector will expose, so that registration fails on a name
   * collision instead of a scrape exposing a name twice. Optional; without it,
   * collisions with this collector are found at scrape time and reported.
   */
  describe?(): Iterable<MetricDescriptor>;
  /**
   * A name for this collector in `promkit_collector_*` metrics and error reports;
   * defaults to the class name.
   */
  readonly collectorName?: string;
  /**
   * Called when the collector is unregistered or its registry is cleared: stop timers,
   * observers and connections here so nothing keeps running after shutdown.
   */
  close?(): void;
}
