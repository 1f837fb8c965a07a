import type { MetricFamily } from './metric-family.js';

/**
 * Families known to keep every rule of `familyProblem` (family-validation.ts) by construction: the instruments' snapshots,
 * the family builders (which check each series as it is added) and the registry's own
 * families. The pipeline does not check them again, so they cost nothing at scrape time.
 */
const vouched = new WeakSet<object>();

/**
 * Marks `family` as built by code that guarantees the exposition rules. Only promkit's own
 * instruments, builders and registry call it; a family a user hands in is always checked.
 *
 * @internal
 */
export function vouchForFamily<F extends MetricFamily>(family: F): F {
  vouched.add(family);
  return family;
}

/** @internal True when {@link vouchForFamily} marked `family`. */
export function isVouchedFamily(family: unknown): boolean {
  return typeof family === 'object' && family !== null && vouched.has(family);
}
