import type { Exemplar, LabelSet } from './sample.js';

/** The lowest and highest schema Prometheus accepts for a native histogram. */
export const NATIVE_SCHEMA_MIN = -4;
/** See {@link NATIVE_SCHEMA_MIN}. */
export const NATIVE_SCHEMA_MAX = 8;

/**
 * A run of consecutive native buckets: `offset` is the index of its first bucket, counted
 * from the end of the previous span (from 0 for the first span, so it may be negative),
 * and `length` the number of buckets in it.
 */
export interface NativeBucketSpan {
  /** The gap to the previous span (any integer for the first span, not negative after it). */
  readonly offset: number;
  /** How many consecutive buckets the span holds (not negative). */
  readonly length: number;
}

/**
 * The sparse exponential buckets of one native histogram series, as Prometheus's
 * `metrics.proto` carries them (with absolute counts rather than deltas).
 *
 * With schema `s`, bucket `i` holds the observations `v` with `base^(i-1) < |v| <= base^i`
 * where `base = 2^(2^-s)`; observations with `|v| <= zeroThreshold` are in the zero bucket.
 */
export interface NativeHistogram {
  /** The resolution: -4 (factor 65536) to 8 (factor 1.0027). */
  readonly schema: number;
  /** The zero bucket's half-width (not negative). */
  readonly zeroThreshold: number;
  /** Observations in the zero bucket. */
  readonly zeroCount: number;
  /** All observations: `zeroCount` plus every bucket count. */
  readonly count: number;
  /** The sum of the observations (may be negative with negative observations). */
  readonly sum: number;
  /** Where the populated positive buckets are. */
  readonly positiveSpans: readonly NativeBucketSpan[];
  /** The counts of the positive buckets the spans cover, in order. */
  readonly positiveCounts: readonly number[];
  /** Where the populated negative buckets are (indexed by `|v|`). */
  readonly negativeSpans: readonly NativeBucketSpan[];
  /** The counts of the negative buckets the spans cover, in order. */
  readonly negativeCounts: readonly number[];
  /** Exemplars of the native histogram (the protobuf exposition carries them). */
  readonly exemplars?: readonly Exemplar[];
}

/**
 * The native part of one histogram series: the labels of the series (as its `_count` sample
 * carries them) and its native buckets. The series' classic samples stay in the family's
 * `samples` (at least `_bucket{le="+Inf"}`), which is what the text formats show.
 */
export interface NativeHistogramSeries {
  /** The series' labels, without `le`. */
  readonly labels: LabelSet;
  /** Its native buckets. */
  readonly histogram: NativeHistogram;
}
