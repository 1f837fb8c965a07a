import type { NativeHistogramOptions } from '../metrics/native-buckets.js';
import type { CallLabels } from './decorator-types.js';

export type { CallLabels };

/**
 * Options every method decorator accepts, besides the per-call labels
 * ({@link CallLabelOptions}).
 *
 * All decorated methods share one metric name per decorator kind and are told apart by
 * the `class` and `method` labels; the class never goes into the metric name.
 */
export interface MethodMetricOptions {
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
  /**
   * The `class` label value. Defaults to the declaring class's name; set it when a
   * minifier renames classes.
   */
  readonly className?: string;
  /**
   * The most series the metric holds (see `SeriesLimits.maxSeries`): past it, new label sets
   * (from `labelsFrom`, say) fold into one overflow series. Part of the metric's definition:
   * methods sharing a metric name must agree on it. Not for `longTask` or `scrape` gauges.
   */
  readonly maxSeries?: number;
  /** Seconds after which an idle series is dropped (see `SeriesLimits.seriesTtlSeconds`); as {@link maxSeries}. */
  readonly seriesTtlSeconds?: number;
}

/** One value per label name `L`: what a `labelsFrom` callback returns. */
export type LabelRecord<L extends string> = { readonly [K in L]: string | number };

/** `R`, with every key that is not a declared label name turned into a compile error. */
export type ExactLabels<R, L extends string> = R & { readonly [K in Exclude<keyof R, L>]: never };

/**
 * Labels whose values each call computes: none, or `labelNames` together with a
 * `labelsFrom(args, instance)` returning exactly those labels (a missing or an extra one
 * is a compile error). `args` is typed `A`: annotate it with the method's parameters
 * (`([region]: [string, string])`, or `Parameters<Service['find']>`) and the decorator
 * checks that it is put on a method taking those; unannotated, the arguments are `unknown`.
 *
 * `labelsFrom` is guarded: if it throws or returns an unusable value, the call is still
 * recorded (with an empty value for that label), the failure is reported once as a warning
 * and counted in `promkit_decorator_errors_total{reason="labels_from"}`; the method is
 * never affected. Keep the values low-cardinality.
 *
 * @example
 * ```ts
 * class OrderService {
 *   @Timed({ name: 'order_call_seconds', labelNames: ['channel'], labelsFrom: ([order]: [Order]) => ({ channel: order.channel }) })
 *   async place(order: Order): Promise<Receipt> { ... }
 * }
 * ```
 */
export type CallLabelOptions<A extends readonly unknown[], L extends string, R> =
  | { readonly labelNames?: undefined; readonly labelsFrom?: undefined }
  | {
      /** Names of the labels whose values {@link labelsFrom} takes from each call. */
      readonly labelNames: readonly L[];
      /** The `labelNames` values of one call, from its arguments and the instance. */
      readonly labelsFrom: (args: A, instance: unknown) => ExactLabels<R, NoInfer<L>>;
    };

/**
 * Options every method decorator accepts: {@link MethodMetricOptions} and
 * {@link CallLabelOptions}. The type parameters are inferred from the options.
 */
export type CommonMetricOptions<A extends readonly unknown[] = readonly unknown[], L extends string = string, R = LabelRecord<L>> = MethodMetricOptions &
  CallLabelOptions<A, L, R>;

/** How the decorators read any decorator's options, whatever its type parameters. */
export interface DecoratorOptionsView extends MethodMetricOptions {
  readonly labelNames?: readonly string[];
  readonly labelsFrom?: unknown;
}

/** Options of `@Timed()`. */
export type TimedOptions<A extends readonly unknown[] = readonly unknown[], L extends string = string, R = LabelRecord<L>> = CommonMetricOptions<A, L, R> & TimedOwnOptions;

/** The options only `@Timed()` has. */
export interface TimedOwnOptions {
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
  /**
   * Also keeps native (sparse exponential) buckets, which Prometheus stores when it scrapes
   * protobuf with native histograms on (`true` for the defaults: bucket factor 1.1, 160
   * buckets at most). The classic buckets stay beside them (`buckets`, or the defaults):
   * a Prometheus without native histograms, and the rules of an `objective`, read those.
   * Histograms only (not with `percentiles` or `longTask`).
   */
  readonly native?: NativeHistogramOptions | boolean;
  /**
   * Makes it a long-task timer, for calls that run for minutes (jobs, imports, batch
   * runs): instead of timing completed calls, it shows the calls running now, computed
   * when the registry is collected (nothing runs in between), in three gauges named after
   * `name` (default `method_long_tasks`): `_active` (calls running), `_running_seconds`
   * (their running times added up) and `_max_running_seconds` (the longest one; 0 when none
   * runs), by `class` and `method`. Cannot be combined with `buckets`, `percentiles` or
   * `objective`; put an ordinary `@Timed()` beside it for completed calls.
   */
  readonly longTask?: boolean;
  /**
   * A latency objective: at least `target` of the calls (e.g. `0.99`) take at most `latency`
   * seconds, which must be one of the histogram's bucket bounds. `promkit rules` turns it
   * into recording and burn-rate alerting rules. Histograms only (not with `percentiles`
   * or `longTask`).
   */
  readonly objective?: LatencyObjectiveOptions;
}

