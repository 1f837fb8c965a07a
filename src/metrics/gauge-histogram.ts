import { InvalidValueError } from '../model/index.js';
import type { LabelSet, MetricFamily, Sample } from '../model/index.js';
import { BucketLayout, DEFAULT_BUCKETS, observationProblem } from './buckets.js';
import type { CollectSteps } from './collect-steps.js';
import { runSteps } from '../model/steps.js';
import { listConflict } from './definition-conflict.js';
import { Metric } from './metric.js';
import { wakeSeries, type IdleMark } from './series-expiry.js';
import { labelsWith } from './series-store.js';
import type { LabelValues, MetricOptions, UnlabelledArgs } from './metric.js';

/**
 * Options of a {@link GaugeHistogram}.
 *
 * @typeParam L - the label names.
 */
export interface GaugeHistogramOptions<L extends string = never> extends MetricOptions<L> {
  /** Upper bounds, strictly increasing; `+Inf` is added when missing. Default {@link DEFAULT_BUCKETS}. */
  readonly buckets?: readonly number[];
}

/**
 * One gauge histogram series (bound to label values by `gaugeHistogram.labels(...)`).
 *
 * Its state is "how many items are in each bucket now": {@link observe} adds an item,
 * {@link unobserve} takes one back, {@link set} replaces the whole distribution.
 */
export class GaugeHistogramChild {
  private readonly counts: Float64Array;
  private count = 0;
  private sum = 0;
  /** @internal Idle-series expiry state (see `seriesTtlSeconds`). */
  idle: IdleMark | undefined = undefined;

  /** @internal Created by `GaugeHistogram`. */
  constructor(
    private readonly metric: string,
    private readonly layout: BucketLayout,
    private readonly labels: LabelSet,
  ) {
    this.counts = new Float64Array(layout.bounds.length);
  }

  /** Adds one item of size `value` (not NaN): its bucket, the count and the sum go up. */
  observe(value: number): void {
    this.checkValue(value);
    if (this.idle !== undefined) wakeSeries(this);
    this.counts[this.layout.indexOf(value)] += 1;
    this.count += 1;
    this.sum += value;
  }

  /**
   * Takes back one item of size `value` observed earlier: its bucket, the count and the sum
   * go down. `InvalidValueError` when that bucket holds no item.
   */
  unobserve(value: number): void {
    if (this.idle !== undefined) wakeSeries(this);
    this.checkValue(value);
    const bucket = this.layout.indexOf(value);
    if (this.counts[bucket] < 1) {
      throw new InvalidValueError(this.metric, `cannot unobserve ${value}: its bucket (le="${this.layout.le[bucket]}") holds no observation`);
    }
    this.counts[bucket] -= 1;
    this.count -= 1;
    this.sum -= value;
    // Float residue (0.1 + 0.2 - 0.1 - 0.2) must not make an empty or non-negative
    // distribution's _gsum negative: OpenMetrics rejects that without negative buckets.
    if (this.count === 0 || (this.sum < 0 && !this.layout.hasNegativeBound)) this.sum = 0;
  }

