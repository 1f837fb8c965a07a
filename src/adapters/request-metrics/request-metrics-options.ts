import { InvalidOptionsError } from '../../model/index.js';
import { DEFAULT_BUCKETS, type InstrumentRegistrar, type SeriesLimits } from '../../metrics/index.js';
import { checkedSeriesLimits } from '../../metrics/series-limits.js';
import { UNMATCHED_ROUTE, type StatusLabelling } from './request-labels.js';

/** The names of the request metrics; `false` leaves an optional one out. */
export interface HttpMetricNames {
  /** The duration histogram. Default `http_server_request_duration_seconds`. */
  readonly duration?: string;
  /** The request body size histogram, or `false`. Default `http_server_request_body_size_bytes`. */
  readonly requestSize?: string | false;
  /** The response body size histogram, or `false`. Default `http_server_response_body_size_bytes`. */
  readonly responseSize?: string | false;
  /** The requests-in-flight gauge, or `false`. Default `http_server_active_requests`. */
  readonly inFlight?: string | false;
}

/** The label names of the request metrics. */
export interface HttpLabelNames {
  /** The method label. Default `http_request_method`. */
  readonly method?: string;
  /** The route template label. Default `http_route`. */
  readonly route?: string;
  /** The status code label. Default `http_response_status_code`. */
  readonly status?: string;
}

/**
 * Options of the request metrics of every adapter (`promkit/express`, `promkit/fastify`,
 * `promkit/koa`, `promkit/inversify-http`).
 *
 * @example
 * ```ts
 * const options: HttpRequestMetricsOptions = {
 *   names: { duration: 'http_request_duration_seconds', inFlight: false },
 *   labelNames: { method: 'method', route: 'route', status: 'status_code' },
 *   statusCodes: 'class',
 *   skipMethods: ['HEAD', 'OPTIONS'],
 *   skipPaths: ['/healthz', /^\/internal\//],
 * };
 * ```
 */
export interface HttpRequestMetricsOptions {
  /** Where the metrics register; the default registry when not given (see `MetricOptions.registry`). */
  readonly registry?: InstrumentRegistrar | null;
  /** Metric names (see {@link HttpMetricNames}). */
  readonly names?: HttpMetricNames;
  /** Label names (see {@link HttpLabelNames}). */
  readonly labelNames?: HttpLabelNames;
  /** Duration buckets in seconds. Default: OpenTelemetry's, `0.005` to `10` (promkit's `DEFAULT_BUCKETS`). */
  readonly buckets?: readonly number[];
  /** Body size buckets in bytes. Default {@link DEFAULT_SIZE_BUCKETS}. */
  readonly sizeBuckets?: readonly number[];
  /** `'code'` (default) labels `404`; `'class'` labels `4xx`. */
  readonly statusCodes?: StatusLabelling;
  /** The route label of requests no route matched. Default `unmatched`. */
  readonly unmatchedRoute?: string;
  /** Methods not measured at all, e.g. `['HEAD', 'OPTIONS']`. Default none. */
  readonly skipMethods?: readonly string[];
  /**
   * Paths not measured: a string is the exact path (a query string may follow), a RegExp
   * is tested against the path without the query string. The metrics path is added.
   */
  readonly skipPaths?: readonly (string | RegExp)[];
  /** The path `/metrics` is served on, never measured. Default `/metrics`; `false` measures it too. */
  readonly metricsPath?: string | false;
  /**
   * The most series each request metric holds (see `SeriesLimits.maxSeries`): a guard
   * against route templates or status codes without bound. With it (or with
   * {@link seriesTtlSeconds}) every request looks its series up instead of keeping it
   * bound, so that folded records are counted and expired series freed.
   */
  readonly maxSeries?: number;
  /** Seconds after which an idle request series is dropped (see `SeriesLimits.seriesTtlSeconds`). */
  readonly seriesTtlSeconds?: number;
}

/** Body size buckets: powers of 4 bytes from 64 B to 16 MiB. */
export const DEFAULT_SIZE_BUCKETS: readonly number[] = Object.freeze([64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216]);

/** {@link HttpRequestMetricsOptions} with every default filled in and checked. */
export interface ResolvedRequestMetricsOptions {
  readonly registry: InstrumentRegistrar | null | undefined;
  readonly names: { readonly duration: string; readonly requestSize: string | false; readonly responseSize: string | false; readonly inFlight: string | false };
  readonly labelNames: { readonly method: string; readonly route: string; readonly status: string };
  readonly buckets: readonly number[];
  readonly sizeBuckets: readonly number[];
  readonly statusCodes: StatusLabelling;
  readonly unmatchedRoute: string;
  readonly skipMethods: ReadonlySet<string>;
  readonly skipPaths: readonly string[];
  readonly skipPatterns: readonly RegExp[];
  /** The series limits given, passed to every request metric. */
  readonly limits: SeriesLimits;
  /** Whether limits are given: series are then looked up per request, not kept bound. */
  readonly limited: boolean;
}

/** Fills in the defaults; `InvalidOptionsError` for a value of the wrong kind. */
export function resolveRequestMetricsOptions(options: HttpRequestMetricsOptions = {}): ResolvedRequestMetricsOptions {
  if (typeof options !== 'object' || options === null) throw new InvalidOptionsError(undefined, 'HTTP request metrics take an options object');
  const statusCodes = options.statusCodes ?? 'code';
  if (statusCodes !== 'code' && statusCodes !== 'class') {
    throw new InvalidOptionsError(undefined, `statusCodes must be 'code' or 'class', got ${String(statusCodes)}`);
  }
  const unmatchedRoute = options.unmatchedRoute ?? UNMATCHED_ROUTE;
  if (typeof unmatchedRoute !== 'string') throw new InvalidOptionsError(undefined, 'unmatchedRoute must be a string');
  const skipPaths: string[] = [];
  const skipPatterns: RegExp[] = [];
  for (const path of options.skipPaths ?? []) {
    if (typeof path === 'string') skipPaths.push(path);
    else if (path instanceof RegExp) skipPatterns.push(path);
    else throw new InvalidOptionsError(undefined, `skipPaths takes strings and regular expressions, got ${typeof path}`);
  }
  const metricsPath = options.metricsPath ?? '/metrics';
  if (metricsPath !== false) {
    if (typeof metricsPath !== 'string' || !metricsPath.startsWith('/')) throw new InvalidOptionsError(undefined, `metricsPath must be a path starting with '/', got ${String(metricsPath)}`);
    skipPaths.push(metricsPath);
  }
  const names = options.names ?? {};
  const labels = options.labelNames ?? {};
  const limits = checkedSeriesLimits(undefined, options);
  return {
    registry: options.registry,
    names: {
      duration: names.duration ?? 'http_server_request_duration_seconds',
      requestSize: names.requestSize ?? 'http_server_request_body_size_bytes',
      responseSize: names.responseSize ?? 'http_server_response_body_size_bytes',
      inFlight: names.inFlight ?? 'http_server_active_requests',
    },
    labelNames: {
      method: labels.method ?? 'http_request_method',
      route: labels.route ?? 'http_route',
      status: labels.status ?? 'http_response_status_code',
    },
    buckets: options.buckets ?? DEFAULT_BUCKETS,
    sizeBuckets: options.sizeBuckets ?? DEFAULT_SIZE_BUCKETS,
    statusCodes,
    unmatchedRoute,
    skipMethods: new Set((options.skipMethods ?? []).map((method) => String(method).toUpperCase())),
    skipPaths,
    skipPatterns,
    limits,
    limited: limits.maxSeries !== undefined || limits.seriesTtlSeconds !== undefined,
  };
}
