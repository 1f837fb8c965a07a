import { InvalidOptionsError } from './errors.js';

/**
 * The rule for a summary's quantiles, shared by the `Summary` instrument and the summary
 * family builder: an array of numbers in [0, 1], none twice. Returns a frozen copy in the
 * given order. `word` is what the caller's option calls them (`percentile`, `quantile`).
 *
 * @throws {@link InvalidOptionsError} naming `metric`.
 */
export function checkedQuantiles(metric: string, quantiles: readonly number[], word = 'quantile'): readonly number[] {
  if (!Array.isArray(quantiles)) throw new InvalidOptionsError(metric, `${word}s must be an array of numbers in [0, 1]`);
  const seen = new Set<number>();
  for (const q of quantiles as readonly unknown[]) {
    if (typeof q !== 'number' || !(q >= 0 && q <= 1)) throw new InvalidOptionsError(metric, `${word} ${String(q)} is outside [0, 1]`);
    if (seen.has(q)) throw new InvalidOptionsError(metric, `${word} ${q} is given twice`);
    seen.add(q);
  }
  return Object.freeze(quantiles.slice());
}
