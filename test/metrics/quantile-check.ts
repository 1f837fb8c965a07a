import { quantileRankErrorBound } from '../../src/metrics/index.js';

/** A small seeded PRNG (mulberry32), so the error-bound tests see the same data every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Data sets that stress a quantile sketch in different ways, `n` values each. */
export function distributions(n: number, seed = 42): Record<string, number[]> {
  const random = seededRandom(seed);
  const uniform = Array.from({ length: n }, () => random());
  return {
    uniform,
    exponential: Array.from({ length: n }, () => -Math.log(1 - random()) * 0.25),
    lognormal: Array.from({ length: n }, () => Math.exp(2 * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()))),
    ascending: Array.from({ length: n }, (_, i) => i),
    descending: Array.from({ length: n }, (_, i) => n - i),
    duplicates: Array.from({ length: n }, () => Math.floor(random() * 10)),
    zigzag: Array.from({ length: n }, (_, i) => (i % 2 === 0 ? i : n * 10 - i)),
  };
}

/**
 * How far (in ranks) `estimate` is from the exact `phi` quantile of `sorted`: 0 when one of
 * the ranks `estimate` occupies is within the guaranteed bound, else the excess; `Infinity`
 * when `estimate` was never observed. Ranks are 1-based; the target rank is `phi·n`.
 */
export function rankExcess(sorted: readonly number[], phi: number, estimate: number): number {
  const n = sorted.length;
  const below = countWhere(sorted, (v) => v < estimate);
  const atOrBelow = countWhere(sorted, (v) => v <= estimate);
  if (atOrBelow === below) return Infinity;
  const lowestRank = below + 1;
  const highestRank = atOrBelow;
  const allowed = quantileRankErrorBound(phi) * n + 1;
  const target = phi * n;
  if (highestRank < target - allowed) return target - allowed - highestRank;
  if (lowestRank > target + allowed) return lowestRank - (target + allowed);
  return 0;
}

function countWhere(sorted: readonly number[], predicate: (v: number) => boolean): number {
  // binary search for the first index failing the (monotone) predicate
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (predicate(sorted[mid])) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
