import { formatFloat, InvalidOptionsError, validateLabelNames, validateMetricPrefix } from '../model/index.js';
import { CLASS_LABEL, EXCEPTION_LABEL, METHOD_LABEL, RESULT_LABEL, FAILURE_RESULT, type DeclaredObjective } from '../decorators/index.js';
import { BURN_RATE_WINDOWS, recordedWindows, SLO_PERIOD, SLO_PERIOD_DAYS, type BurnRateWindow } from './burn-rate-windows.js';
import { selector } from './promql-selector.js';

/** A Prometheus recording rule. */
export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** A Prometheus alerting rule. */
export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** A group of a Prometheus rules file. */
export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly (RecordingRule | AlertingRule)[];
}

/** Options of {@link sloRuleGroups}. */
export interface SloRuleOptions {
  /** The container's metric prefix (`MetricsModule({ prefix })`). Default `''`. */
  readonly prefix?: string;
  /**
   * Labels summed away so that one error ratio covers every instance of the service:
   * the target labels that tell the instances apart. Default `['instance']`.
   */
  readonly aggregateAway?: readonly string[];
}

/** The series every objective's error ratio is recorded in, one per window: `promkit:slo_error_ratio:rate5m`, ... */
export const ERROR_RATIO_RECORD = 'promkit:slo_error_ratio';

/** The label telling an objective's kind (`latency` or `success`) in the recorded error ratios and alerts. */
export const SLO_LABEL = 'slo';

/**
 * The rules of every objective: one group per objective, recording its error ratio (the
 * share of bad calls, summed over the instances) over each window of the burn-rate
 * alerts, then the four multi-window burn-rate alerts (see `BURN_RATE_WINDOWS`).
 *
 * @throws {@link InvalidOptionsError} for an objective whose class is unknown (a class
 *   decorated with standard decorators that was not exported), or a bad prefix or label.
 */
export function sloRuleGroups(objectives: readonly DeclaredObjective[], options: SloRuleOptions = {}): RuleGroup[] {
  const prefix = options.prefix ?? '';
  validateMetricPrefix(prefix);
  const aggregateAway = options.aggregateAway ?? ['instance'];
  validateLabelNames('(aggregateAway)', 'gauge', aggregateAway);
  return objectives.map((declared) => objectiveGroup(declared, prefix, aggregateAway));
}

function objectiveGroup(declared: DeclaredObjective, prefix: string, aggregateAway: readonly string[]): RuleGroup {
  const { objective, methodName } = declared;
  const className = declared.className;
  if (className === undefined || className === '') {
    throw new InvalidOptionsError(
      prefix + declared.metric,
      `the class of the decorated method "${methodName}" is unknown: export the class from the module (standard decorators learn its name from it) or give the decorator a className`,
    );
  }
  const method = { [CLASS_LABEL]: className, [METHOD_LABEL]: methodName };
  const kindLabels = { ...method, [SLO_LABEL]: objective.kind };
  const rules: (RecordingRule | AlertingRule)[] = recordedWindows().map((window) => ({
    record: `${ERROR_RATIO_RECORD}:rate${window}`,
    expr: errorRatio(declared, prefix, aggregateAway, method, window),
    // The class and method come with the expression's result too; as rule labels they also
    // tell the rules of two objectives apart (promtool refuses identical ones).
    labels: kindLabels,
  }));
  for (const window of BURN_RATE_WINDOWS) rules.push(burnRateAlert(declared, className, kindLabels, window));
  return { name: `promkit-slo:${className}.${methodName}:${objective.kind}`, rules };
}

/** The share of the method's calls that were bad over `window`, summed over the instances. */
function errorRatio(
  declared: DeclaredObjective,
  prefix: string,
  aggregateAway: readonly string[],
  method: Record<string, string>,
  window: string,
): string {
  const objective = declared.objective;
  const metric = prefix + declared.metric;
  if (objective.kind === 'latency') {
    const by = sumWithout([...aggregateAway, EXCEPTION_LABEL, ...declared.callLabelNames]);
    const fast = `${sumWithout([...aggregateAway, EXCEPTION_LABEL, 'le', ...declared.callLabelNames])} (rate(${selector(`${metric}_bucket`, { ...method, le: formatFloat(objective.threshold) })}[${window}]))`;
    const all = `${by} (rate(${selector(`${metric}_count`, method)}[${window}]))`;
    return `1 - (${fast} / ${all})`;
  }
  const by = sumWithout([...aggregateAway, RESULT_LABEL, EXCEPTION_LABEL, ...declared.callLabelNames]);
  const all = `${by} (rate(${selector(`${metric}_total`, method)}[${window}]))`;
  // No failure series exists before the first failure: count none then, rather than no ratio.
  const failed = `${by} (rate(${selector(`${metric}_total`, { ...method, [RESULT_LABEL]: FAILURE_RESULT })}[${window}]))`;
  return `(${failed} or 0 * ${all}) / ${all}`;
}

function sumWithout(labels: readonly string[]): string {
  return `sum without (${[...new Set(labels)].join(', ')})`;
}

function burnRateAlert(declared: DeclaredObjective, className: string, kindLabels: Record<string, string>, window: BurnRateWindow): AlertingRule {
  const { objective, methodName } = declared;
  const threshold = Number((window.burnRate * (1 - objective.target)).toPrecision(12));
  const over = (w: string): string => `${selector(`${ERROR_RATIO_RECORD}:rate${w}`, kindLabels)} > ${threshold}`;
  const what =
    objective.kind === 'latency'
      ? `${formatPercent(objective.target)} of calls within ${objective.threshold}s`
      : `${formatPercent(objective.target)} of calls succeed`;
  return {
    alert: alertName(className, methodName, objective.kind),
    expr: `${over(window.long)} and ${over(window.short)}`,
    labels: { ...kindLabels, severity: window.severity, long_window: window.long, short_window: window.short },
    annotations: {
      summary: `${className}.${methodName} is spending its ${SLO_PERIOD} error budget ${window.burnRate} times too fast (objective: ${what})`,
      description:
        `${className}.${methodName}: more than ${formatPercent(threshold)} of calls were bad over the last ${window.long} and over the last ` +
        `${window.short} (burn rate above ${window.burnRate}); at that pace the budget of ${formatPercent(1 - objective.target)} bad calls lasts ` +
        `${SLO_PERIOD_DAYS / window.burnRate} days instead of ${SLO_PERIOD_DAYS}.`,
    },
  };
}

function formatPercent(ratio: number): string {
  return `${Number((ratio * 100).toPrecision(10))}%`;
}

/** `OrderServicePlaceLatencyBudgetBurn`: a valid alert name from the class, method and kind. */
function alertName(className: string, methodName: string, kind: string): string {
  const capitalized = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
  const name = `${className}${capitalized(methodName)}${capitalized(kind)}BudgetBurn`.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[a-zA-Z_]/.test(name) ? name : `_${name}`;
}
