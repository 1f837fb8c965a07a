import { InvalidOptionsError } from '../model/index.js';
import { DEFAULT_BUCKETS } from '../metrics/index.js';
import type { MethodObjective, RecordedMethod, RecorderContext } from './decorator-types.js';
import type { LatencyObjectiveOptions, SuccessObjectiveOptions } from './decorator-options.js';

/** Methods declaring an objective, in declaration order (what `promkit rules` reads). */
const withObjectives: RecordedMethod<unknown>[] = [];

/** Records that `method` declares an objective. */
export function noteObjective(method: RecordedMethod<unknown>): void {
  if (method.definition.objective !== undefined) withObjectives.push(method);
}

/** One objective declared on a decorated method, as `promkit rules` reads it. */
export interface DeclaredObjective {
  readonly objective: MethodObjective;
  /** The metric the method records into, without the container's prefix (and, for counters, without `_total`). */
  readonly metric: string;
  /** The `class` label; `undefined` while unknown (standard decorators learn it at the first construction, or see `learnClassNames`). */
  readonly className: string | undefined;
  /** The `method` label. */
  readonly methodName: string;
  /** Labels whose values each call computes (`labelNames`): summed away by the objective's rules. */
  readonly callLabelNames: readonly string[];
}

/** The objectives declared on decorated methods so far (by the classes defined until now). */
export function declaredObjectives(): DeclaredObjective[] {
  return withObjectives.map((method) => ({
    objective: method.definition.objective!,
    metric: method.definition.name,
    className: method.className,
    methodName: method.methodName,
    callLabelNames: method.definition.callLabelNames,
  }));
}

function checkTarget(metric: string, decorator: string, target: unknown): number {
  if (typeof target !== 'number' || !(target > 0 && target < 1)) {
    throw new InvalidOptionsError(metric, `${decorator} objective target must be a ratio between 0 and 1 exclusive (e.g. 0.999), got ${String(target)}`);
  }
  return target;
}

/**
 * The latency objective of a `@Timed()` histogram, checked: a positive threshold that is one
 * of the bucket bounds (its own, else the library's defaults), since only a bucket bound
 * counts the calls at most that long.
 */
export function latencyObjective(metric: string, options: LatencyObjectiveOptions, buckets: readonly number[] | undefined): MethodObjective {
  if (typeof options !== 'object' || options === null) throw new InvalidOptionsError(metric, '@Timed() objective must be { latency, target }');
  const target = checkTarget(metric, '@Timed()', options.target);
  const threshold = options.latency;
  if (typeof threshold !== 'number' || !Number.isFinite(threshold) || threshold <= 0) {
    throw new InvalidOptionsError(metric, `@Timed() objective latency must be a positive number of seconds, got ${String(threshold)}`);
  }
  const bounds = buckets ?? DEFAULT_BUCKETS;
  if (!bounds.includes(threshold)) {
    throw new InvalidOptionsError(
      metric,
      `@Timed() objective latency ${threshold} must be one of the histogram's bucket bounds [${bounds.join(', ')}]: only a bound counts the calls that took at most that long`,
    );
  }
  return { kind: 'latency', threshold, target };
}

/** The success-rate objective of a `@Counted()` method, checked. */
export function successObjective(metric: string, options: SuccessObjectiveOptions): MethodObjective {
  if (typeof options !== 'object' || options === null) throw new InvalidOptionsError(metric, '@Counted() objective must be { target }');
  return { kind: 'success', target: checkTarget(metric, '@Counted()', options.target) };
}

/**
 * Reports (`reason="objective"`) a latency objective whose threshold is not a bound of the
 * buckets the histogram gets in this runtime (the container's `defaultBuckets`): the method
 * is still timed, but the generated rules could not count its good calls.
 */
export function checkObjectiveBuckets(context: RecorderContext<unknown>): void {
  const { objective, buckets } = context.definition;
  if (objective?.kind !== 'latency') return;
  const effective = buckets ?? context.defaultBuckets ?? DEFAULT_BUCKETS;
  if (!effective.includes(objective.threshold)) {
    context.reporter.reportError(
      context.metricName,
      'objective',
      new InvalidOptionsError(context.metricName, `the objective latency ${objective.threshold} is not a bucket bound here ([${effective.join(', ')}])`),
    );
  }
}