  /**
   * Replaces the distribution: `bucketCounts[i]` items in bucket `i` (NOT cumulative; one
   * count per bucket including `+Inf`, so `buckets.length` integers, each >= 0), whose sizes
   * add up to `sum`.
   *
   * @example
   * ```ts
   * // buckets [1, 5, +Inf]: 3 jobs of size <= 1, none in (1, 5], 1 larger; sizes sum to 9.5
   * queued.set([3, 0, 1], 9.5);
   * ```
   */
  set(bucketCounts: readonly number[], sum: number): void {
    if (this.idle !== undefined) wakeSeries(this);
    const counts = this.counts;
    if (!Array.isArray(bucketCounts) || bucketCounts.length !== counts.length) {
      throw new InvalidValueError(this.metric, `set() takes ${counts.length} bucket counts (one per bucket, +Inf included), got ${Array.isArray(bucketCounts) ? bucketCounts.length : typeof bucketCounts}`);
    }
    let total = 0;
    for (const c of bucketCounts) {
      // Counts of items: OpenMetrics requires integers, and past 2^53 a float count is no longer exact.
      if (typeof c !== 'number' || !Number.isSafeInteger(c) || c < 0) {
        throw new InvalidValueError(this.metric, `bucket counts must be integers >= 0 (at most ${Number.MAX_SAFE_INTEGER}), got ${String(c)}`);
      }
      total += c;
    }
    if (total > Number.MAX_SAFE_INTEGER) throw new InvalidValueError(this.metric, `the bucket counts add up to ${total}, more than ${Number.MAX_SAFE_INTEGER} cannot be counted exactly`);
    if (typeof sum !== 'number' || !Number.isFinite(sum)) throw new InvalidValueError(this.metric, `the sum must be a finite number, got ${String(sum)}`);
    if (sum < 0 && !this.layout.hasNegativeBound) {
      throw new InvalidValueError(this.metric, `the sum ${sum} is negative, which needs a negative bucket bound (OpenMetrics)`);
    }
    let count = 0;
    for (let i = 0; i < counts.length; i++) {
      counts[i] = bucketCounts[i];
      count += bucketCounts[i];
    }
    this.count = count;
    this.sum = sum;
  }

  /** Empties the distribution. */
  reset(): void {
    this.counts.fill(0);
    if (this.idle !== undefined) wakeSeries(this);
    this.count = 0;
    this.sum = 0;
  }

  /** The number of items now (`_gcount`). */
  getCount(): number {
    return this.count;
  }

  /** The sum of the items' sizes now (`_gsum`). */
  getSum(): number {
    return this.sum;
  }

  /** @internal Appends this series' samples: cumulative `_bucket`s, `_gcount`, `_gsum`. */
  collectInto(samples: Sample[], names: GaugeHistogramSampleNames, keys: readonly string[]): void {
    const labels = this.labels;
    const le = this.layout.le;
    const counts = this.counts;
    let cumulative = 0;
    for (let i = 0; i < counts.length; i++) {
      cumulative += counts[i];
      samples.push({ name: names.bucket, labels: labelsWith(labels, keys, 'le', le[i]), value: cumulative });
    }
    samples.push({ name: names.gcount, labels, value: this.count }, { name: names.gsum, labels, value: this.sum });
  }

  /**
   * Items have finite sizes: an infinite one would make `_gsum` infinite, and taking it
   * back (or adding -Infinity) NaN, which OpenMetrics forbids.
   */
  private checkValue(value: number): void {
    if (typeof value !== 'number' || value !== value || (value < 0 && !this.layout.hasNegativeBound)) {
      throw new InvalidValueError(this.metric, observationProblem(value));
    }
    if (value === Infinity || value === -Infinity) {
      throw new InvalidValueError(this.metric, `cannot observe ${value}: a gauge histogram holds items of finite size (an infinite _gsum cannot be taken back)`);
    }
  }
}

/** @internal The sample names of one gauge histogram, computed once. */
interface GaugeHistogramSampleNames {
  readonly bucket: string;
  readonly gcount: string;
  readonly gsum: string;
}

/**
 * A gauge histogram: the current distribution of things that come and go (jobs waiting
 * by size, connections by age), where a histogram would only accumulate. Buckets, count
 * and sum are gauges: they go down as well as up. Exposed as `<name>_bucket{le="..."}`
 * (cumulative), `<name>_gcount` and `<name>_gsum`, with no `_created`.
 *
 * Three ways to keep it current, per series:
 * - `observe(size)` when an item arrives and `unobserve(size)` when it leaves;
 * - `set(bucketCounts, sum)` to replace the distribution, e.g. from a `Gauge`-style
 *   periodic read of the system (counts per bucket, not cumulative);
 * - `reset()` (on a bound series) or `clear()` to empty it.
 *
 * @typeParam L - the label names (inferred from `labelNames`).
 * @example
 * ```ts
 * const queued = new GaugeHistogram({ name: 'queued_jobs_size_bytes', help: 'Jobs waiting, by size.', buckets: [1e3, 1e6] });
 * queued.observe(512);    // a job of 512 bytes is queued
 * queued.unobserve(512);  // ... and taken off the queue
 * ```
 */
