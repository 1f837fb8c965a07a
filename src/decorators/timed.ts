import { InvalidOptionsError } from '../model/index.js';
import { frozenCopy } from '../model/frozen-copy.js';
import { BucketLayout } from '../metrics/buckets.js';
import { NativeConfig, type NativeHistogramOptions } from '../metrics/native-buckets.js';
import { resolvePercentiles } from '../metrics/summary.js';
import { CallRecorder, SeriesByException, secondsSince, type MethodContext } from './call-recorder.js';
import type { LabelledInstrument, ObservingSeries, SeriesLabels } from './decorator-types.js';
import type { DecoratorOptionsView, TimedOptions, TimedOwnOptions, LabelRecord } from './decorator-options.js';
import { exceptionLabelOf, NO_EXCEPTION } from './exception-label.js';
import { registerTimer } from './instrument-registration.js';
import { LONG_TASK_METRIC, LongTaskRecorder } from './long-task.js';
import { checkObjectiveBuckets, latencyObjective } from './objective.js';
import { EXCEPTION_LABEL } from './metric-definition.js';
import { createMethodDecorator, type MethodMetricDecorator } from './method-decorator.js';

/** The metric `@Timed()` records into unless given a `name`. */
export const TIMED_METRIC = 'method_timed_seconds';

/**
 * Times every call of the method into the histogram `method_timed_seconds{class, method,
 * exception}` (a Summary when `percentiles` is given), in seconds from a monotonic clock.
 * The duration is recorded whether the call succeeds (`exception="none"`) or fails
 * (`exception` = the error's class name); for a method returning a Promise, when it settles.
 *
 * @example
 * ```ts
 * class OrderService {
 *   @Timed()
 *   async place(order: Order): Promise<Receipt> { ... }
 *
 *   @Timed({ name: 'order_lookup_seconds', buckets: [0.001, 0.01, 0.1] })
 *   find(id: string): Order | undefined { ... }
 * }
 * ```
 * @throws {@link InvalidOptionsError} at class definition when both `buckets` and
 *   `percentiles` are given, or for invalid names/labels.
 */
export function Timed<const L extends string = never, A extends readonly unknown[] = readonly unknown[], R extends LabelRecord<L> = LabelRecord<L>>(
  options: TimedOptions<A, L, R> = {},
): MethodMetricDecorator<A> {
  if (options.longTask === true) return longTaskTimer(options);
  const name = options.name ?? TIMED_METRIC;
  // Copies, checked now: the metric is made at the method's first call, from what was
  // checked here, whatever the caller does with its arrays meanwhile.
  const buckets = frozenCopy(options.buckets);
  const percentiles = frozenCopy(options.percentiles);
  if (buckets !== undefined && percentiles !== undefined) {
    throw new InvalidOptionsError(name, '@Timed() takes either buckets (a Histogram) or percentiles (a Summary), not both');
  }
  // The histogram's own validation, now: a bad list fails at class definition, not later.
  if (buckets !== undefined) new BucketLayout(name, buckets);
  if (percentiles !== undefined) validatePercentiles(name, percentiles);
  if (options.objective !== undefined && percentiles !== undefined) {
    throw new InvalidOptionsError(name, '@Timed() objective needs a histogram (buckets), not a summary (percentiles)');
  }
  const native = nativeOptionsOf(name, options);
  const objective = options.objective === undefined ? undefined : latencyObjective(name, options.objective, buckets);
  return createMethodDecorator({
    base: {
      decorator: 'Timed',
      instrument: percentiles !== undefined ? 'summary' : 'histogram',
      defaultName: TIMED_METRIC,
      defaultHelp: 'Duration of calls to decorated methods, in seconds, by class, method and exception ("none" on success).',
      outcomeLabels: [EXCEPTION_LABEL],
      buckets,
      percentiles,
      ...(native === undefined ? {} : { native }),
      objective,
    },
    options,
    createRecorder: (context) => {
      const metric = registerTimer(context);
      checkObjectiveBuckets(context);
      return new TimedRecorder(context, metric);
    },
  });
}

function longTaskTimer(options: DecoratorOptionsView & TimedOwnOptions): MethodMetricDecorator {
  const name = options.name ?? LONG_TASK_METRIC;
  for (const option of ['buckets', 'percentiles', 'objective', 'native'] as const) {
    if (options[option] !== undefined) throw new InvalidOptionsError(name, `@Timed({ longTask: true }) shows running calls, not completed ones: it takes no ${option}`);
  }
  return createMethodDecorator({
    base: {
      decorator: 'Timed',
      instrument: 'longTask',
      defaultName: LONG_TASK_METRIC,
      defaultHelp: 'Long-running calls to decorated methods, by class and method',
      outcomeLabels: [],
    },
    options,
    createRecorder: (context) => new LongTaskRecorder(context),
    scrapeTime: true,
  });
}

/** The `native` option, checked now (the histogram's own checks) and with its defaults filled in; `undefined` when off. */
function nativeOptionsOf(name: string, options: TimedOwnOptions): NativeHistogramOptions | undefined {
  const native = options.native;
  if (native === undefined || native === false) return undefined;
  if (options.percentiles !== undefined) throw new InvalidOptionsError(name, '@Timed() native buckets need a histogram, not a summary (percentiles)');
  const config = new NativeConfig(name, native === true ? {} : native);
  return { bucketFactor: config.bucketFactor, zeroThreshold: config.zeroThreshold, maxBuckets: config.maxBuckets, negativeObservations: config.negativeObservations };
}

function validatePercentiles(name: string, percentiles: readonly number[]): void {
  if (Array.isArray(percentiles) && percentiles.length === 0) throw new InvalidOptionsError(name, '@Timed() percentiles must not be empty');
  // The summary's own checks (range, duplicates), now rather than at first use.
  resolvePercentiles(name, { percentiles });
}

/** Records call durations of one method into one registry's histogram or summary. */
class TimedRecorder extends CallRecorder {
  /** The success series, bound once (absent when the method has per-call labels). */
  private readonly success: ObservingSeries | null;
  private readonly failures: SeriesByException<ObservingSeries>;

  constructor(
    context: MethodContext,
    private readonly metric: LabelledInstrument<ObservingSeries>,
  ) {
    super(context);
    this.failures = new SeriesByException(metric, context.baseLabels);
    this.success = this.perCallLabels ? null : metric.labels({ ...context.baseLabels, [EXCEPTION_LABEL]: NO_EXCEPTION });
  }

  enter(): number {
    return performance.now();
  }

  exit(start: number, labels: SeriesLabels | undefined, failed: boolean, outcome: unknown): void {
    const seconds = secondsSince(start);
    try {
      if (labels !== undefined) {
        labels[EXCEPTION_LABEL] = failed ? exceptionLabelOf(outcome) : NO_EXCEPTION;
        this.metric.labels(labels).observe(seconds);
      } else if (!failed && this.success !== null) {
        this.success.observe(seconds);
      } else {
        this.failures.get(exceptionLabelOf(outcome)).observe(seconds);
      }
    } catch (error) {
      this.report('record', error);
    }
  }
}
