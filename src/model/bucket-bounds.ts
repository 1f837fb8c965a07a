import { InvalidBucketsError } from './errors.js';

/**
 * The rule for histogram bucket bounds, shared by the instruments and the family builders:
 * numbers, strictly increasing, at least one besides `+Inf` (unless `infOnly` allows none,
 * for the classic part of a native histogram), which may only come last (and is implied
 * when missing). Returns the finite bounds, without `+Inf`.
 *
 * @throws {@link InvalidBucketsError} naming `metric`.
 */
export function finiteBucketBounds(metric: string, buckets: readonly number[], infOnly = false): number[] {
  if (!Array.isArray(buckets)) throw new InvalidBucketsError(metric, 'buckets must be an array of numbers');
  const finite = buckets.length > 0 && buckets[buckets.length - 1] === Infinity ? buckets.slice(0, -1) : buckets.slice();
  if (finite.length === 0 && !infOnly) throw new InvalidBucketsError(metric, 'at least one bucket bound besides +Inf is required');
  for (let i = 0; i < finite.length; i++) {
    const bound: unknown = finite[i];
    if (typeof bound !== 'number' || Number.isNaN(bound)) throw new InvalidBucketsError(metric, `bound #${i} is not a number: ${String(bound)}`);
    if (bound === Infinity) throw new InvalidBucketsError(metric, '+Inf may appear only once, as the last bound');
    if (i > 0 && !(bound > finite[i - 1])) {
      throw new InvalidBucketsError(
        metric,
        bound === finite[i - 1] ? `bound ${bound} is duplicated` : `bounds must be sorted ascending; ${bound} follows ${finite[i - 1]} (they must be strictly increasing)`,
      );
    }
  }
  return finite;
}

/**
 * A histogram with a negative bound writes neither `_sum` nor `_count`: its sum is no
 * longer a counter, and OpenMetrics allows `_count` only with `_sum`.
 */
export function hasNegativeBound(finiteBounds: readonly number[]): boolean {
  return finiteBounds.length > 0 && finiteBounds[0] < 0;
}
