import type { MetricFamily } from './metric-family.js';

/**
 * Prometheus's `name[]` selection, as client_python's `restricted_registry` does it: keeps,
 * of each family, only the samples whose name is in `names`, and drops families left empty.
 * Selecting `http_requests_total` keeps that sample of the counter but not its `_created`.
 */
export function restrictFamilies(families: Iterable<MetricFamily>, names: ReadonlySet<string>): MetricFamily[] {
  const kept: MetricFamily[] = [];
  for (const family of families) {
    const samples = family.samples.filter((s) => names.has(s.name));
    if (samples.length === family.samples.length) kept.push(family);
    else if (samples.length > 0) kept.push({ ...family, samples });
  }
  return kept;
}
