import client from 'prom-client';
import { Counter, DEFAULT_BUCKETS, Histogram, Registry } from '../src/index.js';
import { countsFor, labelCombinations, labelNames } from './labels.js';

/**
 * The registry of prom-client's serialization benchmark (`benchmarks/registry.js`): one
 * histogram and one counter, with the same label names and one series
 * per label combination each, every series recorded once. `counts` are per-label value
 * counts (`[64]` is prom-client's "1 x 64", `[8, 8]` "2 x 8", `[2, 2, 2, 2, 2, 2]` "6 x 2").
 *
 * Both histograms get the same buckets (client_golang's defaults, promkit's; prom-client's
 * own default has 11 bounds, not 14). promkit's registry keeps its default `created: true`
 * and so writes one `_created` sample per series that prom-client does not write: more
 * work for promkit, never less. (With `created: false` the registry rewrites each family's
 * samples, which takes promkit off its column-wise encoding path onto the per-sample one.)
 */
export function promkitRegistry(counts: readonly number[]): Registry {
  const registry = new Registry();
  const names = labelNames(counts.length);
  const histogram = new Histogram({ name: 'histogram', help: 'histogram', labelNames: names, buckets: DEFAULT_BUCKETS, registry });
  const counter = new Counter({ name: 'counter', help: 'counter', labelNames: names, registry });
  const combos = labelCombinations(counts);
  for (const labels of combos) histogram.observe(labels, 1);
  for (const labels of combos) counter.inc(labels, 1);
  return registry;
}

/** The same registry in prom-client. */
export function promClientRegistry(counts: readonly number[], openMetrics = false): client.Registry {
  const registry = new client.Registry();
  if (openMetrics) (registry as client.Registry<client.RegistryContentType>).setContentType(client.openMetricsContentType);
  const names = labelNames(counts.length);
  const histogram = new client.Histogram({ name: 'histogram', help: 'histogram', labelNames: names, buckets: DEFAULT_BUCKETS.filter(Number.isFinite), registers: [registry] });
  const counter = new client.Counter({ name: 'counter', help: 'counter', labelNames: names, registers: [registry] });
  const combos = labelCombinations(counts);
  for (const labels of combos) histogram.observe(labels, 1);
  for (const labels of combos) counter.inc(labels, 1);
  return registry;
}

/** Label counts giving `series` series in all: half histograms, half counters. */
export function countsForSeries(series: number): number[] {
  return countsFor(series / 2);
}
