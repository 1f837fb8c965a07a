import { checkedQuantiles, InvalidOptionsError, InvalidValueError, formatFloat } from '../model/index.js';
import type { LabelSet, MetricFamily, Sample } from '../model/index.js';
import type { CollectSteps } from './collect-steps.js';
import { runSteps } from '../model/steps.js';
import { listConflict, valueConflict } from './definition-conflict.js';
import { ObservingMetric } from './observing-metric.js';
import { wakeSeries, type IdleMark } from './series-expiry.js';
import { labelsWith } from './series-store.js';
import type { LabelValues, MetricOptions, UnlabelledArgs } from './metric.js';
import { QuantileWindow } from './quantile-window.js';
import { coarseClock } from './coarse-clock.js';
import { monotonicSeconds, secondsSince, timeCall } from './timing.js';
import { creationSeconds } from './creation-time.js';

/**
 * Options of a {@link Summary}.
 *
 * @typeParam L - the label names.
 */
export interface SummaryOptions<L extends string = never> extends MetricOptions<L> {
  /**
   * Quantiles to expose, each in [0, 1] (e.g. `[0.5, 0.9, 0.99]`). Without them the summary
   * exposes only `_count` and `_sum` (as client_python's). Each is estimated over the
   * sliding window with a guaranteed rank error: see `quantileRankErrorBound` (p50 ±5.6%,
   * p90 ±1.1%, p99 ±0.11% of the window's observations).
   */
  readonly percentiles?: readonly number[];
  /** Alias of {@link percentiles} (client_golang's word). */
  readonly quantiles?: readonly number[];
  /** The sliding window the quantiles cover, in seconds. Default 600. */
  readonly maxAgeSeconds?: number;
  /** How many slices the window rotates through. Default 5. */
  readonly ageBuckets?: number;
  /**
   * Monotonic clock in seconds for the window, for tests. By default a reading of
   * `performance.now() / 1000` refreshed by a shared timer (every hundredth of a slice, at
   * most every second), so an observation does not pay for a clock read.
   */
  readonly clock?: () => number;
}

const DEFAULT_MAX_AGE_SECONDS = 600;
const DEFAULT_AGE_BUCKETS = 5;

/** @internal The resolved quantile settings shared by a summary's series. */
interface QuantileConfig {
  readonly percentiles: readonly number[];
  readonly quantileLabels: readonly string[];
  readonly maxAgeSeconds: number;
  readonly ageBuckets: number;
  readonly clock: () => number;
}

/** One summary series (bound to label values by `summary.labels(...)`). */
export class SummaryChild {
  private count = 0;
  private sum = 0;
  /** When the series was created, in seconds: set in the constructor to share a number (see `creationSeconds`). */
  private readonly created: number;
  private readonly window: QuantileWindow | undefined;
  /** @internal Idle-series expiry state (see `seriesTtlSeconds`). */
  idle: IdleMark | undefined = undefined;

  /** @internal Created by `Summary`. */
  constructor(
    private readonly metric: string,
    config: QuantileConfig,
    private readonly labels: LabelSet,
  ) {
    this.created = creationSeconds();
    this.window =
      config.percentiles.length === 0
        ? undefined
        : new QuantileWindow(config.percentiles, config.maxAgeSeconds, config.ageBuckets, config.clock);
  }

  /**
   * Records `value`: the count, the sum, and the quantile window. NaN and negative values
   * are refused (`InvalidValueError`): OpenMetrics requires a summary's sum and quantiles
   * to be non-negative, so they could not be exposed.
   */
  observe(value: number): void {
    if (this.idle !== undefined) wakeSeries(this);
    if (typeof value !== 'number' || !(value >= 0)) {
      throw new InvalidValueError(
        this.metric,
        `cannot observe ${String(value)}; summary observations must be numbers >= 0 (OpenMetrics forbids negative sums and quantiles)`,
      );
    }
    this.count += 1;
    this.sum += value;
    const window = this.window;
    if (window !== undefined) window.observe(value);
  }

  /** Starts a timer; the returned function observes the elapsed seconds and returns them. */
  startTimer(): () => number {
    const start = monotonicSeconds();
    return () => {
      const seconds = secondsSince(start);
      this.observe(seconds);
      return seconds;
    };
  }

  /** Runs `fn` and observes its duration in seconds (when a returned promise settles). */
  time<T>(fn: () => T): T {
    return timeCall(fn, (seconds) => this.observe(seconds));
  }

  /** The number of observations (all time). */
  getCount(): number {
    return this.count;
  }

  /** The sum of the observations (all time). */
  getSum(): number {
    return this.sum;
  }

  /** The current quantile estimates over the window, in `percentiles` order (`NaN` when the window is empty). */
  getQuantiles(): number[] {
    return this.window === undefined ? [] : this.window.query();
  }

  /** @internal Appends this series' samples: quantiles, `_count`, `_sum`, `_created`. */
  collectInto(samples: Sample[], names: SummarySampleNames, config: QuantileConfig, keys: readonly string[]): void {
    const labels = this.labels;
    const window = this.window;
    if (window !== undefined) {
      const estimates = window.query();
      for (let i = 0; i < estimates.length; i++) {
        samples.push({ name: names.quantile, labels: labelsWith(labels, keys, 'quantile', config.quantileLabels[i]), value: estimates[i] });
      }
    }
    samples.push(
      { name: names.count, labels, value: this.count },
      { name: names.sum, labels, value: this.sum },
      { name: names.created, labels, value: this.created },
    );
  }
}

/** @internal The sample names of one summary, computed once. */
interface SummarySampleNames {
  readonly quantile: string;
  readonly count: string;
  readonly sum: string;
  readonly created: string;
}

