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

/** Mantissa bits that pick a cell of {@link FIRST_CANDIDATE}: 4096 cells, each narrower than any gap between two bounds. */
const CELL_BITS = 12;

/**
 * Per positive schema and per cell of the top mantissa bits: the first bound index that
 * can be `>=` a fraction in that cell. A cell holds at most one bound (the narrowest gap,
 * at schema 8, is ten cells wide), so one comparison finishes the search: a lookup in
 * place of a binary search on the hot path.
 */
const FIRST_CANDIDATE: readonly Uint16Array[] = FRACTION_BOUNDS.map((bounds) => {
  const cells = new Uint16Array(bounds.length === 0 ? 0 : 1 << CELL_BITS);
  let j = 0;
  for (let cell = 0; cell < cells.length; cell++) {
    // The smallest fraction of the cell: 0.5 + cell / 2^(CELL_BITS + 1).
    const low = 0.5 + cell / (1 << (CELL_BITS + 1));
    while (j < bounds.length && bounds[j] < low) j++;
    cells[cell] = j;
  }
  return cells;
});

// One float64 seen as two 32-bit words, to read its exponent and mantissa (frexp without
// writing the float back: a 32-bit store read back as 64 bits would stall the CPU).
const float = new Float64Array(1);
const words = new Int32Array(float.buffer);
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LOW = 1 - HIGH;
const TWO_TO_64 = 2 ** 64;
/** Flips the sign bit, so that signed order of the result is the unsigned order of a 32-bit word. */
const SIGN = -0x80000000;

/** Per positive schema, each bound's mantissa: its 20 high bits, and its 32 low bits sign-flipped (see {@link SIGN}). */
const BOUND_HIGH: readonly Int32Array[] = FRACTION_BOUNDS.map((bounds) =>
  Int32Array.from(bounds, (bound) => {
    float[0] = bound;
    return words[HIGH] & 0xfffff;
  }),
);
const BOUND_LOW: readonly Int32Array[] = FRACTION_BOUNDS.map((bounds) =>
  Int32Array.from(bounds, (bound) => {
    float[0] = bound;
    return words[LOW] ^ SIGN;
  }),
);

/**
 * Finds native bucket indexes at one schema: the schema's tables held in fields, so the
 * hot path reads them from one object. One instance per schema, shared.
 *
 * @internal Used by the native buckets of a histogram series.
 */
export class SchemaIndexer {
  private readonly candidates: Uint16Array;
  private readonly boundHigh: Int32Array;
  private readonly boundLow: Int32Array;
  private readonly size: number;

  constructor(readonly schema: number) {
    const positive = schema > 0 ? schema : 0;
    this.candidates = FIRST_CANDIDATE[positive];
    this.boundHigh = BOUND_HIGH[positive];
    this.boundLow = BOUND_LOW[positive];
    this.size = schema > 0 ? 1 << schema : 0;
  }

  /**
   * The index of the bucket holding `magnitude` (finite, > 0): bucket `i` holds
   * `(base^(i-1), base^i]` with `base = 2^(2^-schema)`. Exact at the bounds: it works on
   * the float's exponent and mantissa bits rather than on logarithms.
   */
  index(magnitude: number): number {
    float[0] = magnitude;
    let high = words[HIGH];
    let exponent = ((high >>> 20) & 0x7ff) - 1022;
    if (exponent === -1022) {
      // Subnormal: scale into the normal range first.
      float[0] = magnitude * TWO_TO_64;
      high = words[HIGH];
      exponent = ((high >>> 20) & 0x7ff) - 1022 - 64;
    }
    // The value is fraction * 2^exponent with the fraction in [0.5, 1): the mantissa bits.
    const mantissaHigh = high & 0xfffff;
    const size = this.size;
    if (size !== 0) {
      let j = this.candidates[mantissaHigh >>> (20 - CELL_BITS)];
      if (j < size) {
        const boundHigh = this.boundHigh[j];
        if (boundHigh < mantissaHigh || (boundHigh === mantissaHigh && this.boundLow[j] < (words[LOW] ^ SIGN))) j++;
      }
      return j + (exponent - 1) * size;
    }
    // A fraction of exactly 0.5 (a power of two) is the top of the bucket below.
    const key = mantissaHigh === 0 && words[LOW] === 0 ? exponent - 1 : exponent;
    const shift = -this.schema;
    return shift === 0 ? key : (key + (1 << shift) - 1) >> shift;
  }
}

/** One {@link SchemaIndexer} per schema, by `schema - NATIVE_SCHEMA_MIN`. */
const INDEXERS: readonly SchemaIndexer[] = Array.from({ length: NATIVE_SCHEMA_MAX - NATIVE_SCHEMA_MIN + 1 }, (_, i) => new SchemaIndexer(i + NATIVE_SCHEMA_MIN));

/** The shared indexer of `schema` (-4..8). */
export function indexerFor(schema: number): SchemaIndexer {
  return INDEXERS[schema - NATIVE_SCHEMA_MIN];
}

/** The index of the native bucket holding `magnitude` (finite, > 0) at `schema` (see {@link SchemaIndexer.index}). */
export function nativeBucketIndex(magnitude: number, schema: number): number {
  return indexerFor(schema).index(magnitude);
}

/** The upper bound of native bucket `index` at `schema` (its lower bound is that of `index - 1`). */
export function nativeBucketUpperBound(index: number, schema: number): number {
  return Math.pow(2, index * Math.pow(2, -schema));
}
