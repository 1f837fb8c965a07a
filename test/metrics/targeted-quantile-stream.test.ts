import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { quantileError, quantileRankErrorBound } from '../../src/metrics/index.js';
import { TargetedQuantileStream } from '../../src/metrics/targeted-quantile-stream.js';
import { distributions, rankExcess, seededRandom } from './quantile-check.js';

const TARGETS = [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999];

/** Feeds `values` in arrival order, in sorted batches of `batch` (as the summary's buffer does). */
function feed(stream: TargetedQuantileStream, values: readonly number[], batch: number): void {
  for (let start = 0; start < values.length; start += batch) {
    const chunk = Float64Array.from(values.slice(start, start + batch)).sort();
    stream.insertSorted(chunk, chunk.length);
  }
}

/**
 * The merge-and-compress pass written the plain way, one tuple per step with `f` evaluated at
 * every step, straight from the CKMS definition: the stream's pass (which takes runs of new
 * values in one step and evaluates `f` only when the rank before the pending tuple moves)
 * must keep exactly the same tuples.
 */
class ReferenceStream {
  values: number[] = [];
  gaps: number[] = [];
  deltas: number[] = [];
  n = 0;
  constructor(private readonly targets: readonly number[]) {}

  insertSorted(batch: readonly number[]): void {
    this.n += batch.length;
    const merged: [number, number, number][] = [];
    let i = 0;
    let j = 0;
    while (i < this.values.length || j < batch.length) {
      if (i < this.values.length && (j === batch.length || this.values[i] <= batch[j])) {
        merged.push([this.values[i], this.gaps[i], this.deltas[i]]);
        i++;
      } else {
        const exact = merged.length === 0 || i === this.values.length;
        merged.push([batch[j], 1, exact ? 0 : this.gaps[i] + this.deltas[i] - 1]);
        j++;
      }
    }
    const kept: [number, number, number][] = [];
    let before = 0;
    let pending = merged[0];
    for (let k = 1; k < merged.length; k++) {
      const next = merged[k];
      if (kept.length > 0 && pending[1] + next[1] + next[2] <= this.allowed(before)) {
        next[1] += pending[1];
      } else {
        kept.push(pending);
        before += pending[1];
      }
      pending = next;
    }
    kept.push(pending);
    this.values = kept.map((t) => t[0]);
    this.gaps = kept.map((t) => t[1]);
    this.deltas = kept.map((t) => t[2]);
  }

  private allowed(r: number): number {
    let allowed = Infinity;
    for (const phi of this.targets) {
      if (phi <= 0 || phi >= 1) continue;
      const epsilon = quantileError(phi);
      // The same slopes as the stream's, so both round alike at an integer boundary.
      allowed = Math.min(allowed, phi * this.n <= r ? ((2 * epsilon) / phi) * r : ((2 * epsilon) / (1 - phi)) * (this.n - r));
    }
    return allowed;
  }
}

/** {@link TargetedQuantileStream.query} over the reference's tuples. */
function referenceQuery(reference: ReferenceStream, phi: number): number {
  const { values, gaps, deltas, n } = reference;
  if (values.length === 0) return NaN;
  if (phi <= 0) return values[0];
  if (phi >= 1) return values[values.length - 1];
  const threshold = Math.ceil(phi * n) + quantileRankErrorBound(phi) * n;
  let rank = 0;
  for (let i = 0; i < values.length; i++) {
    rank += gaps[i];
    if (rank + deltas[i] > threshold) return i === 0 ? values[0] : values[i - 1];
  }
  return values[values.length - 1];
}

