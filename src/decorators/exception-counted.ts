import { InvalidOptionsError } from '../model/index.js';
import { CallRecorder, SeriesByException, type MethodContext } from './call-recorder.js';
import type { CountingSeries, LabelledInstrument, SeriesLabels } from './decorator-types.js';
import type { ErrorClass, ExceptionCountedOptions, LabelRecord } from './decorator-options.js';
import { exceptionLabelOf } from './exception-label.js';
import { registerMethodCounter } from './instrument-registration.js';
import { EXCEPTION_LABEL } from './metric-definition.js';
import { createMethodDecorator, type MethodMetricDecorator } from './method-decorator.js';

/** The metric `@ExceptionCounted()` records into unless given a `name` (exposed as `method_exceptions_total`). */
export const EXCEPTIONS_METRIC = 'method_exceptions';

/**
 * Counts the failures of the method in `method_exceptions_total{class, method, exception}`
 * (`exception` = the error's class name); successful calls are not counted. With
 * `errors`, only errors that are `instanceof` one of the given classes count. The error is
 * always rethrown unchanged; a rejected Promise is counted when it rejects.
 *
 * No series is created ahead of the first failure: the exception names are not known
 * before. Query with `or vector(0)` / `absent()` where a zero matters.
 *
 * @example
 * ```ts
 * class Importer {
 *   @ExceptionCounted({ errors: [SyntaxError, RangeError] })
 *   parse(line: string): Row { ... }
 * }
 * ```
 */
export function ExceptionCounted<const L extends string = never, A extends readonly unknown[] = readonly unknown[], R extends LabelRecord<L> = LabelRecord<L>>(
  options: ExceptionCountedOptions<A, L, R> = {},
): MethodMetricDecorator<A> {
  const errors = options.errors;
  if (errors !== undefined && (!Array.isArray(errors) || errors.some((e) => typeof e !== 'function'))) {
    throw new InvalidOptionsError(options.name ?? EXCEPTIONS_METRIC, '@ExceptionCounted() errors must be a list of error classes, e.g. [TypeError]');
  }
  return createMethodDecorator({
    base: {
      decorator: 'ExceptionCounted',
      instrument: 'counter',
      defaultName: EXCEPTIONS_METRIC,
      defaultHelp: 'Failed calls to decorated methods, by class, method and exception.',
      outcomeLabels: [EXCEPTION_LABEL],
    },
    options,
    createRecorder: (context) => new ExceptionCountedRecorder(context, registerMethodCounter(context), errors),
  });
}

/** Counts the failures of one method into one registry's counter. */
class ExceptionCountedRecorder extends CallRecorder {
  private readonly failures: SeriesByException<CountingSeries>;

  constructor(
    context: MethodContext,
    private readonly metric: LabelledInstrument<CountingSeries>,
    private readonly errors: readonly ErrorClass[] | undefined,
  ) {
    super(context);
    this.failures = new SeriesByException(metric, context.baseLabels);
  }

  enter(): number {
    return 0;
  }

  exit(_start: number, labels: SeriesLabels | undefined, failed: boolean, outcome: unknown): void {
    if (!failed || !this.matches(outcome)) return;
    try {
      const exception = exceptionLabelOf(outcome);
      if (labels !== undefined) {
        labels[EXCEPTION_LABEL] = exception;
        this.metric.labels(labels).inc();
      } else {
        this.failures.get(exception).inc();
      }
    } catch (error) {
      this.report('record', error);
    }
  }

  private matches(thrown: unknown): boolean {
    const errors = this.errors;
    if (errors === undefined) return true;
    for (let i = 0; i < errors.length; i++) {
      try {
        if (thrown instanceof errors[i]) return true;
      } catch {
        // A class with a throwing Symbol.hasInstance does not match.
      }
    }
    return false;
  }
}
