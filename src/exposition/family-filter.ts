import { restrictFamilies, type MetricFamily } from '../model/index.js';

/**
 * Prometheus's `name[]` selection (`/metrics?name[]=http_requests_total`), with
 * client_python's `restricted_registry` semantics: of each family only the samples whose
 * *sample name* is in `names` are kept, and families left without samples are dropped.
 *
 * So `name[]=http_requests_total` keeps the counter's `_total` samples but not its
 * `_created` ones, `name[]=latency_bucket` keeps only the buckets, and a counter's bare
 * family name (`http_requests`) selects nothing, exactly as in client_python. An empty
 * `names` selects nothing; callers that mean "no selection" do not call this.
 */
export function filterFamilies(families: Iterable<MetricFamily>, names: readonly string[]): MetricFamily[] {
  return restrictFamilies(families, new Set(names));
}
