import { InvalidValueError } from '../model/index.js';
import type { Exemplar, LabelSet, MetricFamily, Sample } from '../model/index.js';
import { BucketLayout, DEFAULT_BUCKETS, observationProblem } from './buckets.js';
import { listConflict } from './definition-conflict.js';
import { createExemplar } from './exemplar.js';
import { Metric } from './metric.js';
import type { LabelValues, MetricOptions } from './metric.js';
import { mergeLabels, monotonicSeconds, secondsSince, timeCall } from './timing.js';

/**
 * Options of a {@link Histogram}.
 *
 * @typeParam L - the label names.
 */
export interface HistogramOptions<L extends string = never> extends MetricOptions<L> {
  /**
   * Upper bounds, strictly increasing; `+Inf` is added when missing. Default
   * {@link DEFAULT_BUCKETS}. See also `linearBuckets` and `exponentialBuckets`.
   */
  readonly buckets?: readonly number[];
}

/** One histogram series (bound to label values by `histogram.labels(...)`). */
export class HistogramChild {
  private readonly counts: Float64Array;
  private count = 0;
  private sum = 0;
  private created = Date.now() / 1000;
  private exemplars: (Exemplar | undefined)[] | undefined = undefined;

  /** @internal Created by `Histogram`. */
  constructor(
    private readonly metric: string,
    private readonly layout: BucketLayout,
    private readonly labels: LabelSet,
  ) {
    this.counts = new Float64Array(layout.bounds.length);
  }

  /**
   * Records `value` (not NaN) in its bucket, the count and the sum. With `exemplarLabels`
   * (e.g. `{ trace_id }`), the observation becomes the exemplar of its bucket.
   *
   * A negative value needs a negative bucket bound: OpenMetrics treats the sum of a
   * histogram without one as a counter, which cannot go down, so it is refused
   * (`InvalidValueError`) rather than exposed as a sum the scraper would reject.
   */
  observe(value: number, exemplarLabels?: LabelSet): void {
    if (typeof value !== 'number' || value !== value || (value < 0 && !this.layout.hasNegativeBound)) {
      throw new InvalidValueError(this.metric, observationProblem(value));
    }
    const bucket = this.layout.indexOf(value);
    // The exemplar is built first so that a rejected one leaves the histogram untouched.
    if (exemplarLabels !== undefined) {
      const exemplar = createExemplar(this.metric, exemplarLabels, value);
      (this.exemplars ??= new Array<Exemplar | undefined>(this.counts.length).fill(undefined))[bucket] = exemplar;
    }
    this.counts[bucket] += 1;
    this.count += 1;
    this.sum += value;
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

  /**
   * Runs `fn` and observes its duration in seconds. A returned promise is passed through
   * and observed when it settles; a synchronous function stays synchronous.
   */
  time<T>(fn: () => T): T {
    return timeCall(fn, (seconds) => this.observe(seconds));
  }

  /** The number of observations. */
  getCount(): number {
    return this.count;
  }

  /** The sum of the observations. */
  getSum(): number {
    return this.sum;
  }

  /** @internal Appends this series' samples: cumulative `_bucket`s, `_count` and `_sum` (without negative bounds), `_created`. */
  collectInto(samples: Sample[], names: HistogramSampleNames, keys: readonly string[]): void {
    const labels = this.labels;
    const le = this.layout.le;
    const counts = this.counts;
    const exemplars = this.exemplars;
    let cumulative = 0;
    for (let i = 0; i < counts.length; i++) {
      cumulative += counts[i];
      const bucketLabels: Record<string, string> = {};
      for (let k = 0; k < keys.length; k++) bucketLabels[keys[k]] = labels[keys[k]];
      bucketLabels.le = le[i];
      const exemplar = exemplars === undefined ? undefined : exemplars[i];
      samples.push(
        exemplar === undefined
          ? { name: names.bucket, labels: bucketLabels, value: cumulative }
          : { name: names.bucket, labels: bucketLabels, value: cumulative, exemplar },
      );
    }
    // OpenMetrics: no sum with negative bounds, and a _count only alongside a _sum (the
    // +Inf bucket still carries the count).
    if (!this.layout.hasNegativeBound) samples.push({ name: names.count, labels, value: this.count }, { name: names.sum, labels, value: this.sum });
    samples.push({ name: names.created, labels, value: this.created });
  }
}

/** @internal The sample names of one histogram, computed once. */
export interface HistogramSampleNames {
  readonly bucket: string;
  readonly count: string;
  readonly sum: string;
  readonly created: string;
}

/**
 * A histogram: counts observations (request latencies, response sizes) in cumulative
 * buckets, with their count and sum. Exposed as `<name>_bucket{le="..."}`, `<name>_count`,
 * `<name>_sum` (left out when a bucket bound is negative, as OpenMetrics requires) and
 * `<name>_created`.
 *
 * @typeParam L - the label names (inferred from `labelNames`).
 * @example
 * ```ts
 * const latency = new Histogram({ name: 'http_request_duration_seconds', help: 'Latency.', labelNames: ['route'] });
 * latency.observe({ route: '/' }, 0.042);
 * const users = latency.labels({ route: '/users' }); // bind once, record fast
 * await users.time(() => fetchUsers());                // observes when the promise settles
 * ```
 */
export class Histogram<L extends string = never> extends Metric<L, HistogramChild> {
  /** The bucket upper bounds, ending with `+Inf`. */
  readonly buckets: readonly number[];
  private readonly layout: BucketLayout;
  private readonly sampleNames: HistogramSampleNames;

