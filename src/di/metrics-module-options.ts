import type { Newable, ServiceIdentifier } from 'inversify';
import { InvalidOptionsError, validateConstantLabels, validateMetricPrefix } from '../model/index.js';
import { BucketLayout } from '../metrics/buckets.js';
import { frozenCopy } from '../model/frozen-copy.js';
import type { Collector, Registry } from '../registry/index.js';
import type { MetricsEndpoint } from './metrics-server.js';

/** Options of {@link MetricsModule}. */
export interface MetricsModuleOptions {
  /** The registry the container's metrics go to. Default: a new `Registry` per container load. */
  readonly registry?: Registry;
  /**
   * Put before every metric name the module registers: the decorators' metrics and the
   * default collectors' (e.g. `shop_` gives `shop_method_timed_seconds`).
   */
  readonly prefix?: string;
  /**
   * Labels on every series. On a registry the module creates they become the registry's
   * `defaultLabels` (all its metrics get them); on a registry you pass, they are added to
   * the decorators' and default collectors' series (set the registry's own
   * `defaultLabels` to cover everything in it).
   */
  readonly defaultLabels?: Readonly<Record<string, string>>;
  /** Buckets of `@Timed()` histograms that set none. Default: the library's `DEFAULT_BUCKETS`. */
  readonly defaultBuckets?: readonly number[];
  /**
   * Register the process and Node.js runtime collectors (`collectDefaultMetrics`) in the
   * registry. Default: `true` when the module creates the registry, `false` when you pass
   * one (it is yours to equip).
   */
  readonly defaultCollectors?: boolean;
  /** Where `METRICS_SERVER` listens. Default `127.0.0.1:8000/metrics`. */
  readonly endpoint?: Partial<MetricsEndpoint>;
  /**
   * Service identifiers whose instances must record into this container's registry, hooked
   * at load: an explicit override for a container without `MetricsPlugin` (which finds
   * them itself).
   */
  readonly instrument?: readonly ServiceIdentifier[];
  /**
   * Custom collectors for the registry: instances, or injectable classes the container
   * builds with their dependencies. Registered when the container first resolves the
   * registry (serving it does), unregistered (and closed) when the module is unloaded.
   */
  readonly collectors?: readonly (Collector | Newable<Collector>)[];
}

/** The options as bound under `METRICS_OPTIONS` for one container: defaults filled in. */
export interface ResolvedMetricsModuleOptions {
  readonly registry: Registry;
  /** Whether the module created `registry` (then it also owns its default labels). */
  readonly ownsRegistry: boolean;
  readonly prefix: string;
  readonly defaultLabels: Readonly<Record<string, string>>;
  readonly defaultBuckets: readonly number[] | undefined;
  readonly defaultCollectors: boolean;
  readonly endpoint: MetricsEndpoint;
  readonly instrument: readonly ServiceIdentifier[];
  readonly collectors: readonly (Collector | Newable<Collector>)[];
}

/** Default endpoint of {@link MetricsServer}: the library's `startHttpServer` defaults. */
export const DEFAULT_METRICS_ENDPOINT: MetricsEndpoint = { host: '127.0.0.1', port: 8000, path: '/metrics' };

/** A shallow record copy of `value` when it is a plain object; anything else as it is (for the check to refuse). */
function recordCopy<T extends object>(value: T | undefined): T | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.freeze({ ...value }) : value;
}

/**
 * @internal A frozen copy of `options` (its lists and records copied, the registry and collectors
 * themselves shared), made before the options are checked: a module keeps, and loads with,
 * what was checked, whatever the caller does with its objects afterwards. Absent options
 * stay absent.
 */
export function copyMetricsModuleOptions(options: MetricsModuleOptions): MetricsModuleOptions {
  if (typeof options !== 'object' || options === null) return options;
  const { registry, prefix, defaultLabels, defaultBuckets, defaultCollectors, endpoint, instrument, collectors } = options;
  const copy: { -readonly [K in keyof MetricsModuleOptions]: MetricsModuleOptions[K] } = {};
  if (registry !== undefined) copy.registry = registry;
  if (prefix !== undefined) copy.prefix = prefix;
  if (defaultLabels !== undefined) copy.defaultLabels = recordCopy(defaultLabels);
  if (defaultBuckets !== undefined) copy.defaultBuckets = frozenCopy(defaultBuckets);
  if (defaultCollectors !== undefined) copy.defaultCollectors = defaultCollectors;
  if (endpoint !== undefined) copy.endpoint = recordCopy(endpoint);
  if (instrument !== undefined) copy.instrument = frozenCopy(instrument);
  if (collectors !== undefined) copy.collectors = frozenCopy(collectors);
  return Object.freeze(copy);
}

/**
 * Checks the module options when the module is created, so a bad prefix or label fails at
 * startup with a message naming it, not on the first scrape.
 */
export function validateMetricsModuleOptions(options: MetricsModuleOptions): void {
  const prefix = options.prefix ?? '';
  if (typeof prefix !== 'string') throw new InvalidOptionsError(undefined, 'MetricsModule prefix must be a string');
  validateMetricPrefix(prefix);
  // The registry's own rules for labels on every metric (no `le`/`quantile`), at module creation.
  validateConstantLabels('(MetricsModule defaultLabels)', options.defaultLabels ?? {});
  // The histograms' own bucket validation (InvalidBucketsError), at module creation.
  if (options.defaultBuckets !== undefined) new BucketLayout('(MetricsModule defaultBuckets)', options.defaultBuckets);
  const collectors: unknown = options.collectors ?? [];
  if (!Array.isArray(collectors)) throw new InvalidOptionsError(undefined, 'MetricsModule collectors must be a list of collectors or collector classes');
  collectors.forEach((entry: unknown, index) => {
    const isCollector = typeof entry === 'object' && entry !== null && typeof (entry as { collect?: unknown }).collect === 'function';
    if (typeof entry !== 'function' && !isCollector) {
      throw new InvalidOptionsError(undefined, `MetricsModule collectors[${index}] is neither a collector (an object with collect()) nor a collector class`);
    }
  });
  const endpoint = options.endpoint ?? {};
  if (endpoint.port !== undefined && (!Number.isInteger(endpoint.port) || endpoint.port < 0 || endpoint.port > 65535)) {
    throw new InvalidOptionsError(undefined, `MetricsModule endpoint port ${String(endpoint.port)} must be an integer in 0..65535`);
  }
  if (endpoint.path !== undefined && !endpoint.path.startsWith('/')) {
    throw new InvalidOptionsError(undefined, `MetricsModule endpoint path ${JSON.stringify(endpoint.path)} must start with "/"`);
  }
}
