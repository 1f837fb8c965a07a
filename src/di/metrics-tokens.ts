import type { ServiceIdentifier } from 'inversify';
import type { MetricsRuntime } from '../decorators/index.js';
import type { DefaultMetrics } from '../collectors/index.js';
import type { Registry } from '../registry/index.js';
import type { MetricsScraper } from './metrics-scraper.js';
import type { ResolvedMetricsModuleOptions } from './metrics-module-options.js';
import type { MetricsServer } from './metrics-server.js';

// The service identifiers MetricsModule binds: `Symbol.for` keys, so that two copies of
// promkit in one process still agree on them.

/**
 * The container's `Registry` (the one given in the options, or one the module created).
 *
 * @example
 * ```ts
 * const registry = container.get(METRICS_REGISTRY);
 * ```
 */
export const METRICS_REGISTRY: ServiceIdentifier<Registry> = Symbol.for('promkit.Registry');
/** The module's options, resolved (defaults filled in). */
export const METRICS_OPTIONS: ServiceIdentifier<ResolvedMetricsModuleOptions> = Symbol.for('promkit.MetricsModuleOptions');
/** A {@link MetricsScraper} over the container's registry (singleton). */
export const METRICS_SCRAPER: ServiceIdentifier<MetricsScraper> = Symbol.for('promkit.MetricsScraper');
/** @deprecated Renamed {@link METRICS_SCRAPER} (the same token); this alias goes in the next major version. */
export const COLLECTOR_SERVICE: ServiceIdentifier<MetricsScraper> = METRICS_SCRAPER;
/** A {@link MetricsServer} serving the container's registry (singleton; stopped when unbound). */
export const METRICS_SERVER: ServiceIdentifier<MetricsServer> = Symbol.for('promkit.MetricsServer');
/** The decorators' {@link MetricsRuntime} of this container: its registry, prefix, labels, buckets. */
export const METRICS_RUNTIME: ServiceIdentifier<MetricsRuntime> = Symbol.for('promkit.MetricsRuntime');
/**
 * The default process/Node.js collectors the module registered at load, or `undefined`
 * when it registered none. They are stopped when the module is unloaded (or everything
 * unbound) after the registry was resolved from the container — which serving it does;
 * call `stop()` yourself otherwise.
 */
export const METRICS_DEFAULT_COLLECTORS: ServiceIdentifier<DefaultMetrics | undefined> = Symbol.for('promkit.DefaultCollectors');
