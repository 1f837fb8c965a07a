import { finiteBucketBounds, hasNegativeBound } from './bucket-bounds.js';
import { InvalidValueError } from './errors.js';
import { checkExemplar, checkNumber, checkTimestamp, FamilyBuilder, makeSample, type FamilyAddArgs, type FamilyBuilderBase, type UnitFamilyOptions } from './family-builder.js';
import { sampleValueProblem } from './family-validation.js';
import { formatFloat } from './number-format.js';
import type { Exemplar } from './sample.js';

/** The bucket counts of one histogram series: cumulative, or per bucket (exactly one of them). */
export type HistogramCounts =
  | {
      /**
       * Cumulative counts, one per bucket and the last for `+Inf` (the total count):
       * `cumulativeCounts[i]` observations were `<= buckets[i]`. Non-decreasing.
       */
      readonly cumulativeCounts: readonly number[];
      readonly bucketCounts?: never;
    }
  | {
      /** Counts per bucket (not cumulative), one per bucket and the last for `(last bound, +Inf)`. */
      readonly bucketCounts: readonly number[];
      readonly cumulativeCounts?: never;
    };

/** One histogram series: its bucket counts, and optionally its sum, creation time, exemplars. */
export type HistogramValue = HistogramCounts & {
  /**
   * The sum of the observations (not negative unless a bound is). Without it, or with a
   * negative bucket bound, neither `_sum` nor `_count` is written (OpenMetrics requires
   * both or neither, and no `_sum` with negative buckets); the count is still the `+Inf` bucket.
   */
  readonly sum?: number;
  /** When the histogram was created (reset), in seconds since the epoch: adds `x_created`. */
  readonly created?: number;
  /** When the values were observed, in seconds since the epoch. */
  readonly timestamp?: number;
  /** One optional exemplar per bucket (OpenMetrics only), aligned with the counts. */
  readonly exemplars?: readonly (Exemplar | undefined)[];
};

/** One gauge histogram series: its bucket counts and optionally the sum of its current values. */
export type GaugeHistogramValue = HistogramCounts & {
  /** The sum of the current values; with it `_gcount` and `_gsum` are written. */
  readonly sum?: number;
  /** When the values were observed, in seconds since the epoch. */
  readonly timestamp?: number;
  /** One optional exemplar per bucket (OpenMetrics only), aligned with the counts. */
  readonly exemplars?: readonly (Exemplar | undefined)[];
};

/** Options of {@link histogramFamily} and {@link gaugeHistogramFamily}. */
export interface HistogramFamilyOptions<L extends string> extends UnitFamilyOptions<L> {
  /**
   * The upper bounds of the buckets, increasing; `+Inf` is implied (and may be given last).
   * A histogram may have none but `+Inf` (`[]`): the classic part of native-only series.
   */
  readonly buckets: readonly number[];
}

/** A histogram family: samples `x_bucket{le}` (cumulative), `x_count`, `x_sum`, `x_created`. */
export interface HistogramFamily<L extends string = never> extends FamilyBuilderBase<L> {
  readonly type: 'histogram';
  /** The bucket upper bounds, without `+Inf`. */
  readonly buckets: readonly number[];
  /** Adds a series. Returns the family. */
  add(...args: FamilyAddArgs<L, [value: HistogramValue]>): this;
}

/** A gauge histogram family: samples `x_bucket{le}` (cumulative), `x_gcount`, `x_gsum`. */
export interface GaugeHistogramFamily<L extends string = never> extends FamilyBuilderBase<L> {
  readonly type: 'gaugehistogram';
  /** The bucket upper bounds, without `+Inf`. */
  readonly buckets: readonly number[];
  /** Adds a series. Returns the family. */
  add(...args: FamilyAddArgs<L, [value: GaugeHistogramValue]>): this;
}

/** Histogram and gauge histogram. */
class HistogramFamilyBuilder extends FamilyBuilder {
  readonly type: 'histogram' | 'gaugehistogram';
  readonly buckets: readonly number[];
  /** `le` label values, computed once per family rather than per series. */
  private readonly les: readonly string[];
  private readonly bucketName: string;
  private readonly countName: string;
  private readonly sumName: string;
  private readonly createdName: string;
  private readonly negativeBound: boolean;

  constructor(type: 'histogram' | 'gaugehistogram', options: HistogramFamilyOptions<string>) {
    super(type, options);
    this.type = type;
    this.buckets = Object.freeze(finiteBucketBounds(this.name, options.buckets, type === 'histogram'));
    this.negativeBound = hasNegativeBound(this.buckets);
    this.les = Object.freeze([...this.buckets.map(formatFloat), '+Inf']);
    this.bucketName = `${this.name}_bucket`;
    this.countName = type === 'histogram' ? `${this.name}_count` : `${this.name}_gcount`;
    this.sumName = type === 'histogram' ? `${this.name}_sum` : `${this.name}_gsum`;
    this.createdName = `${this.name}_created`;
  }

