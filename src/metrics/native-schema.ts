import { NATIVE_SCHEMA_MAX, NATIVE_SCHEMA_MIN } from '../model/index.js';

/**
 * The schema for a bucket factor: the coarsest schema whose neighbouring bucket bounds are
 * at most `bucketFactor` apart (`2^(2^-schema) <= bucketFactor`), clamped to -4..8, the way
 * Prometheus's clients pick it. A factor of 1.1 gives schema 3 (factor 1.0905).
 */
export function schemaForFactor(bucketFactor: number): number {
  const floor = Math.floor(Math.log2(Math.log2(bucketFactor)));
  if (floor <= -NATIVE_SCHEMA_MAX) return NATIVE_SCHEMA_MAX;
  if (floor >= -NATIVE_SCHEMA_MIN) return NATIVE_SCHEMA_MIN;
  return 0 - floor;
}

/**
 * Per positive schema, the bucket bounds within one power of two as fractions in [0.5, 1):
 * `2^(j / 2^schema - 1)`. Index 0 is unused (schemas 1..8).
 */
const FRACTION_BOUNDS: readonly Float64Array[] = Array.from({ length: NATIVE_SCHEMA_MAX + 1 }, (_, schema) =>
  Float64Array.from({ length: schema === 0 ? 0 : 1 << schema }, (_x, j) => Math.pow(2, j / (1 << schema) - 1)),
);

// One float64 seen as two 32-bit words, to split a value into fraction and exponent (frexp).
const float = new Float64Array(1);
const words = new Uint32Array(float.buffer);
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const TWO_TO_64 = 2 ** 64;

/**
 * The index of the native bucket holding `magnitude` (finite, > 0) at `schema`: bucket
 * `i` holds `(base^(i-1), base^i]` with `base = 2^(2^-schema)`. Exact at the bounds: it
 * works on the float's fraction and exponent rather than on logarithms.
 */
export function nativeBucketIndex(magnitude: number, schema: number): number {
  float[0] = magnitude;
  let high = words[HIGH];
  let biased = (high >>> 20) & 0x7ff;
  let exponent = biased - 1022;
  if (biased === 0) {
    // Subnormal: scale into the normal range first.
    float[0] = magnitude * TWO_TO_64;
    high = words[HIGH];
    biased = (high >>> 20) & 0x7ff;
    exponent = biased - 1022 - 64;
  }
  // The fraction in [0.5, 1): the same mantissa with the exponent of 0.5.
  words[HIGH] = (high & 0x800fffff) | (1022 << 20);
  const fraction = float[0];
  if (schema > 0) {
    const bounds = FRACTION_BOUNDS[schema];
    let lo = 0;
    let hi = bounds.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (bounds[mid] < fraction) lo = mid + 1;
      else hi = mid;
    }
    return lo + (exponent - 1) * bounds.length;
  }
  const key = fraction === 0.5 ? exponent - 1 : exponent;
  if (schema === 0) return key;
  const shift = -schema;
  return (key + (1 << shift) - 1) >> shift;
}

/** The upper bound of native bucket `index` at `schema` (its lower bound is that of `index - 1`). */
export function nativeBucketUpperBound(index: number, schema: number): number {
  return Math.pow(2, index * Math.pow(2, -schema));
}
