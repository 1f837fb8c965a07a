import { InvalidLabelNameError, InvalidMetricNameError, InvalidOptionsError, ReservedLabelNameError } from './errors.js';
import type { MetricType } from './metric-type.js';

const METRIC_NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const UNIT_RE = /^[a-zA-Z0-9_:]+$/;

/** True when `name` is a legal metric name: `[a-zA-Z_:][a-zA-Z0-9_:]*`. */
export function isValidMetricName(name: string): boolean {
  return METRIC_NAME_RE.test(name);
}

/** True when `name` is a legal label name: `[a-zA-Z_][a-zA-Z0-9_]*`, not starting with `__`. */
export function isValidLabelName(name: string): boolean {
  return LABEL_NAME_RE.test(name) && !name.startsWith('__');
}

/** True when `unit` can be part of a metric name: `[a-zA-Z0-9_:]+`. */
export function isValidUnit(unit: string): boolean {
  return UNIT_RE.test(unit);
}

/** Throws {@link InvalidMetricNameError} unless `name` is a legal metric name. */
export function validateMetricName(name: string): void {
  if (typeof name !== 'string' || name.length === 0) {
    throw new InvalidMetricNameError(String(name), 'a metric name must be a non-empty string');
  }
  if (!METRIC_NAME_RE.test(name)) {
    throw new InvalidMetricNameError(name, 'expected [a-zA-Z_:][a-zA-Z0-9_:]*');
  }
  if (name.startsWith('__')) {
    throw new InvalidMetricNameError(name, 'names starting with "__" are reserved for Prometheus');
  }
}

/**
 * Throws {@link InvalidMetricNameError} unless `name` can name a stateset: a stateset's
 * samples carry a label named after the family (`job_state{job_state="idle"} 1`), so the
 * name must also be a legal label name (no `:`, no leading `__`).
 */
export function validateStateSetName(name: string): void {
  if (!isValidLabelName(name)) {
    throw new InvalidMetricNameError(name, 'a stateset is also its own state label, so its name must be a valid label name ([a-zA-Z_][a-zA-Z0-9_]*)');
  }
}

/**
 * Throws {@link InvalidMetricNameError} unless `prefix` (put before metric names by a
 * module or a collector, e.g. `shop_`) can start a metric name. The empty prefix is fine.
 */
export function validateMetricPrefix(prefix: string): void {
  if (prefix !== '') validateMetricName(`${prefix}x`);
}

/** Throws {@link InvalidMetricNameError} unless `unit` can be part of a metric name. */
export function validateUnit(metric: string, unit: string): void {
  if (!UNIT_RE.test(unit)) {
    throw new InvalidMetricNameError(metric, `unit ${JSON.stringify(unit)} must match [a-zA-Z0-9_:]+`);
  }
}

/** Labels each metric type reserves for its own samples. */
const RESERVED_BY_TYPE: Partial<Record<MetricType, readonly string[]>> = {
  histogram: ['le'],
  gaugehistogram: ['le'],
  summary: ['quantile'],
};

/**
 * Validates a metric's declared label names: each legal, none reserved (`__*` always,
 * `le` on histograms, `quantile` on summaries, the metric's own name on a stateset),
 * none repeated. Throws a typed error naming the metric and the label.
 */
export function validateLabelNames(metric: string, type: MetricType, labelNames: readonly string[]): void {
  const seen = new Set<string>();
  const reserved = RESERVED_BY_TYPE[type] ?? [];
  for (const label of labelNames) {
    if (typeof label !== 'string' || !LABEL_NAME_RE.test(label)) {
      throw new InvalidLabelNameError(metric, String(label), 'expected [a-zA-Z_][a-zA-Z0-9_]*');
    }
    if (label.startsWith('__')) {
      throw new ReservedLabelNameError(metric, label, 'label names starting with "__" are reserved for Prometheus');
    }
    if (reserved.includes(label)) {
      throw new ReservedLabelNameError(metric, label, `"${label}" is reserved on a ${type}`);
    }
    if (type === 'stateset' && label === metric) {
      throw new ReservedLabelNameError(metric, label, 'a stateset uses its own name as the state label');
    }
    if (seen.has(label)) {
      throw new InvalidLabelNameError(metric, label, 'declared more than once');
    }
    seen.add(label);
  }
}

/** Labels that mean something on some metric type, so they can never be added to every metric. */
const RESERVED_EVERYWHERE = ['le', 'quantile'];

/**
 * Validates labels added to every series of many metrics at once: a registry's
 * `defaultLabels`, a decorator runtime's `constantLabels`, the inversify module's
 * `defaultLabels`. Each name must be legal and not reserved (`__*`, and `le` and
 * `quantile`, which would clash with histogram buckets and summary quantiles); each value
 * a string. `owner` names the option in the error, e.g. `(Registry defaultLabels)`.
 *
 * @returns a frozen copy of `labels`.
 * @throws {@link InvalidLabelNameError} (or its subclass {@link ReservedLabelNameError})
 *   for a bad name, {@link InvalidOptionsError} for a value that is not a string.
 */
export function validateConstantLabels(owner: string, labels: Readonly<Record<string, unknown>>): Readonly<Record<string, string>> {
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) {
    throw new InvalidOptionsError(undefined, `${owner} must be an object of label names to string values`);
  }
  const copy: Record<string, string> = {};
  for (const [name, value] of Object.entries(labels)) {
    if (!LABEL_NAME_RE.test(name)) throw new InvalidLabelNameError(owner, name, 'expected [a-zA-Z_][a-zA-Z0-9_]*');
    if (name.startsWith('__')) throw new ReservedLabelNameError(owner, name, 'label names starting with "__" are reserved for Prometheus');
    if (RESERVED_EVERYWHERE.includes(name)) {
      throw new ReservedLabelNameError(owner, name, `"${name}" is reserved for histogram buckets and summary quantiles`);
    }
    if (typeof value !== 'string') throw new InvalidOptionsError(undefined, `${owner}: label ${JSON.stringify(name)} must have a string value, got ${typeof value}`);
    copy[name] = value;
  }
  return Object.freeze(copy);
}
