import { type MetricType, familyNameOf, InvalidLabelNameError, InvalidOptionsError, ReservedLabelNameError, validateLabelNames, validateMetricName } from '../model/index.js';
import { checkedSeriesLimits } from '../metrics/series-limits.js';
import type { NativeHistogramOptions } from '../metrics/native-buckets.js';
import type { DecoratorOptionsView } from './decorator-options.js';
import type { CallLabels, DecoratorKind, InstrumentKind, MethodObjective, MetricDefinition } from './decorator-types.js';

/** The label naming the class that declares the decorated method. */
export const CLASS_LABEL = 'class';
/** The label naming the decorated method. */
export const METHOD_LABEL = 'method';
/** The label naming the thrown value's class (`none` on success), on `@Timed`, `@Counted`, `@ExceptionCounted`. */
export const EXCEPTION_LABEL = 'exception';
/** The label `success`/`failure` of `@Counted`. */
export const RESULT_LABEL = 'result';

const RESERVED_LABELS: readonly string[] = [CLASS_LABEL, METHOD_LABEL, EXCEPTION_LABEL, RESULT_LABEL];

/** The parts of a definition a decorator decides itself. */
export interface DefinitionBase {
  readonly decorator: DecoratorKind;
  readonly instrument: InstrumentKind;
  readonly defaultName: string;
  readonly defaultHelp: string;
  readonly outcomeLabels: readonly string[];
  readonly buckets?: readonly number[];
  readonly percentiles?: readonly number[];
  readonly native?: NativeHistogramOptions;
  readonly objective?: MethodObjective;
}

/**
 * Validates a decorator's options and builds its {@link MetricDefinition}. Throws
 * {@link InvalidOptionsError} (or the model's name errors) at class definition time.
 */
export function buildDefinition(base: DefinitionBase, options: DecoratorOptionsView, where: string): MetricDefinition {
  const given = options.name ?? base.defaultName;
  // Counters are families without `_total` (the model's one naming rule); the sample name users see is accepted.
  validateMetricName(given);
  const name = base.instrument === 'counter' ? familyNameOf('counter', given, '') : given;
  const help = options.help ?? base.defaultHelp;
  if (typeof help !== 'string' || help.length === 0) {
    throw new InvalidOptionsError(name, `@${base.decorator}() on ${where}: help must be a non-empty string`);
  }
  const constantLabels: Record<string, string> = {};
  const constantNames = Object.keys(options.labels ?? {}).sort();
  for (const label of constantNames) {
    const value = (options.labels as Record<string, unknown>)[label];
    if (typeof value !== 'string') {
      throw new InvalidOptionsError(name, `@${base.decorator}() on ${where}: constant label ${JSON.stringify(label)} must have a string value`);
    }
    constantLabels[label] = value;
  }
  const callLabelNames = [...(options.labelNames ?? [])];
  if (callLabelNames.length > 0 && typeof options.labelsFrom !== 'function') {
    throw new InvalidOptionsError(name, `@${base.decorator}() on ${where}: labelNames [${callLabelNames.join(', ')}] need a labelsFrom(args, instance) function`);
  }
  if (callLabelNames.length === 0 && options.labelsFrom !== undefined) {
    throw new InvalidOptionsError(name, `@${base.decorator}() on ${where}: labelsFrom needs labelNames declaring the labels it returns`);
  }
  const limits = checkedSeriesLimits(name, options);
  if ((limits.maxSeries !== undefined || limits.seriesTtlSeconds !== undefined) && (base.instrument === 'longTask' || base.instrument === 'scrapeGauge')) {
    throw new InvalidOptionsError(name, `@${base.decorator}() on ${where}: maxSeries and seriesTtlSeconds bound recorded series; a metric computed at scrape time has none to bound`);
  }
  const labelNames = [CLASS_LABEL, METHOD_LABEL, ...base.outcomeLabels, ...constantNames, ...callLabelNames];
  validateDecoratorLabelNames(base, name, where, [...constantNames, ...callLabelNames]);
  return {
    decorator: base.decorator,
    instrument: base.instrument,
    name,
    help,
    labelNames,
    outcomeLabels: base.outcomeLabels,
    constantLabels,
    callLabelNames,
    // Checked above to be a function; its arguments are the call's (typed by the decorator's `A`).
    labelsFrom: options.labelsFrom as ((args: readonly unknown[], instance: unknown) => CallLabels) | undefined,
    buckets: base.buckets,
    percentiles: base.percentiles,
    native: base.native,
    objective: base.objective,
    limits,
  };
}

