import { InvalidOptionsError, validateLabelNames, type LabelSet, validateMetricPrefix } from '../model/index.js';

/** Options every runtime collector takes (the same as prom-client's default-metrics config). */
export interface RuntimeCollectorOptions {
  /** Prepended to every metric name, e.g. `'myapp_'` gives `myapp_process_cpu_seconds_total`. */
  readonly prefix?: string;
  /** Labels added to every sample, after the collector's own labels (e.g. `{ app: 'orders' }`). */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Options after validation. */
export interface ResolvedRuntimeOptions {
  readonly prefix: string;
  /** Frozen; passed as `constLabels` to the family builders. */
  readonly labels: LabelSet;
}

/**
 * Checks the prefix and labels once, when the collector is built, so a bad option fails at
 * startup rather than on every scrape. `ownLabels` are the labels the collector itself uses
 * (`type`, `space`, `kind`...): a static label of the same name would be a duplicate.
 */
export function resolveRuntimeOptions(
  collector: string,
  options: RuntimeCollectorOptions | undefined,
  ownLabels: readonly string[],
): ResolvedRuntimeOptions {
  const prefix = options?.prefix ?? '';
  if (typeof prefix !== 'string') throw new InvalidOptionsError(undefined, `${collector}: prefix must be a string`);
  validateMetricPrefix(prefix);
  const labels = options?.labels ?? {};
  if (labels === null || typeof labels !== 'object') throw new InvalidOptionsError(undefined, `${collector}: labels must be an object`);
  const names = Object.keys(labels);
  validateLabelNames(`${prefix}${collector}`, 'gauge', [...ownLabels, ...names]);
  for (const name of names) {
    if (typeof labels[name] !== 'string') {
      throw new InvalidOptionsError(undefined, `${collector}: label ${JSON.stringify(name)} must have a string value, got ${typeof labels[name]}`);
    }
  }
  return { prefix, labels: Object.freeze({ ...labels }) };
}