/**
 * A summary: the count and sum of observations (response sizes, latencies) and, with
 * `percentiles`, streaming quantile estimates over a sliding time window (as
 * client_golang's). Exposed as `<name>{quantile="0.5"}`, `<name>_count`, `<name>_sum` and
 * `<name>_created`; `_count` and `_sum` cover all time, the quantiles the window.
 *
 * Quantiles use the CKMS targeted-quantiles algorithm in bounded memory, with a proven rank
 * error: the estimate of quantile φ over the `n` observations in the window is an observed
 * value whose rank is within `φ·n ± (quantileRankErrorBound(φ)·n + 1)`; an empty window
 * yields `NaN`.
 *
 * @typeParam L - the label names (inferred from `labelNames`).
 * @example
 * ```ts
 * const sizes = new Summary({ name: 'response_size_bytes', help: 'Sizes.', percentiles: [0.5, 0.9, 0.99] });
 * sizes.observe(512);
 * ```
 */
export class Summary<L extends string = never> extends ObservingMetric<L, SummaryChild> {
  /** The quantiles exposed, ascending (empty: `_count` and `_sum` only). */
  readonly percentiles: readonly number[];
  /** The window the quantiles cover, in seconds. */
  readonly maxAgeSeconds: number;
  /** The number of slices the window rotates through. */
  readonly ageBuckets: number;
  private readonly config: QuantileConfig;
  private readonly sampleNames: SummarySampleNames;

  /**
   * Validates the definition (`InvalidOptionsError` for percentiles outside [0, 1] or a
   * bad window) and registers (see {@link MetricOptions.registry}); returns the already
   * registered summary when one with the same definition exists (get-or-create).
   */
  constructor(options: SummaryOptions<L>) {
    super(options, 'summary');
    const percentiles = resolvePercentiles(this.name, options);
    const maxAgeSeconds = options.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS;
    if (typeof maxAgeSeconds !== 'number' || !(maxAgeSeconds > 0) || !Number.isFinite(maxAgeSeconds)) {
      throw new InvalidOptionsError(this.name, `maxAgeSeconds must be a positive number, got ${String(maxAgeSeconds)}`);
    }
    const ageBuckets = options.ageBuckets ?? DEFAULT_AGE_BUCKETS;
    if (!Number.isInteger(ageBuckets) || ageBuckets < 1) {
      throw new InvalidOptionsError(this.name, `ageBuckets must be a positive integer, got ${String(ageBuckets)}`);
    }
    if (options.clock !== undefined && typeof options.clock !== 'function') {
      throw new InvalidOptionsError(this.name, 'clock must be a function returning seconds');
    }
    this.percentiles = percentiles;
    this.maxAgeSeconds = maxAgeSeconds;
    this.ageBuckets = ageBuckets;
    this.config = {
      percentiles,
      quantileLabels: Object.freeze(percentiles.map(formatFloat)),
      maxAgeSeconds,
      ageBuckets,
      // Without percentiles there is no window, so no timer to start.
      clock: options.clock ?? (percentiles.length === 0 ? monotonicSeconds : coarseClock(maxAgeSeconds / ageBuckets / 100)),
    };
    this.sampleNames = {
      quantile: this.name,
      count: `${this.name}_count`,
      sum: `${this.name}_sum`,
      created: `${this.name}_created`,
    };
    const active = this.joinRegistry(options.registry);
    if (active !== this) return active;
  }

  /** Records `value` in the unlabelled series. */
  observe(...args: UnlabelledArgs<L, [value: number]>): void;
  /** Records `value` in the series of `labels`. */
  observe(labels: LabelValues<L>, value: number): void;
  observe(first: number | LabelValues<L>, second?: number): void {
    if (typeof first === 'object' && first !== null) {
      this.childFor(first).observe(second as number);
      return;
    }
    const child = this.unlabelledChild;
    (child === undefined ? this.defaultChild() : child).observe(first);
  }

  /** One `summary` family: per series, the quantiles, `_count`, `_sum` and `_created`. */
  collect(): MetricFamily[] {
    return runSteps(this.startSteps());
  }

  /** {@link collect} in steps. */
  protected stepsOver(children: readonly SummaryChild[], size: number): CollectSteps {
    return this.sampleSteps(children, size, (child, samples) => child.collectInto(samples, this.sampleNames, this.config, this.labelNames));
  }

  protected override configConflict(other: Summary<string>): string | undefined {
    return (
      listConflict('percentiles', this.percentiles, other.percentiles) ??
      valueConflict('maxAgeSeconds', this.maxAgeSeconds, other.maxAgeSeconds) ??
      valueConflict('ageBuckets', this.ageBuckets, other.ageBuckets)
    );
  }

  protected createChild(_labelValues: readonly string[], labels: LabelSet): SummaryChild {
    return new SummaryChild(this.name, this.config, labels);
  }
}

/**
 * @internal The quantiles of a summary definition, checked (numbers in [0, 1], none twice,
 * `percentiles` and `quantiles` not both) and sorted. Also used by `@Timed({ percentiles })`
 * to fail at class definition with the summary's own errors.
 */
export function resolvePercentiles(metric: string, options: Pick<SummaryOptions<string>, 'percentiles' | 'quantiles'>): readonly number[] {
  const { percentiles, quantiles } = options;
  if (percentiles !== undefined && quantiles !== undefined && listConflict('', percentiles, quantiles) !== undefined) {
    throw new InvalidOptionsError(metric, 'percentiles and quantiles are aliases; give one of them');
  }
  const given = checkedQuantiles(metric, percentiles ?? quantiles ?? [], 'percentile');
  return Object.freeze([...given].sort((a, b) => a - b));
}