describe('TargetedQuantileStream (CKMS targeted quantiles)', () => {
  it('states the documented error per quantile', () => {
    expect(quantileError(0.5)).toBe(0.05);
    expect(quantileError(0.9)).toBeCloseTo(0.01, 12);
    expect(quantileError(0.99)).toBeCloseTo(0.001, 12);
    expect(quantileError(0.1)).toBeCloseTo(0.01, 12);
    expect(quantileRankErrorBound(0.5)).toBeCloseTo(0.05 / 0.9, 12);
    expect(quantileRankErrorBound(0.99)).toBeCloseTo(0.001 / 0.9, 12);
    expect(quantileRankErrorBound(0)).toBe(0);
    expect(quantileRankErrorBound(1)).toBe(0);
  });

  it('the checker itself rejects a wrong estimate (so the bound tests can fail)', () => {
    const sorted = Array.from({ length: 1000 }, (_, i) => i);
    expect(rankExcess(sorted, 0.5, 499)).toBe(0);
    expect(rankExcess(sorted, 0.5, 400)).toBeGreaterThan(0); // 10% off, bound is 5.6%
    expect(rankExcess(sorted, 0.99, 975)).toBeGreaterThan(0); // 1.5% off, bound is 0.11%
    expect(rankExcess(sorted, 0.5, 499.5)).toBe(Infinity); // never observed
  });

  describe.each(Object.entries(distributions(50_000)))('on %s data', (_name, values) => {
    it('keeps every target within its rank error bound, in a fraction of the memory', () => {
      const stream = new TargetedQuantileStream([0, ...TARGETS, 1]);
      feed(stream, values, 500);
      const sorted = [...values].sort((a, b) => a - b);
      expect(stream.count).toBe(values.length);
      for (const phi of TARGETS) expect({ phi, excess: rankExcess(sorted, phi, stream.query(phi)) }).toEqual({ phi, excess: 0 });
      expect(stream.query(0)).toBe(sorted[0]);
      expect(stream.query(1)).toBe(sorted[sorted.length - 1]);
      expect(stream.tupleCount).toBeLessThan(values.length / 20);
    });
  });

  it('holds the bound for any data, batch size and target set (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }), { minLength: 1, maxLength: 3000 }),
        fc.integer({ min: 1, max: 700 }),
        fc.uniqueArray(fc.double({ min: 0.001, max: 0.999, noNaN: true }), { minLength: 1, maxLength: 4 }),
        (values, batch, targets) => {
          const stream = new TargetedQuantileStream(targets);
          feed(stream, values, batch);
          const sorted = [...values].sort((a, b) => a - b);
          for (const phi of targets) expect(rankExcess(sorted, phi, stream.query(phi))).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('merges and compresses in one pass: bound and memory hold on tie-heavy data in many batches (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1000, maxLength: 4000 }),
        fc.integer({ min: 1, max: 600 }),
        (values, batch) => {
          const stream = new TargetedQuantileStream([0.5, 0.9, 0.99]);
          feed(stream, values, batch);
          const sorted = [...values].sort((a, b) => a - b);
          for (const phi of [0, 0.5, 0.9, 0.99, 1]) expect(rankExcess(sorted, phi, stream.query(phi))).toBe(0);
          // Tuples are absorbed while merging, so a long run of few values stays small.
          expect(stream.tupleCount).toBeLessThanOrEqual(Math.max(64, values.length / 10));
        },
      ),
      { numRuns: 120, seed: 17 },
    );
  });

  it('keeps exactly the tuples of the plain one-tuple-per-step pass (property)', () => {
    const grid = Array.from({ length: 201 }, (_, k) => k / 200);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 3000, size: 'max' }),
          fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 3000, size: 'max' }),
        ),
        fc.integer({ min: 1, max: 700 }),
        fc.uniqueArray(fc.double({ min: 0.001, max: 0.999, noNaN: true }), { minLength: 1, maxLength: 4 }),
        (values, batch, targets) => {
          const stream = new TargetedQuantileStream(targets);
          const reference = new ReferenceStream(targets);
          for (let start = 0; start < values.length; start += batch) {
            const chunk = Float64Array.from(values.slice(start, start + batch)).sort();
            stream.insertSorted(chunk, chunk.length);
            reference.insertSorted([...chunk]);
            expect(stream.tupleCount).toBe(reference.values.length);
          }
          // Each query walks the tuples' ranks: equal answers over a fine grid of quantiles
          // and equal sizes mean equal tuples.
          const expected = grid.map((phi) => referenceQuery(reference, phi));
          expect(grid.map((phi) => stream.query(phi))).toEqual(expected);
        },
      ),
      { numRuns: 60, seed: 1717 },
    );
  });

  it('stays within the bound while the stream grows (checked after every batch)', () => {
    const random = seededRandom(7);
    const stream = new TargetedQuantileStream([0.5, 0.9, 0.99]);
    const seen: number[] = [];
    for (let round = 0; round < 60; round++) {
      const batch = Array.from({ length: 1 + Math.floor(random() * 400) }, () => random() ** 3);
      feed(stream, batch, batch.length);
      seen.push(...batch);
      const sorted = [...seen].sort((a, b) => a - b);
      for (const phi of [0.5, 0.9, 0.99]) expect(rankExcess(sorted, phi, stream.query(phi))).toBe(0);
    }
  });

  it('is empty (NaN) at first and after reset', () => {
    const stream = new TargetedQuantileStream([0.5]);
    expect(stream.query(0.5)).toBeNaN();
    feed(stream, [1, 2, 3], 3);
    expect(stream.query(0.5)).toBe(2); // nearest rank ⌈1.5⌉ = 2
    stream.reset();
    expect(stream.count).toBe(0);
    expect(stream.query(0.5)).toBeNaN();
    feed(stream, [10], 1);
    expect(stream.query(0.5)).toBe(10);
  });

  it('answers the nearest-rank quantile on small inputs', () => {
    const stream = new TargetedQuantileStream([0.5, 0.9]);
    feed(stream, [5, 1, 4, 2, 3], 2);
    expect(stream.query(0.5)).toBe(3); // rank ⌈2.5⌉
    expect(stream.query(0.9)).toBe(5); // rank ⌈4.5⌉
  });
});