export class GaugeHistogram<L extends string = never> extends Metric<L, GaugeHistogramChild> {
  /** The bucket upper bounds, ending with `+Inf`. */
  readonly buckets: readonly number[];
  private readonly layout: BucketLayout;
  private readonly sampleNames: GaugeHistogramSampleNames;

  /**
   * Validates the definition (`InvalidBucketsError` for bad buckets) and registers (see
   * {@link MetricOptions.registry}); returns the already registered gauge histogram when one
   * with the same definition exists (get-or-create).
   */
  constructor(options: GaugeHistogramOptions<L>) {
    super(options, 'gaugehistogram');
    this.layout = new BucketLayout(this.name, options.buckets ?? DEFAULT_BUCKETS);
    this.buckets = Object.freeze(Array.from(this.layout.bounds));
    this.sampleNames = { bucket: `${this.name}_bucket`, gcount: `${this.name}_gcount`, gsum: `${this.name}_gsum` };
    const active = this.joinRegistry(options.registry);
    if (active !== this) return active;
  }

  /** Adds an item of size `value` to the unlabelled series. */
  observe(...args: UnlabelledArgs<L, [value: number]>): void;
  /** Adds an item of size `value` to the series of `labels`. */
  observe(labels: LabelValues<L>, value: number): void;
  observe(first: number | LabelValues<L>, second?: number): void {
    if (typeof first === 'object' && first !== null) this.childFor(first).observe(second as number);
    else this.defaultChild().observe(first);
  }

  /** Takes an item of size `value` back from the unlabelled series. */
  unobserve(...args: UnlabelledArgs<L, [value: number]>): void;
  /** Takes an item of size `value` back from the series of `labels`. */
  unobserve(labels: LabelValues<L>, value: number): void;
  unobserve(first: number | LabelValues<L>, second?: number): void {
    if (typeof first === 'object' && first !== null) this.childFor(first).unobserve(second as number);
    else this.defaultChild().unobserve(first);
  }

  /** Replaces the unlabelled series' distribution (see {@link GaugeHistogramChild.set}). */
  set(...args: UnlabelledArgs<L, [bucketCounts: readonly number[], sum: number]>): void;
  /** Replaces the distribution of the series of `labels` (see {@link GaugeHistogramChild.set}). */
  set(labels: LabelValues<L>, bucketCounts: readonly number[], sum: number): void;
  set(first: readonly number[] | LabelValues<L>, second: number | readonly number[], third?: number): void {
    if (Array.isArray(first)) this.defaultChild().set(first as readonly number[], second as number);
    else this.childFor(first as LabelValues<L>).set(second as readonly number[], third as number);
  }

  /** One `gaugehistogram` family: per series, cumulative buckets, `_gcount` and `_gsum`. */
  collect(): MetricFamily[] {
    return runSteps(this.startSteps());
  }

  /** {@link collect} in steps. */
  protected stepsOver(children: readonly GaugeHistogramChild[], size: number): CollectSteps {
    return this.sampleSteps(children, size, (child, samples) => child.collectInto(samples, this.sampleNames, this.labelNames));
  }

  protected override configConflict(other: GaugeHistogram<string>): string | undefined {
    return listConflict('buckets', this.buckets, other.buckets);
  }

  protected createChild(_labelValues: readonly string[], labels: LabelSet): GaugeHistogramChild {
    return new GaugeHistogramChild(this.name, this.layout, labels);
  }
}
