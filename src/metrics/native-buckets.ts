import { InvalidOptionsError, NATIVE_SCHEMA_MIN, type Exemplar, type NativeBucketSpan, type NativeHistogram } from '../model/index.js';
import { indexerFor, schemaForFactor, type SchemaIndexer } from './native-schema.js';

/**
 * Native (sparse exponential) buckets of a {@link Histogram}: Prometheus 2.40+ with
 * `--enable-feature=native-histograms` stores them when it scrapes the protobuf format.
 *
 * When a series holds more than `maxBuckets` populated buckets, its schema is reduced by
 * one (each pair of neighbouring buckets merges into one, so the resolution halves) until
 * it fits. Nothing is lost and the series stays a counter; the price is that the series
 * keeps the coarser resolution until the histogram is cleared. (client_golang can also
 * reset a series after a minimum duration; a reset loses the increase since the last
 * scrape, so promkit does not.) At schema -4 no more reduction is possible and the limit
 * may be exceeded.
 */
export interface NativeHistogramOptions {
  /**
   * The largest ratio wanted between neighbouring bucket bounds, > 1. The schema is the
   * coarsest whose ratio (`2^(2^-schema)`) is not above it, from -4 to 8. Default 1.1
   * (schema 3, ratio 1.0905).
   */
  readonly bucketFactor?: number;
  /** Observations with `|v| <=` this go into the zero bucket. Default `2^-128`, as client_golang. */
  readonly zeroThreshold?: number;
  /**
   * The most populated buckets (positive and negative) per series before the schema is
   * reduced. Default 160; 0 for no limit.
   */
  readonly maxBuckets?: number;
  /**
   * Accepts negative observations (in negative buckets). The classic samples then have no
   * `_sum` and `_count` (OpenMetrics reads a histogram's sum as a counter), as with a
   * negative classic bound; the protobuf exposition still carries both. Default `false`:
   * a negative observation is refused (`InvalidValueError`).
   */
  readonly negativeObservations?: boolean;
}

/** The default {@link NativeHistogramOptions.zeroThreshold}. */
export const DEFAULT_NATIVE_ZERO_THRESHOLD = 2 ** -128;
/** The default {@link NativeHistogramOptions.bucketFactor}. */
export const DEFAULT_NATIVE_BUCKET_FACTOR = 1.1;
/** The default {@link NativeHistogramOptions.maxBuckets}. */
export const DEFAULT_NATIVE_MAX_BUCKETS = 160;

/**
 * Native options checked and resolved, shared by every series of one histogram.
 *
 * @internal Used by `Histogram`.
 */
export class NativeConfig {
  readonly schema: number;
  readonly zeroThreshold: number;
  readonly maxBuckets: number;
  readonly negativeObservations: boolean;
  readonly bucketFactor: number;

  /** Checks `options` (`InvalidOptionsError` naming `metric`). */
  constructor(metric: string, options: NativeHistogramOptions) {
    if (options === null || typeof options !== 'object') throw new InvalidOptionsError(metric, 'native must be an object of native histogram options');
    const factor = options.bucketFactor ?? DEFAULT_NATIVE_BUCKET_FACTOR;
    if (typeof factor !== 'number' || !(factor > 1) || factor === Infinity) throw new InvalidOptionsError(metric, `native.bucketFactor must be a finite number > 1, got ${String(factor)}`);
    const threshold = options.zeroThreshold ?? DEFAULT_NATIVE_ZERO_THRESHOLD;
    if (typeof threshold !== 'number' || !(threshold >= 0) || threshold === Infinity) throw new InvalidOptionsError(metric, `native.zeroThreshold must be a finite number >= 0, got ${String(threshold)}`);
    const max = options.maxBuckets ?? DEFAULT_NATIVE_MAX_BUCKETS;
    if (typeof max !== 'number' || !Number.isSafeInteger(max) || max < 0) throw new InvalidOptionsError(metric, `native.maxBuckets must be a non-negative integer, got ${String(max)}`);
    const negative = options.negativeObservations ?? false;
    if (typeof negative !== 'boolean') throw new InvalidOptionsError(metric, 'native.negativeObservations must be a boolean');
    this.bucketFactor = factor;
    this.schema = schemaForFactor(factor);
    this.zeroThreshold = threshold;
    this.maxBuckets = max;
    this.negativeObservations = negative;
  }

  /** The options as given back (defaults filled in), to compare two definitions. */
  describe(): string {
    return `bucketFactor ${this.bucketFactor}, zeroThreshold ${this.zeroThreshold}, maxBuckets ${this.maxBuckets}, negativeObservations ${this.negativeObservations}`;
  }
}

const NO_SPANS: readonly NativeBucketSpan[] = Object.freeze([]);
const NO_COUNTS: readonly number[] = Object.freeze([]);

