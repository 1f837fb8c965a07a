import type { NativeHistogramOptions } from '../metrics/native-buckets.js';

// The types the decorator files share. This file imports no decorator file (only a type
// of the instruments' layer), so any file of the folder can use them without tying itself
// to another one.

/** Label values of one series, by label name. */
export type SeriesLabels = Record<string, string>;

/**
 * Label values a `labelsFrom` callback returns: one value per name declared in
 * `labelNames`. Numbers are turned into strings.
 */
export type CallLabels = Readonly<Record<string, string | number>>;

/** An instrument family whose series are reached through `labels()` (structural view of the metrics layer). */
export interface LabelledInstrument<Child> {
  labels(values: SeriesLabels): Child;
}

/** A histogram or summary series. */
export interface ObservingSeries {
  observe(value: number): void;
}

/** A counter series. */
export interface CountingSeries {
  inc(value?: number): void;
}

/** A gauge series. */
export interface GaugeSeries {
  set(value: number): void;
  inc(value?: number): void;
  dec(value?: number): void;
}

/**
 * Why a decorator could not record, as counted in `promkit_decorator_errors_total{reason}`:
 * - `register`: the metric could not be created or registered (a different metric of the
 *   same name in the registry, an invalid prefixed name...): the method runs unmeasured.
 * - `labels_from`: the method's `labelsFrom` threw or returned a value that is not a
 *   string or finite number; the call is recorded with that label empty.
 * - `record`: the instrument threw while recording one call.
 * - `value`: `@Gauged({ mode: 'value' })` got a result that is not a number.
 * - `scrape`: a `@Gauged({ mode: 'scrape' })` method threw, rejected or returned something
 *   that is not a number when read at scrape time; that series is left out of the scrape.
 * - `objective`: an `objective`'s latency is not a bucket bound of the histogram the
 *   method records into in this registry (the container's `defaultBuckets`); the method is
 *   still timed, but rules generated for the objective would not match.
 */
export type DecoratorErrorReason = 'register' | 'labels_from' | 'record' | 'value' | 'scrape' | 'objective';

/** The four method decorators. */
export type DecoratorKind = 'Timed' | 'Counted' | 'Gauged' | 'ExceptionCounted';

/**
 * The instrument a decorator records into: one of the library's, or families computed at
 * scrape time (`longTask`: a long-task timer's running calls; `scrapeGauge`: a method read
 * when scraped).
 */
export type InstrumentKind = 'histogram' | 'summary' | 'counter' | 'gauge' | 'longTask' | 'scrapeGauge';

/**
 * A service level objective declared on a decorated method: the share of calls that must be
 * good over the SLO period. `latency`: a call is good when it took at most `threshold`
 * seconds (a bucket bound of the method's histogram); `success`: when it did not fail.
 */
export type MethodObjective =
  | { readonly kind: 'latency'; readonly threshold: number; readonly target: number }
  | { readonly kind: 'success'; readonly target: number };

/**
 * What one decorated method records into, as the decorator declared it (before the
 * container's prefix and default labels): the same for every registry the method records in.
 */
export interface MetricDefinition {
  readonly decorator: DecoratorKind;
  readonly instrument: InstrumentKind;
  /** The family name without prefix (and, for counters, without `_total`). */
  readonly name: string;
  readonly help: string;
  /** Every label, in order: `class`, `method`, the outcome labels, constant labels, `labelNames`. */
  readonly labelNames: readonly string[];
  /** Labels the decorator sets from the call's outcome (`exception`, `result`). */
  readonly outcomeLabels: readonly string[];
  /** Constant labels of this method. */
  readonly constantLabels: Readonly<Record<string, string>>;
  /** Labels whose values `labelsFrom` computes per call. */
  readonly callLabelNames: readonly string[];
  /** Computes the {@link callLabelNames} values of one call from its arguments and the instance. */
  readonly labelsFrom: ((args: readonly unknown[], instance: unknown) => CallLabels) | undefined;
  /** Histogram buckets the method asked for (else the container's / library's default). */
  readonly buckets: readonly number[] | undefined;
  /** Summary quantiles. */
  readonly percentiles: readonly number[] | undefined;
  /** Native histogram buckets (beside the classic ones), or `undefined` for none. */
  readonly native: NativeHistogramOptions | undefined;
  /** The method's objective, if it declares one (not part of the family's shape). */
  readonly objective: MethodObjective | undefined;
  /** The `maxSeries` and `seriesTtlSeconds` the method asked for (else the registry's defaults). */
  readonly limits: { readonly maxSeries?: number; readonly seriesTtlSeconds?: number };
}

