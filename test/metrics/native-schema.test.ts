import fc from 'fast-check';
import { nativeBucketIndex, nativeBucketUpperBound, schemaForFactor } from '../../src/metrics/native-schema.js';

describe('native histogram schema', () => {
  it('picks the coarsest schema whose factor is not above the bucket factor, clamped to -4..8', () => {
    expect(schemaForFactor(1.1)).toBe(3);
    expect(schemaForFactor(2)).toBe(0);
    expect(schemaForFactor(4)).toBe(-1);
    expect(schemaForFactor(1.0001)).toBe(8);
    expect(schemaForFactor(1e30)).toBe(-4);
    for (const factor of [1.01, 1.05, 1.1, 1.5, 3, 100]) expect(Math.pow(2, Math.pow(2, -schemaForFactor(factor)))).toBeLessThanOrEqual(factor);
  });

  it('puts powers of two on bucket bounds: 1 in bucket 0, 2 at the top of bucket 2^schema', () => {
    for (let schema = -4; schema <= 8; schema++) {
      expect(nativeBucketIndex(1, schema)).toBe(0);
      if (schema >= 0) expect(nativeBucketIndex(2, schema)).toBe(1 << schema);
    }
    expect(nativeBucketIndex(1.2, 1)).toBe(1); // (1, 1.414]
    expect(nativeBucketIndex(1.5, 1)).toBe(2); // (1.414, 2]
    expect(nativeBucketIndex(3, -1)).toBe(1); // (1, 4]
    expect(nativeBucketIndex(4, -1)).toBe(1);
    expect(nativeBucketIndex(4.5, -1)).toBe(2);
    // Subnormals: 2^-1074 is the top of bucket -1074 at schema 0; 2^-1073 of -1073.
    expect(nativeBucketIndex(Number.MIN_VALUE, 0)).toBe(-1074);
    expect(nativeBucketIndex(Number.MIN_VALUE * 2, 0)).toBe(-1073);
    expect(nativeBucketIndex(Number.MIN_VALUE * 3, 0)).toBe(-1072);
  });

  it('finds a bucket whose bounds hold the value, for any magnitude and schema ', () => {
    fc.assert(
      fc.property(fc.double({ min: 2.3e-308, max: 1e300, noNaN: true }), fc.integer({ min: -4, max: 8 }), (value, schema) => {
        const index = nativeBucketIndex(value, schema);
        const upper = nativeBucketUpperBound(index, schema);
        const lower = nativeBucketUpperBound(index - 1, schema);
        // Math.pow may be an ulp off at a bound; a tiny relative slack allows for it.
        return value <= upper * (1 + 1e-12) && value > lower * (1 - 1e-12);
      }),
      { seed: 15, numRuns: 2000 },
    );
  });
});
