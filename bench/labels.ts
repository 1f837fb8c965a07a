/**
 * The label shapes of prom-client's own benchmarks (`benchmarks/utils/labels.js`), so the
 * numbers here compare with theirs: label names `a`, `b`, `c`... and, for counts
 * `[8, 8, 3]`, every combination of the values `0..7` x `0..7` x `0..2`. Values are
 * numbers, as in prom-client's suite; both libraries expose them via `String()`.
 */
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** The first `count` label names: `a`, `b`, ... */
export function labelNames(count: number): string[] {
  return LETTERS.slice(0, count).split('');
}

/** One label object per combination of `counts[i]` values for label `i`, in odometer order. */
export function labelCombinations(counts: readonly number[]): Record<string, number>[] {
  const names = labelNames(counts.length);
  let combos: number[][] = [[]];
  for (const count of counts) {
    const next: number[][] = [];
    for (const prefix of combos) for (let v = 0; v < count; v++) next.push([...prefix, v]);
    combos = next;
  }
  return combos.map((values) => {
    const labels: Record<string, number> = {};
    for (let i = 0; i < names.length; i++) labels[names[i]] = values[i];
    return labels;
  });
}

/** The label values of each combination, positionally (for `labels(...values)`). */
export function positional(combos: readonly Record<string, number>[]): number[][] {
  return combos.map((labels) => Object.values(labels));
}

/**
 * Three label counts whose product is `series` (for the 10k/100k-series registries): the
 * first label takes what the other two (at most 100 and 10 values) leave.
 */
export function countsFor(series: number): number[] {
  const third = 10;
  const second = Math.min(100, Math.max(1, Math.floor(series / third / 10)));
  const first = Math.ceil(series / (second * third));
  return [first, second, third];
}