/**
 * The bucket counts of one sign: a dense window of counts over the bucket indexes from
 * `base` up, grown as observations land outside it. Dense rather than a map because the
 * populated buckets of real data are mostly neighbours, and an array index is what keeps
 * a native observation close to a classic one in cost.
 */
class SignedBuckets {
  counts = new Float64Array(0);
  base = 0;

  /** Adds one observation to bucket `index`; true when that bucket was empty. */
  add(index: number): boolean {
    let at = index - this.base;
    if (at < 0 || at >= this.counts.length) at = this.grow(index);
    return this.counts[at]++ === 0;
  }

  private grow(index: number): number {
    const old = this.counts;
    if (old.length === 0) {
      this.counts = new Float64Array(16);
      this.base = index - 8;
      return 8;
    }
    const low = Math.min(this.base, index);
    const high = Math.max(this.base + old.length - 1, index);
    const size = Math.max(old.length * 2, high - low + 1 + 8);
    // The slack goes to the side that grew: data tends to keep spreading that way.
    const base = index < this.base ? high - size + 1 : low;
    const counts = new Float64Array(size);
    counts.set(old, this.base - base);
    this.counts = counts;
    this.base = base;
    return index - base;
  }

  /** Merges neighbouring pairs (schema - 1): bucket `i` goes to `ceil(i / 2)`. Returns the populated buckets. */
  halve(): number {
    const old = this.counts;
    if (old.length === 0) return 0;
    const oldBase = this.base;
    const base = (oldBase + 1) >> 1;
    const counts = new Float64Array(((oldBase + old.length) >> 1) - base + 2);
    let populated = 0;
    for (let i = 0; i < old.length; i++) {
      if (old[i] === 0) continue;
      const at = ((oldBase + i + 1) >> 1) - base;
      if (counts[at] === 0) populated++;
      counts[at] += old[i];
    }
    this.counts = counts;
    this.base = base;
    return populated;
  }

  /** Spans and counts of the populated buckets (an empty bucket ends a span). */
  snapshot(): { spans: readonly NativeBucketSpan[]; counts: readonly number[] } {
    const window = this.counts;
    const spans: NativeBucketSpan[] = [];
    const counts: number[] = [];
    let end = 0; // index after the previous span
    let start = -1;
    for (let i = 0; i <= window.length; i++) {
      const filled = i < window.length && window[i] !== 0;
      if (filled) {
        if (start < 0) start = i;
        counts.push(window[i]);
      } else if (start >= 0) {
        const first = this.base + start;
        spans.push({ offset: spans.length === 0 ? first : first - end, length: i - start });
        end = this.base + i;
        start = -1;
      }
    }
    return counts.length === 0 ? { spans: NO_SPANS, counts: NO_COUNTS } : { spans, counts };
  }
}

/**
 * The native buckets of one histogram series. Its count and sum are the classic series'
 * (every observation goes to both).
 *
 * @internal Used by `HistogramChild`.
 */
export class NativeBuckets {
  private indexer: SchemaIndexer;
  private zeroCount = 0;
  private populated = 0;
  // Copied from the config: the hot path reads this object only.
  private readonly zeroThreshold: number;
  /** The bucket limit, or `Infinity` for none. */
  private readonly maxBuckets: number;
  private readonly positive = new SignedBuckets();
  private readonly negative = new SignedBuckets();

  constructor(private readonly config: NativeConfig) {
    this.indexer = indexerFor(config.schema);
    this.zeroThreshold = config.zeroThreshold;
    this.maxBuckets = config.maxBuckets === 0 ? Infinity : config.maxBuckets;
  }

  /** Records a finite `value` (its sign already checked against the options). */
  observe(value: number): void {
    const magnitude = value < 0 ? -value : value;
    if (magnitude <= this.zeroThreshold) {
      this.zeroCount++;
      return;
    }
    if ((value > 0 ? this.positive : this.negative).add(this.indexer.index(magnitude)) && ++this.populated > this.maxBuckets) this.reduce();
  }

  /** Halves the resolution until the populated buckets fit (or the schema is -4). */
  private reduce(): void {
    while (this.populated > this.maxBuckets && this.indexer.schema > NATIVE_SCHEMA_MIN) {
      this.indexer = indexerFor(this.indexer.schema - 1);
      this.populated = this.positive.halve() + this.negative.halve();
    }
  }

  /** This series' native part, with the classic series' `count` and `sum`. */
  snapshot(count: number, sum: number, exemplars: readonly Exemplar[] | undefined): NativeHistogram {
    const positive = this.positive.snapshot();
    const negative = this.negative.snapshot();
    const histogram = {
      schema: this.indexer.schema,
      zeroThreshold: this.config.zeroThreshold,
      zeroCount: this.zeroCount,
      count,
      sum,
      positiveSpans: positive.spans,
      positiveCounts: positive.counts,
      negativeSpans: negative.spans,
      negativeCounts: negative.counts,
    };
    return exemplars === undefined || exemplars.length === 0 ? histogram : { ...histogram, exemplars };
  }
}
