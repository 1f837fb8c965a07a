import type { MetricType } from './metric-type.js';

/**
 * The sample names a family of `type` named `name` may expose: every one of them is
 * claimed by the family, so that a counter `x` (exposing `x_total`, `x_created`) and a
 * gauge `x_total` collide at registration instead of corrupting a scrape.
 */
export function sampleNamesOf(type: MetricType, name: string): string[] {
  switch (type) {
    case 'counter':
      return [name, `${name}_total`, `${name}_created`];
    case 'histogram':
      return [name, `${name}_bucket`, `${name}_count`, `${name}_sum`, `${name}_created`];
    case 'gaugehistogram':
      return [name, `${name}_bucket`, `${name}_gcount`, `${name}_gsum`];
    case 'summary':
      return [name, `${name}_count`, `${name}_sum`, `${name}_created`];
    case 'info':
      return [name, `${name}_info`];
    default:
      return [name];
  }
}
