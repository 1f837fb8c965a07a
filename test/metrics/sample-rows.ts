import type { MetricFamily, Sample } from '../../src/model/index.js';

/** A sample without its exemplar/timestamp, for compact `toEqual` assertions. */
export interface Row {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The only family of a synchronous `collect()`. */
export function onlyFamily(families: MetricFamily[] | Promise<MetricFamily[]>): MetricFamily {
  if (!Array.isArray(families)) throw new Error('expected a synchronous collect()');
  if (families.length !== 1) throw new Error(`expected one family, got ${families.length}`);
  return families[0];
}

/** `collect()`'s samples as plain rows, `_created` samples left out (their value is a clock reading). */
export function rows(metric: { collect(): MetricFamily[] | Promise<MetricFamily[]> }): Row[] {
  return onlyFamily(metric.collect())
    .samples.filter((s) => !s.name.endsWith('_created'))
    .map(toRow);
}

/** One sample as a plain row. */
export function toRow(sample: Sample): Row {
  return { name: sample.name, labels: { ...sample.labels }, value: sample.value };
}

/** The samples of `collect()` named `name`. */
export function samplesNamed(metric: { collect(): MetricFamily[] | Promise<MetricFamily[]> }, name: string): Sample[] {
  return onlyFamily(metric.collect()).samples.filter((s) => s.name === name);
}
