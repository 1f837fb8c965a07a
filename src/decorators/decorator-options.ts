import type { CallLabels } from './decorator-types.js';

export type { CallLabels };

/**
 * Options every method decorator accepts.
 *
 * All decorated methods share one metric name per decorator kind and are told apart by
 * the `class` and `method` labels; the class never goes into the metric name.
 *
 * @example
 * ```ts
 * class OrderService {
 *   @Timed({ labelNames: ['channel'], labelsFrom: ([order]) => ({ channel: (order as Order).channel }), name: 'order_call_seconds' })
 *   async place(order: Order): Promise<Receipt> { ... }
 * }
 * ```
 */
export interface CommonMetricOptions {
  /**
   * The metric name. Defaults to the decorator's shared name (`method_timed_seconds`, ...).
   * Give a method its own name when it declares its own `labels`/`labelNames`: one metric
   * name has exactly one label set.
   */
  readonly name?: string;
  /** The metric's HELP text; defaults to a description of the decorator. */
  readonly help?: string;
  /** Constant labels added to every series of this method (e.g. `{ layer: 'service' }`). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Names of labels whose values {@link labelsFrom} takes from each call. */
  readonly labelNames?: readonly string[];
  /**
   * Computes the `labelNames` values for one call from its arguments and the instance.
   * Guarded: if it throws or returns an unusable value, the call is still recorded (with an
   * empty value for that label), the failure is reported once as a warning and counted in
   * `promkit_decorator_errors_total{reason="labels_from"}`; the method is never affected.
   * Keep the values low-cardinality.
   */
  readonly labelsFrom?: (args: readonly unknown[], instance: unknown) => CallLabels;
  /**
   * The `class` label value. Defaults to the declaring class's name; set it when a
   * minifier renames classes.
   */
  readonly className?: string;
}

/** Options of `@Timed()`. */
export interface TimedOptions extends CommonMetricOptions {
  /**
   * Histogram buckets, in seconds. Defaults to the container's `defaultBuckets`, else to
   * the library's `DEFAULT_BUCKETS`. Cannot be combined with {@link percentiles}.
   */
  readonly buckets?: readonly number[];
  /**
   * Makes the metric a Summary exposing these quantiles (each in `[0, 1]`) instead of a
   * Histogram. Cannot be combined with {@link buckets}.
   */
  readonly percentiles?: readonly number[];
}

/** Options of `@Counted()`. */
export interface CountedOptions extends CommonMetricOptions {
  /** Count only failed calls (the `success` series then stays absent). Default `false`. */
  readonly recordFailuresOnly?: boolean;
}

/**
 * What a `@Gauged()` gauge shows:
 * - `inProgress` (default): calls running now; +1 on entry, -1 when the call settles.
 * - `lastDuration`: seconds the latest call took (successful or not).
 * - `lastSuccess`: unix time, in seconds, at which the latest successful call settled. The
 *   series exists from the first success on: before it there is no time to show.
 * - `value`: the method's numeric result (for a Promise, its resolved value).
 */
export type GaugeMode = 'inProgress' | 'lastDuration' | 'lastSuccess' | 'value';

/** Options of `@Gauged()`. */
export interface GaugedOptions extends CommonMetricOptions {
  /** What the gauge shows; see {@link GaugeMode}. Default `inProgress`. */
  readonly mode?: GaugeMode;
}

/** A class of errors, matched with `instanceof`. */
export type ErrorClass = abstract new (...args: never[]) => unknown;

/** Options of `@ExceptionCounted()`. */
export interface ExceptionCountedOptions extends CommonMetricOptions {
  /**
   * Count only errors that are `instanceof` one of these classes (e.g. `[TypeError]`).
   * Default: every thrown value. The error is always rethrown.
   */
  readonly errors?: readonly ErrorClass[];
}
