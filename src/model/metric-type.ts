/**
 * The metric types of OpenMetrics 1.0. The Prometheus text format 0.0.4 knows only
 * counter, gauge, histogram, summary and untyped; its encoder maps the rest
 * (info and stateset become gauges, gaugehistogram a histogram, unknown untyped).
 */
export type MetricType =
  | 'counter'
  | 'gauge'
  | 'histogram'
  | 'gaugehistogram'
  | 'summary'
  | 'info'
  | 'stateset'
  | 'unknown';

/** All metric types, in a stable order. */
export const METRIC_TYPES: readonly MetricType[] = [
  'counter',
  'gauge',
  'histogram',
  'gaugehistogram',
  'summary',
  'info',
  'stateset',
  'unknown',
];