/**
 * The label names a decorator's options add (constant and per-call): not one the decorator
 * sets itself, then the instruments' own rules (legal, not `__*`, not `le` on a histogram or
 * `quantile` on a summary, not repeated). The errors are the instruments' own
 * ({@link InvalidLabelNameError}, {@link ReservedLabelNameError}), their reason prefixed with
 * the decorator and the method, so the message points at the annotation to fix.
 */
function validateDecoratorLabelNames(base: DefinitionBase, name: string, where: string, labels: readonly string[]): void {
  const context = `@${base.decorator}() on ${where}`;
  for (const label of labels) {
    if (RESERVED_LABELS.includes(label)) throw new ReservedLabelNameError(name, label, `${context}: label ${JSON.stringify(label)} is set by the decorator itself`);
  }
  try {
    validateLabelNames(name, metricTypeOf(base.instrument), labels);
  } catch (error) {
    if (!(error instanceof InvalidLabelNameError)) throw error;
    const Same = error instanceof ReservedLabelNameError ? ReservedLabelNameError : InvalidLabelNameError;
    throw new Same(name, error.labelName, `${context}: ${error.reason}`);
  }
}

/** The exposed type whose label rules apply: families computed at scrape time are gauges. */
function metricTypeOf(instrument: InstrumentKind): MetricType {
  return instrument === 'longTask' || instrument === 'scrapeGauge' ? 'gauge' : instrument;
}

/** The first declaration of each decorator metric name, to check every later one against. */
const claimed = new Map<string, { definition: MetricDefinition; where: string }>();

/** Every decorator metric declared so far (its first declaration), by name. */
export function declaredMetrics(): MetricDefinition[] {
  return [...claimed.values()].map((claim) => claim.definition);
}

/**
 * Records that `where` uses `definition.name`, or throws when another decorated method
 * already uses that name with a different instrument, help, label set, buckets or
 * quantiles: one family cannot have two shapes, so the method needs its own `name`.
 * Checked at class definition time, for every registry at once.
 */
export function claimMetricName(definition: MetricDefinition, where: string): void {
  const first = claimed.get(definition.name);
  if (first === undefined) {
    claimed.set(definition.name, { definition, where });
    return;
  }
  const difference = definitionDifference(first.definition, definition);
  if (difference !== undefined) {
    throw new InvalidOptionsError(
      definition.name,
      `@${definition.decorator}() on ${where} ${difference.now} but ${first.where} (@${first.definition.decorator}()) ${difference.before} ` +
        `under the same metric name, and one metric has one definition: give ${where} its own name, ` +
        `e.g. @${definition.decorator}({ name: '${suggestedName(definition, where)}', ... })`,
    );
  }
}

function definitionDifference(a: MetricDefinition, b: MetricDefinition): { now: string; before: string } | undefined {
  if (a.instrument !== b.instrument) return { now: `records a ${b.instrument}`, before: `records a ${a.instrument}` };
  if (!sameList(a.labelNames, b.labelNames)) {
    return { now: `has the labels [${b.labelNames.join(', ')}]`, before: `has [${a.labelNames.join(', ')}]` };
  }
  if (a.help !== b.help) return { now: `has the help ${JSON.stringify(b.help)}`, before: `has ${JSON.stringify(a.help)}` };
  if (!sameList(a.buckets ?? [], b.buckets ?? [])) {
    return { now: `has the buckets [${b.buckets?.join(', ') ?? 'default'}]`, before: `has [${a.buckets?.join(', ') ?? 'default'}]` };
  }
  if (!sameList(a.percentiles ?? [], b.percentiles ?? [])) {
    return { now: `has the percentiles [${b.percentiles?.join(', ') ?? ''}]`, before: `has [${a.percentiles?.join(', ') ?? ''}]` };
  }
  if (JSON.stringify(a.native ?? null) !== JSON.stringify(b.native ?? null)) {
    return { now: `has the native buckets ${JSON.stringify(b.native ?? 'none')}`, before: `has ${JSON.stringify(a.native ?? 'none')}` };
  }
  for (const limit of ['maxSeries', 'seriesTtlSeconds'] as const) {
    if (a.limits[limit] !== b.limits[limit]) return { now: `has ${limit} ${b.limits[limit] ?? 'unset'}`, before: `has ${a.limits[limit] ?? 'unset'}` };
  }
  return undefined;
}

function sameList(a: readonly (string | number)[], b: readonly (string | number)[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function suggestedName(definition: MetricDefinition, where: string): string {
  const method = where.slice(where.lastIndexOf('.') + 1).replace(/[^a-zA-Z0-9_]/g, '_');
  const snake = method.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  switch (definition.decorator) {
    case 'Timed':
      return `${snake}_seconds`;
    case 'Counted':
      return `${snake}_calls_total`;
    case 'Gauged':
      return `${snake}_in_progress`;
    case 'ExceptionCounted':
      return `${snake}_exceptions_total`;
  }
}
