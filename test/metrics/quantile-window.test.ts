import { afterEach, describe, expect, it, jest } from '@jest/globals';
import fc from 'fast-check';
import { QuantileWindow } from '../../src/metrics/quantile-window.js';
import { TargetedQuantileStream } from '../../src/metrics/targeted-quantile-stream.js';
import { rankExcess } from './quantile-check.js';

const PERCENTILES = [0, 0.5, 0.9, 0.99, 1];

/** A window whose clock never moves: one slice holds every observation. */
function frozenWindow(): QuantileWindow {
  return new QuantileWindow(PERCENTILES, 600, 5, () => 0);
}

describe('QuantileWindow', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('sorts each buffered batch before merging: the bound holds on any non-negative data, queried at any moment (property)', () => {
    // Long runs of few values take the three-way partition, spread doubles the two-way one,
    // and monotone runs the worst case of a median-of-three pivot.
    const values = fc.oneof(
      fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 2500, size: 'max' }),
      fc.array(fc.double({ min: 0, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 2500, size: 'max' }),
      fc.integer({ min: 1, max: 2500 }).map((n) => Array.from({ length: n }, (_, i) => i % 700)),
      fc.integer({ min: 1, max: 2500 }).map((n) => Array.from({ length: n }, (_, i) => n - i)),
    );
    fc.assert(
      fc.property(values, fc.array(fc.nat(2500), { maxLength: 4 }), (observed, queryAt) => {
        const merges = jest.spyOn(TargetedQuantileStream.prototype, 'insertSorted');
        const window = frozenWindow();
        const seen: number[] = [];
        let pending: number[] = [];
        // Each merge gets exactly the observations buffered since the last one, ascending.
        const checkMerges = (): void => {
          if (merges.mock.calls.length === 0) return;
          const [batch, length] = merges.mock.calls[0];
          expect([...batch.subarray(0, length)]).toEqual([...pending].sort((a, b) => a - b));
          expect(merges.mock.calls.every(([other, otherLength]) => other === batch && otherLength === length)).toBe(true);
          pending = [];
          merges.mockClear();
        };
        const check = (): void => {
          const sorted = [...seen].sort((a, b) => a - b);
          const estimates = window.query();
          checkMerges();
          PERCENTILES.forEach((phi, k) => expect({ phi, excess: rankExcess(sorted, phi, estimates[k]) }).toEqual({ phi, excess: 0 }));
        };
        observed.forEach((value, i) => {
          pending.push(value);
          window.observe(value);
          checkMerges();
          seen.push(value);
          if (queryAt.includes(i)) check();
        });
        check();
        merges.mockRestore();
      }),
      { numRuns: 60, seed: 1718 },
    );
  });

  it('spreads the merges of series fed in lockstep instead of running them all on one observation', () => {
    const merges = jest.spyOn(TargetedQuantileStream.prototype, 'insertSorted');
    const windows = Array.from({ length: 8 }, frozenWindow);
    const mergesPerRound: number[] = [];
    for (let round = 0; round < 1000; round++) {
      const before = merges.mock.calls.length;
      for (const window of windows) window.observe(round % 7);
      mergesPerRound.push(merges.mock.calls.length - before);
    }
    // Every window merges (into each of its 5 streams) once per 500 observations...
    expect(mergesPerRound.reduce((a, b) => a + b, 0)).toBe(8 * 2 * 5);
    // ...but never two windows on the same round.
    expect(Math.max(...mergesPerRound)).toBe(5);
  });

  it('keeps its flush cycle across queries, so a scrape does not line series up again', () => {
    const merges = jest.spyOn(TargetedQuantileStream.prototype, 'insertSorted');
    const windows = Array.from({ length: 8 }, frozenWindow);
    for (let round = 0; round < 300; round++) for (const window of windows) window.observe(round);
    for (const window of windows) window.query(); // flushes every buffer at once
    merges.mockClear();
    const mergesPerRound: number[] = [];
    for (let round = 0; round < 500; round++) {
      const before = merges.mock.calls.length;
      for (const window of windows) window.observe(round);
      mergesPerRound.push(merges.mock.calls.length - before);
    }
    expect(Math.max(...mergesPerRound)).toBe(5);
    expect(mergesPerRound.reduce((a, b) => a + b, 0)).toBe(8 * 5);
  });
});