  add(a: unknown, b?: unknown): this {
    const hasLabels = this.labelNames.length !== 0;
    const labels = this.resolveLabels(hasLabels ? a : undefined);
    const value = (hasLabels ? b : a) as HistogramValue | undefined;
    if (value === null || typeof value !== 'object') {
      throw new InvalidValueError(this.name, 'expected { cumulativeCounts } or { bucketCounts } (with an optional sum)');
    }
    // Each field read once, and what is written is what was checked (copies, not the caller's objects).
    const les = this.les;
    const cumulativeCounts = value.cumulativeCounts;
    const bucketCounts = value.bucketCounts;
    const cumulative = cumulativeCounts !== undefined;
    const counts = cumulative ? cumulativeCounts : bucketCounts;
    if (!Array.isArray(counts) || (cumulative && bucketCounts !== undefined)) {
      throw new InvalidValueError(this.name, 'give exactly one of cumulativeCounts and bucketCounts, as an array');
    }
    if (counts.length !== les.length) {
      throw new InvalidValueError(this.name, `expected ${les.length} bucket counts (${les.length - 1} bounds and +Inf), got ${counts.length}`);
    }
    const timestamp = checkTimestamp(this.name, value.timestamp);
    const givenExemplars = value.exemplars;
    if (givenExemplars !== undefined && (!Array.isArray(givenExemplars) || givenExemplars.length > les.length)) {
      throw new InvalidValueError(this.name, `exemplars must be an array of at most ${les.length} entries, aligned with the buckets`);
    }
    const givenSum = value.sum;
    const sum = givenSum === undefined ? undefined : checkNumber(this.name, 'sum', givenSum);
    // With a negative bound the sum is no counter: like the Histogram instrument, the family
    // then writes neither `_sum` nor `_count` (OpenMetrics wants both or neither).
    const writeSum = sum !== undefined && !(this.type === 'histogram' && this.negativeBound);
    if (writeSum) {
      const problem = sampleValueProblem(this.type, this.type === 'histogram' ? '_sum' : '_gsum', sum);
      if (problem !== undefined) throw new InvalidValueError(this.name, problem);
      if (sum < 0 && !this.negativeBound) throw new InvalidValueError(this.name, `a negative sum (${sum}) needs a negative bucket bound`);
    }
    const givenCreated = this.type === 'histogram' ? value.created : undefined;
    const created = givenCreated === undefined ? undefined : checkNumber(this.name, 'created', givenCreated);
    const exemplars = givenExemplars === undefined ? undefined : Array.from(givenExemplars as readonly unknown[], (exemplar) => checkExemplar(this.name, exemplar ?? undefined));
    const totals = new Array<number>(les.length);
    let running = 0;
    for (let i = 0; i < les.length; i++) {
      const count: unknown = counts[i];
      if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
        throw new InvalidValueError(this.name, `bucket count for le="${les[i]}" must be a non-negative integer, got ${String(count)}`);
      }
      if (cumulative && count < running) {
        throw new InvalidValueError(this.name, `cumulative counts must not decrease, but le="${les[i]}" has ${count} after ${running}`);
      }
      running = cumulative ? count : running + count;
      if (!Number.isSafeInteger(running)) throw new InvalidValueError(this.name, `the bucket counts add up to more than ${Number.MAX_SAFE_INTEGER}`);
      totals[i] = running;
    }
    // Every input is checked by now: a failed add() leaves nothing behind.
    this.claimSeries(labels);
    for (let i = 0; i < les.length; i++) {
      this.samples.push(makeSample(this.bucketName, { ...labels, le: les[i] }, totals[i], timestamp, exemplars === undefined ? undefined : exemplars[i]));
    }
    if (writeSum) {
      this.samples.push(makeSample(this.countName, labels, running, timestamp));
      this.samples.push(makeSample(this.sumName, labels, sum, timestamp));
    }
    if (created !== undefined) this.samples.push(makeSample(this.createdName, labels, created, timestamp));
    return this;
  }
}

/**
 * Builds a histogram family (client_python's `HistogramMetricFamily`). The bucket bounds are
 * declared once per family (their `le` spellings are computed once); each series gives its
 * counts, cumulative or per bucket, and optionally its sum.
 *
 * @example
 * ```ts
 * histogramFamily({ name: 'job_duration', unit: 'seconds', help: 'Job durations.', buckets: [0.1, 1, 10] })
 *   .add({ cumulativeCounts: [3, 5, 6, 7], sum: 21.5 });
 * // job_duration_seconds_bucket{le="0.1"} 3 ... {le="+Inf"} 7, job_duration_seconds_count 7, _sum 21.5
 * ```
 */
export function histogramFamily<L extends string = never>(options: HistogramFamilyOptions<L>): HistogramFamily<L> {
  return new HistogramFamilyBuilder('histogram', options) as unknown as HistogramFamily<L>;
}

/**
 * Builds a gauge histogram family (client_python's `GaugeHistogramMetricFamily`): buckets of
 * current values that may go down; `_gcount`/`_gsum` instead of `_count`/`_sum`, no `_created`.
 */
export function gaugeHistogramFamily<L extends string = never>(options: HistogramFamilyOptions<L>): GaugeHistogramFamily<L> {
  return new HistogramFamilyBuilder('gaugehistogram', options) as unknown as GaugeHistogramFamily<L>;
}

