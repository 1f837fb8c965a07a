import { InvalidMetricNameError, InvalidOptionsError } from './errors.js';
import type { MetricType } from './metric-type.js';
import { validateMetricName, validateUnit } from './names.js';
import { isWellFormedText } from './unicode-text.js';

/** The sample suffix a type's family name never carries, though users may write it. */
const TYPE_SUFFIX: Partial<Record<MetricType, string>> = { counter: '_total', info: '_info' };

/**
 * The family name of a definition, as instruments and family builders derive it (and
 * client_python does): the name checked, the type's own sample suffix removed (`x_total`
 * -> `x` for a counter, `x_info` -> `x` for an info; nothing left is an error), and
 * `_<unit>` appended unless the name already ends with it. Info and stateset take no unit.
 *
 * @throws {@link InvalidMetricNameError} or {@link InvalidOptionsError}.
 */
export function familyNameOf(type: MetricType, given: string, unit: string): string {
  validateMetricName(given);
  let name = given;
  const suffix = TYPE_SUFFIX[type];
  if (suffix !== undefined && name.endsWith(suffix)) {
    name = name.slice(0, -suffix.length);
    if (name.length === 0) throw new InvalidMetricNameError(given, `nothing is left once the "${suffix}" suffix is removed`);
    validateMetricName(name);
  }
  if (typeof unit !== 'string') throw new InvalidOptionsError(given, `unit must be a string, got ${typeof unit}`);
  if (unit !== '') {
    if (type === 'info' || type === 'stateset') throw new InvalidOptionsError(given, `a ${type} cannot have a unit (OpenMetrics)`);
    validateUnit(given, unit);
    if (!name.endsWith(`_${unit}`)) name = `${name}_${unit}`;
    validateMetricName(name);
  }
  return name;
}

/** Throws {@link InvalidOptionsError} unless `help` is a string of well-formed Unicode. */
export function checkHelp(metric: string, help: unknown): string {
  if (typeof help !== 'string') throw new InvalidOptionsError(metric, `help must be a string, got ${help === null ? 'null' : typeof help}`);
  if (!isWellFormedText(help)) throw new InvalidOptionsError(metric, 'help is not well-formed Unicode (a lone surrogate)');
  return help;
}