  /**
   * Validates the definition (`InvalidBucketsError` for bad buckets) and registers (see
   * {@link MetricOptions.registry}); returns the already registered histogram when one with
   * the same definition exists (get-or-create).
   */
  constructor(options: HistogramOptions<L>) {
    super(options, 'histogram');
    this.layout = new BucketLayout(this.name, options.buckets ?? DEFAULT_BUCKETS);
    this.buckets = Object.freeze(Array.from(this.layout.bounds));
    this.sampleNames = {
      bucket: `${this.name}_bucket`,
      count: `${this.name}_count`,
      sum: `${this.name}_sum`,
      created: `${this.name}_created`,
    };
    const active = this.joinRegistry(options.registry);
    if (active !== this) return active;
  }

  /** Records `value` in the unlabelled series, optionally as its bucket's exemplar. */
  observe(value: number, exemplarLabels?: LabelSet): void;
  /** Records `value` in the series of `labels`, optionally as its bucket's exemplar. */
  observe(labels: LabelValues<L>, value: number, exemplarLabels?: LabelSet): void;
  observe(first: number | LabelValues<L>, second?: number | LabelSet, third?: LabelSet): void {
    if (typeof first === 'object' && first !== null) {
      this.childFor(first).observe(second as number, third);
      return;
    }
    const child = this.unlabelledChild;
    (child === undefined ? this.defaultChild() : child).observe(first, second as LabelSet | undefined);
  }

  /**
   * Starts a timer. The returned function observes the elapsed seconds and returns them;
   * label values may be given at the start, at the end, or split between both.
   */
  startTimer(labels?: Partial<LabelValues<L>>): (endLabels?: Partial<LabelValues<L>>) => number {
    const start = monotonicSeconds();
    return (endLabels) => {
      const seconds = secondsSince(start);
      const merged = mergeLabels(labels, endLabels);
      (merged === undefined ? this.defaultChild() : this.childFor(merged as LabelValues<L>)).observe(seconds);
      return seconds;
    };
  }

  /**
   * Runs `fn` and observes its duration in seconds in the unlabelled series. A returned
   * promise is passed through (same value or rejection) and observed when it settles.
   */
  time<T>(fn: () => T): T;
  /** Runs `fn` and observes its duration in the series of `labels` (Promise-aware). */
  time<T>(labels: LabelValues<L>, fn: () => T): T;
  time<T>(first: LabelValues<L> | (() => T), second?: () => T): T {
    return typeof first === 'function' ? this.defaultChild().time(first) : this.childFor(first).time(second as () => T);
  }

  /** The series bound to `labels` (by name), created when new. */
  labels(labels: LabelValues<L>): HistogramChild;
  /** The series bound to positional label values (in `labelNames` order), created when new. */
  labels(...values: (string | number)[]): HistogramChild;
  labels(...args: unknown[]): HistogramChild {
    return this.series.resolve(args);
  }

  /** One `histogram` family: per series, cumulative buckets, `_count`, `_sum` and `_created`. */
  collect(): MetricFamily[] {
    const samples: Sample[] = [];
    for (const child of this.series.children) child.collectInto(samples, this.sampleNames, this.labelNames);
    return [{ name: this.name, type: this.type, help: this.help, unit: this.unit, samples }];
  }

  protected override configConflict(other: Histogram<string>): string | undefined {
    return listConflict('buckets', this.buckets, other.buckets);
  }

  protected createChild(_labelValues: readonly string[], labels: LabelSet): HistogramChild {
    return new HistogramChild(this.name, this.layout, labels);
  }
}
