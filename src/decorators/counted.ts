import { InvalidOptionsError } from '../model/index.js';
import { successObjective } from './objective.js';
import { CallRecorder, SeriesByException, type MethodContext } from './call-recorder.js';
import type { CountingSeries, LabelledInstrument, SeriesLabels } from './decorator-types.js';
import type { CountedOptions, LabelRecord } from './decorator-options.js';
import { exceptionLabelOf, NO_EXCEPTION } from './exception-label.js';
import { registerMethodCounter } from './instrument-registration.js';
import { EXCEPTION_LABEL, RESULT_LABEL } from './metric-definition.js';
import { createMethodDecorator, type MethodMetricDecorator } from './method-decorator.js';

/** The metric `@Counted()` records into unless given a `name` (exposed as `method_counted_total`). */
export const COUNTED_METRIC = 'method_counted';

/** The `result` label of a call that returned (or whose Promise resolved). */
export const SUCCESS_RESULT = 'success';
/** The `result` label of a call that threw (or whose Promise rejected). */
export const FAILURE_RESULT = 'failure';

/**
 * Counts every completed call of the method in `method_counted_total{class, method, result,
 * exception}`: `result="success",exception="none"`, or `result="failure"` with the error's
 * class name. A Promise-returning method counts when the Promise settles. With
 * `recordFailuresOnly`, successful calls are not counted.
 *
 * @example
 * ```ts
 * class PaymentClient {
 *   @Counted()
 *   async charge(amount: number): Promise<void> { ... }
 * }
 * ```
 */
export function Counted<const L extends string = never, A extends readonly unknown[] = readonly unknown[], R extends LabelRecord<L> = LabelRecord<L>>(
  options: CountedOptions<A, L, R> = {},
): MethodMetricDecorator<A> {
  const failuresOnly = options.recordFailuresOnly === true;
  const name = options.name ?? COUNTED_METRIC;
  if (options.objective !== undefined && failuresOnly) {
    throw new InvalidOptionsError(name, '@Counted() objective needs the successful calls counted: not with recordFailuresOnly');
  }
  const objective = options.objective === undefined ? undefined : successObjective(name, options.objective);
  return createMethodDecorator({
    base: {
      decorator: 'Counted',
      instrument: 'counter',
      defaultName: COUNTED_METRIC,
      defaultHelp: 'Completed calls to decorated methods, by class, method, result ("success"/"failure") and exception.',
      outcomeLabels: [RESULT_LABEL, EXCEPTION_LABEL],
      objective,
    },
    options,
    createRecorder: (context) => new CountedRecorder(context, registerMethodCounter(context), failuresOnly),
  });
}

/** Counts completed calls of one method into one registry's counter. */
class CountedRecorder extends CallRecorder {
  private readonly success: CountingSeries | null;
  private readonly failures: SeriesByException<CountingSeries>;

  constructor(
    context: MethodContext,
    private readonly metric: LabelledInstrument<CountingSeries>,
    private readonly failuresOnly: boolean,
  ) {
    super(context);
    this.failures = new SeriesByException(metric, { ...context.baseLabels, [RESULT_LABEL]: FAILURE_RESULT });
    this.success =
      this.perCallLabels || failuresOnly
        ? null
        : metric.labels({ ...context.baseLabels, [RESULT_LABEL]: SUCCESS_RESULT, [EXCEPTION_LABEL]: NO_EXCEPTION });
  }

  enter(): number {
    return 0;
  }

  exit(_start: number, labels: SeriesLabels | undefined, failed: boolean, outcome: unknown): void {
    if (!failed && this.failuresOnly) return;
    try {
      if (labels !== undefined) {
        labels[RESULT_LABEL] = failed ? FAILURE_RESULT : SUCCESS_RESULT;
        labels[EXCEPTION_LABEL] = failed ? exceptionLabelOf(outcome) : NO_EXCEPTION;
        this.metric.labels(labels).inc();
      } else if (!failed && this.success !== null) {
        this.success.inc();
      } else {
        this.failures.get(exceptionLabelOf(outcome)).inc();
      }
    } catch (error) {
      this.report('record', error);
    }
  }
}