/** `@Timed({ objective })`: at least `target` of the calls take at most `latency` seconds. */
export interface LatencyObjectiveOptions {
  /** Seconds; a bucket bound of the method's histogram. */
  readonly latency: number;
  /** The share of calls that must be that fast, between 0 and 1 exclusive (e.g. `0.99`). */
  readonly target: number;
}

/** `@Counted({ objective })`: at least `target` of the calls succeed. */
export interface SuccessObjectiveOptions {
  /** The share of calls that must succeed, between 0 and 1 exclusive (e.g. `0.999`). */
  readonly target: number;
}

/** Options of `@Counted()`. */
export type CountedOptions<A extends readonly unknown[] = readonly unknown[], L extends string = string, R = LabelRecord<L>> = CommonMetricOptions<A, L, R> & CountedOwnOptions;

/** The options only `@Counted()` has. */
export interface CountedOwnOptions {
  /** Count only failed calls (the `success` series then stays absent). Default `false`. */
  readonly recordFailuresOnly?: boolean;
  /**
   * A success-rate objective: at least `target` of the calls succeed. `promkit rules` turns
   * it into recording and burn-rate alerting rules. Not with `recordFailuresOnly`.
   */
  readonly objective?: SuccessObjectiveOptions;
}

/**
 * What a `@Gauged()` gauge shows:
 * - `inProgress` (default): calls running now; +1 on entry, -1 when the call settles.
 * - `lastDuration`: seconds the latest call took (successful or not).
 * - `lastSuccess`: unix time, in seconds, at which the latest successful call settled. The
 *   series exists from the first success on: before it there is no time to show.
 * - `value`: the method's numeric result (for a Promise, its resolved value).
 * - `scrape`: the method is called when the registry is collected (a scrape), on every live
 *   instance tied to that registry, and shows what it returns (a number, or a Promise of
 *   one). The method must take no argument; the program's own calls to it are not recorded.
 *   See {@link GaugedOwnOptions.combine} for several instances of one class.
 */
export type GaugeMode = 'inProgress' | 'lastDuration' | 'lastSuccess' | 'value' | 'scrape';

/** How the values of several instances with the same labels make one series. */
export type GaugeCombine = 'sum' | 'max' | 'min';

/** Options of `@Gauged()`. */
export type GaugedOptions<A extends readonly unknown[] = readonly unknown[], L extends string = string, R = LabelRecord<L>> = CommonMetricOptions<A, L, R> & GaugedOwnOptions;

/** The options only `@Gauged()` has. */
export interface GaugedOwnOptions {
  /** What the gauge shows; see {@link GaugeMode}. Default `inProgress`. */
  readonly mode?: GaugeMode;
  /**
   * `mode: 'scrape'` only: how the instances of the class that share one label set are
   * combined into one series — `sum` (default: queue depths, pool sizes, connections add
   * up), `max` or `min`. To tell instances apart instead, give them labels:
   * `labelNames: ['pool'], labelsFrom: (_args, instance) => ({ pool: (instance as Pool).name })`
   * (computed once per instance; `args` is empty). Instances are held weakly: once the
   * program drops one, the GC may take it, and it leaves the series.
   */
  readonly combine?: GaugeCombine;
}

/** A class of errors, matched with `instanceof`. */
export type ErrorClass = abstract new (...args: never[]) => unknown;

/** Options of `@ExceptionCounted()`. */
export type ExceptionCountedOptions<A extends readonly unknown[] = readonly unknown[], L extends string = string, R = LabelRecord<L>> = CommonMetricOptions<A, L, R> &
  ExceptionCountedOwnOptions;

/** The options only `@ExceptionCounted()` has. */
export interface ExceptionCountedOwnOptions {
  /**
   * Count only errors that are `instanceof` one of these classes (e.g. `[TypeError]`).
   * Default: every thrown value. The error is always rethrown.
   */
  readonly errors?: readonly ErrorClass[];
}
