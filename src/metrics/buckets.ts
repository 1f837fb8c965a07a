import { finiteBucketBounds, formatFloat, hasNegativeBound, InvalidOptionsError } from '../model/index.js';

/**
 * client_python's and client_golang's default histogram buckets (seconds, for request
 * latencies), ending with `+Inf`: `.005 .01 .025 .05 .075 .1 .25 .5 .75 1 2.5 5 7.5 10 +Inf`.
 */
export const DEFAULT_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, Infinity,
]);

/**
 * `count` buckets starting at `start`, each `width` wider than the last (as client_golang's
 * `LinearBuckets`; `+Inf` is added by the histogram).
 *
 * @example
 * ```ts
 * linearBuckets(0, 10, 4); // [0, 10, 20, 30]
 * ```
 */
export function linearBuckets(start: number, width: number, count: number): number[] {
  if (!Number.isFinite(start)) throw new InvalidOptionsError(undefined, `linearBuckets start must be a finite number, got ${start}`);
  if (!(width > 0) || !Number.isFinite(width)) throw new InvalidOptionsError(undefined, `linearBuckets width must be a positive number, got ${width}`);
  if (!Number.isInteger(count) || count < 1) throw new InvalidOptionsError(undefined, `linearBuckets count must be a positive integer, got ${count}`);
  const buckets = new Array<number>(count);
  let bound = start;
  for (let i = 0; i < count; i++) {
    buckets[i] = bound;
    bound += width; // accumulated like client_golang, so both clients spell the same `le`
  }
  return buckets;
}

/**
 * `count` buckets starting at `start`, each `factor` times the last (as client_golang's
 * `ExponentialBuckets`; `+Inf` is added by the histogram).
 *
 * @example
 * ```ts
 * exponentialBuckets(1, 2, 4); // [1, 2, 4, 8]
 * ```
 */
export function exponentialBuckets(start: number, factor: number, count: number): number[] {
  if (!(start > 0) || !Number.isFinite(start)) throw new InvalidOptionsError(undefined, `exponentialBuckets start must be a positive number, got ${start}`);
  if (!(factor > 1) || !Number.isFinite(factor)) throw new InvalidOptionsError(undefined, `exponentialBuckets factor must be greater than 1, got ${factor}`);
  if (!Number.isInteger(count) || count < 1) throw new InvalidOptionsError(undefined, `exponentialBuckets count must be a positive integer, got ${count}`);
  const buckets = new Array<number>(count);
  let bound = start;
  for (let i = 0; i < count; i++) {
    buckets[i] = bound;
    bound *= factor;
  }
  return buckets;
}

/** Below this many buckets a linear scan beats a binary search. */
const LINEAR_SEARCH_MAX = 16;

/**
 * A validated bucket layout shared by every series of a histogram: upper bounds ending in
 * `+Inf` (a `Float64Array` for the search) and their `le` spellings.
 *
 * @internal Used by `Histogram` and `GaugeHistogram`.
 */
export class BucketLayout {
  /** Upper bounds, strictly increasing, the last one `+Inf`. */
  readonly bounds: Float64Array;
  /** `le` label values, via `formatFloat`: `0.005`, `1.0`, `+Inf`. */
  readonly le: readonly string[];
  /** A negative bound makes `_sum` meaningless as a counter; OpenMetrics then omits it. */
  readonly hasNegativeBound: boolean;

  /**
   * Validates `buckets` (throws `InvalidBucketsError` naming `metric`); a trailing `+Inf` is
   * optional, and with `infOnly` (a native histogram's classic part) it may be the only one.
   */
  constructor(metric: string, buckets: readonly number[], infOnly = false) {
    const finite = finiteBucketBounds(metric, buckets, infOnly);
    this.bounds = Float64Array.from([...finite, Infinity]);
    this.le = Object.freeze(Array.from(this.bounds, formatFloat));
    this.hasNegativeBound = hasNegativeBound(finite);
  }

  /** The index of the first bucket whose bound is >= `value` (`value` is not NaN). */
  indexOf(value: number): number {
    const bounds = this.bounds;
    const n = bounds.length;
    if (n <= LINEAR_SEARCH_MAX) {
      let i = 0;
      while (value > bounds[i]) i++; // stops at the +Inf bound at the latest
      return i;
    }
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (value <= bounds[mid]) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** Why an observation was refused: not a number, NaN, infinite with native buckets, or negative without a negative bucket. */
export function observationProblem(value: unknown, native = false): string {
  if (typeof value !== 'number' || value !== value) return `cannot observe ${String(value)}; observations must be numbers, not NaN`;
  if (native && (value === Infinity || value === -Infinity)) return `cannot observe ${value}: native buckets take finite values only`;
  return `cannot observe ${value}: a negative observation needs a negative bucket bound or native buckets with negativeObservations (without one, OpenMetrics requires the sum to be a non-negative counter)`;
}
