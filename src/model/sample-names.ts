import type { MetricType } from './metric-type.js';

/**
 * The suffixes the samples of each metric type carry after the family name (`''` is the
 * bare name): a counter `x` writes `x_total` and `x_created`, never `x`.
 */
export const SAMPLE_SUFFIXES: Readonly<Record<MetricType, readonly string[]>> = {
  counter: ['_total', '_created'],
  gauge: [''],
  histogram: ['_bucket', '_count', '_sum', '_created'],
  gaugehistogram: ['_bucket', '_gcount', '_gsum'],
  summary: ['', '_count', '_sum', '_created'],
  info: ['_info'],
  stateset: [''],
  unknown: [''],
};

/**
 * The sample names a family of `type` named `name` may expose, and its bare name: every
 * one of them is claimed by the family, so that a counter `x` (exposing `x_total`,
 * `x_created`) and a gauge `x_total` collide at registration instead of corrupting a scrape.
 */
export function sampleNamesOf(type: MetricType, name: string): string[] {
  const names = [name];
  for (const suffix of SAMPLE_SUFFIXES[type] ?? ['']) if (suffix !== '') names.push(`${name}${suffix}`);
  return names;
}

/**
 * The label a sample carries because of its family's type, besides its series' labels: `le`
 * on histogram and gauge-histogram buckets, `quantile` on summary quantiles, and the family's
 * own name on a stateset's states. `undefined` for the other types.
 */
export function typeLabelOf(type: MetricType, familyName: string): string | undefined {
  if (type === 'histogram' || type === 'gaugehistogram') return 'le';
  if (type === 'summary') return 'quantile';
  if (type === 'stateset') return familyName;
  return undefined;
}
