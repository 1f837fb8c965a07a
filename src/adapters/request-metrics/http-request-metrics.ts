import { Gauge, Histogram, type GaugeChild, type HistogramChild } from '../../metrics/index.js';
import { methodLabel, statusLabel } from './request-labels.js';
import { resolveRequestMetricsOptions, type HttpRequestMetricsOptions, type ResolvedRequestMetricsOptions } from './request-metrics-options.js';

/** The series one (method, route, status) combination records into, bound once. */
export class RequestSeries {
  /** @internal Built by {@link HttpRequestMetrics.series}. */
  constructor(
    /** The duration series. */
    readonly duration: HistogramChild,
    /** The request body size series, when measured. */
    readonly requestSize: HistogramChild | undefined,
    /** The response body size series, when measured. */
    readonly responseSize: HistogramChild | undefined,
  ) {}
}

/**
 * The request metrics one adapter records into: a duration histogram, request and
 * response body size histograms and a requests-in-flight gauge, labelled by method, route
 * template and status (see {@link HttpRequestMetricsOptions}). Framework-free: each
 * adapter tells it the method, route template and status of a finished request.
 *
 * Series are bound once per (method, route, status) and kept, so a request costs three
 * map lookups and no label hashing.
 */
export class HttpRequestMetrics {
  /** The options, defaults filled in. */
  readonly options: ResolvedRequestMetricsOptions;
  /** The duration histogram. */
  readonly duration: Histogram<string>;
  /** The request body size histogram, unless disabled. */
  readonly requestSize: Histogram<string> | undefined;
  /** The response body size histogram, unless disabled. */
  readonly responseSize: Histogram<string> | undefined;
  /** The requests-in-flight gauge (labelled by method), unless disabled. */
  readonly inFlight: Gauge<string> | undefined;
  /** method label -> route -> status -> series. */
  private readonly bound = new Map<string, Map<string, Map<number, RequestSeries>>>();
  private readonly inFlightByMethod = new Map<string, GaugeChild>();

  /** Creates (or joins, get-or-create) the instruments in the options' registry. */
  constructor(options: HttpRequestMetricsOptions = {}) {
    const resolved = resolveRequestMetricsOptions(options);
    this.options = resolved;
    const { names, labelNames, registry, limits } = resolved;
    const labels = [labelNames.method, labelNames.route, labelNames.status];
    this.duration = new Histogram({ name: names.duration, help: 'Duration of HTTP server requests.', labelNames: labels, buckets: resolved.buckets, registry, ...limits });
    this.requestSize =
      names.requestSize === false
        ? undefined
        : new Histogram({ name: names.requestSize, help: 'Size of HTTP server request bodies (from Content-Length).', labelNames: labels, buckets: resolved.sizeBuckets, registry, ...limits });
    this.responseSize =
      names.responseSize === false
        ? undefined
        : new Histogram({ name: names.responseSize, help: 'Size of HTTP server response bodies (bytes written).', labelNames: labels, buckets: resolved.sizeBuckets, registry, ...limits });
    this.inFlight =
      names.inFlight === false ? undefined : new Gauge({ name: names.inFlight, help: 'HTTP server requests in flight.', labelNames: [labelNames.method], registry, ...limits });
  }

  /**
   * Whether a request is left out: a skipped method, or a path in `skipPaths` (the
   * metrics path among them). `url` is the request target, query string included.
   */
  skips(method: string | undefined, url: string | undefined): boolean {
    const options = this.options;
    if (method !== undefined && options.skipMethods.size > 0 && options.skipMethods.has(method)) return true;
    if (url === undefined) return false;
    const paths = options.skipPaths;
    for (let i = 0; i < paths.length; i++) {
      const path = paths[i];
      if (url.startsWith(path) && (url.length === path.length || url.charCodeAt(path.length) === 63 /* ? */)) return true;
    }
    const patterns = options.skipPatterns;
    if (patterns.length === 0) return false;
    const query = url.indexOf('?');
    const pathOnly = query < 0 ? url : url.slice(0, query);
    for (let i = 0; i < patterns.length; i++) {
      patterns[i].lastIndex = 0;
      if (patterns[i].test(pathOnly)) return true;
    }
    return false;
  }

  /** The in-flight series of `method` (a raw request method), or `undefined` when not measured. */
  inFlightSeries(method: string | undefined): GaugeChild | undefined {
    const gauge = this.inFlight;
    if (gauge === undefined) return undefined;
    const label = methodLabel(method);
    let child = this.inFlightByMethod.get(label);
    if (child === undefined) {
      child = gauge.labels(label);
      this.inFlightByMethod.set(label, child);
    }
    return child;
  }

  /** The series of one (method, route template, status) combination, bound on first use. */
  series(method: string | undefined, route: string, status: number): RequestSeries {
    const methodKey = methodLabel(method);
    if (this.options.limited) return this.bind(methodKey, route, status);
    let routes = this.bound.get(methodKey);
    if (routes === undefined) {
      routes = new Map();
      this.bound.set(methodKey, routes);
    }
    let statuses = routes.get(route);
    if (statuses === undefined) {
      statuses = new Map();
      routes.set(route, statuses);
    }
    let series = statuses.get(status);
    if (series === undefined) {
      series = this.bind(methodKey, route, status);
      statuses.set(status, series);
    }
    return series;
  }

  /** The series of one combination, looked up in the instruments. */
  private bind(methodKey: string, route: string, status: number): RequestSeries {
    const label = statusLabel(status, this.options.statusCodes);
    return new RequestSeries(
      this.duration.labels(methodKey, route, label),
      this.requestSize?.labels(methodKey, route, label),
      this.responseSize?.labels(methodKey, route, label),
    );
  }

  /**
   * Records one finished request. `requestBytes` is `-1` when the request body's size is
   * unknown (no `Content-Length`): the request size histogram then leaves it out.
   */
  record(method: string | undefined, route: string, status: number, seconds: number, requestBytes: number, responseBytes: number): void {
    const series = this.series(method, route, status);
    series.duration.observe(seconds);
    if (requestBytes >= 0) series.requestSize?.observe(requestBytes);
    series.responseSize?.observe(responseBytes);
  }

  /** Clears every series of the instruments and forgets the bound ones. */
  reset(): void {
    this.bound.clear();
    this.inFlightByMethod.clear();
    this.duration.clear();
    this.requestSize?.clear();
    this.responseSize?.clear();
    this.inFlight?.clear();
  }
}
