import type { Collector } from '../registry/index.js';
import { defaultRegistry, type Registry } from '../registry/index.js';
import { EventLoopCollector } from './event-loop-collector.js';
import { GcCollector } from './gc-collector.js';
import { HeapCollector } from './heap-collector.js';
import { NodeResourcesCollector, type NodeResourcesCollectorOptions } from './node-resources-collector.js';
import { ProcessCollector } from './process-collector.js';
import type { RuntimeCollectorOptions } from './runtime-collector-options.js';
import { VersionCollector } from './version-collector.js';

/** Options of {@link collectDefaultMetrics} (prom-client's names, plus `registry`). */
export interface DefaultMetricsOptions extends RuntimeCollectorOptions {
  /** Where to register the collectors (default: the default registry). */
  readonly registry?: Registry;
  /** The sampling interval of the event loop delay monitor, in milliseconds (default 10). */
  readonly eventLoopMonitoringPrecision?: number;
  /** Bucket bounds of `nodejs_gc_duration_seconds` (default `[0.001, 0.01, 0.1, 1, 2, 5]`). */
  readonly gcDurationBuckets?: readonly number[];
  /**
   * Also expose prom-client's `nodejs_active_{resources,handles,requests}_total` gauges (for
   * dashboards that read them). Off by default, because gauges named `_total` fail
   * `promtool check metrics`; see {@link NodeResourcesCollectorOptions}.
   */
  readonly activeResourceTotals?: boolean;
}

/** The registered default collectors, and the way to take them down again. */
export interface DefaultMetrics {
  /** The collectors, in registration order. */
  readonly collectors: readonly Collector[];
  /**
   * Unregisters every collector and stops its timers and observers, so nothing of it stays
   * alive after shutdown. Idempotent.
   */
  stop(): void;
}

/**
 * Registers the standard process and Node.js runtime collectors, exposing prom-client's
 * metric names (so existing Grafana dashboards keep working): {@link ProcessCollector}
 * (`process_*`), {@link EventLoopCollector} (`nodejs_eventloop_*`),
 * {@link NodeResourcesCollector} (`nodejs_active_*`), {@link HeapCollector} (`nodejs_heap_*`,
 * `nodejs_external_memory_bytes`), {@link GcCollector} (`nodejs_gc_duration_seconds`) and
 * {@link VersionCollector} (`nodejs_version_info`).
 *
 * @example
 * ```ts
 * const registry = new Registry();
 * const defaults = collectDefaultMetrics({ registry, labels: { app: 'orders' } });
 * // ... on shutdown:
 * defaults.stop();
 * ```
 * @throws DuplicateMetricError when the registry already exposes one of these names (for
 *   example when called twice); nothing stays registered or running then.
 */
export function collectDefaultMetrics(options: DefaultMetricsOptions = {}): DefaultMetrics {
  const registry = options.registry ?? defaultRegistry;
  const common: RuntimeCollectorOptions = { prefix: options.prefix, labels: options.labels };
  const collectors: Collector[] = [];
  const registered: Collector[] = [];
  const closeAll = (): void => {
    for (const c of registered) registry.unregister(c);
    for (const c of collectors) c.close?.();
  };
  try {
    // One at a time, so that if a constructor throws, the ones already running are closed.
    collectors.push(new ProcessCollector(common));
    collectors.push(new EventLoopCollector({ ...common, eventLoopMonitoringPrecision: options.eventLoopMonitoringPrecision }));
    collectors.push(new NodeResourcesCollector({ ...common, activeResourceTotals: options.activeResourceTotals }));
    collectors.push(new HeapCollector(common));
    collectors.push(new GcCollector({ ...common, gcDurationBuckets: options.gcDurationBuckets }));
    collectors.push(new VersionCollector(common));
    for (const c of collectors) registered.push(registry.register(c));
  } catch (error) {
    closeAll();
    throw error;
  }
  let stopped = false;
  return {
    collectors: Object.freeze(collectors.slice()),
    stop(): void {
      if (stopped) return;
      stopped = true;
      closeAll();
    },
  };
}