/** Where a recorder reports its own failures (a runtime). */
export interface DecoratorErrorReporter {
  reportError(metric: string, reason: DecoratorErrorReason, error: unknown): void;
}

/**
 * What a recorder is built from: one decorated method in one runtime. `TRegistry` is the
 * registry type (kept a parameter so that this file imports nothing).
 */
export interface RecorderContext<TRegistry> {
  readonly reporter: DecoratorErrorReporter;
  readonly registry: TRegistry;
  readonly definition: MetricDefinition;
  /** The registered family name (prefix included). */
  readonly metricName: string;
  /**
   * The labels every series of this method carries: `class`, `method`, constant labels,
   * the runtime's constant labels, and the outcome labels set to `''` (filled per call).
   */
  readonly baseLabels: Readonly<SeriesLabels>;
  /** Every label name of the family: the definition's, then the runtime's constant ones. */
  readonly familyLabelNames: readonly string[];
  /** Buckets of `@Timed()` histograms that set none (the runtime's default). */
  readonly defaultBuckets: readonly number[] | undefined;
}

/**
 * What `labelsFrom` gave one call, read when the call was made: each call label's value
 * as returned (`values` undefined when it returned nothing), or the error it threw.
 */
export type ReadCallLabels = { readonly values: Readonly<Record<string, unknown>> | undefined } | { readonly error: unknown };

/** Records the calls of one decorated method into one registry (see `CallRecorder`). */
export interface MethodRecorder {
  /** Whether the method declares `labelNames`, i.e. every call computes its own series. */
  readonly perCallLabels: boolean;
  /** The full label set of one call, from its arguments. */
  callLabels(args: ArrayLike<unknown>, instance: unknown): SeriesLabels;
  /** {@link callLabels} for a call whose `labelsFrom` was read when it was made, before this recorder existed (see `readCallLabels`). */
  labelsOfRead(read: ReadCallLabels): SeriesLabels;
  /** Called before the method runs; returns the start time (monotonic ms) when the recorder needs one. */
  enter(labels: SeriesLabels | undefined): number;
  /**
   * {@link enter} for a call that started at `start` (monotonic ms) before the recorder saw
   * it (a call handed over after its instance's activation); returns what {@link exit} must get.
   */
  enterAt(labels: SeriesLabels | undefined, start: number): number;
  /** Called once the call settled: returned, threw, or its Promise settled. */
  exit(start: number, labels: SeriesLabels | undefined, failed: boolean, outcome: unknown): void;
  /** Called when an instance (or, for a static method, the class) is tied to the recorder's runtime; for recorders that read instances at scrape time. */
  attach?(instance: object): void;
  /** Called when an attached instance is tied to another runtime. */
  detach?(instance: object): void;
}

/** One decorator applied to one method, as a runtime sees it. */
export interface RecordedMethod<TRegistry> {
  readonly definition: MetricDefinition;
  /** The `class` label (`undefined` until known). */
  readonly className: string | undefined;
  /** The `method` label. */
  readonly methodName: string;
  readonly isStatic: boolean;
  /** Learns the `class` label from an instance when the decorator could not know it. */
  resolveClassName(self: unknown): void;
  /** Builds the decorator's recorder in one runtime (registers the metric, creates the series at zero). */
  createRecorder(context: RecorderContext<TRegistry>): MethodRecorder;
}
