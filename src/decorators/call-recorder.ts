import type { Registry } from '../registry/index.js';
import type { DecoratorErrorReason, LabelledInstrument, MethodRecorder, MetricDefinition, ReadCallLabels, RecorderContext, SeriesLabels } from './decorator-types.js';
import { EXCEPTION_LABEL } from './metric-definition.js';

/** What a recorder is built from: one decorated method in one runtime (registry). */
export type MethodContext = RecorderContext<Registry>;

/**
 * Calls `definition`'s `labelsFrom` for one call and reads each call label's value at
 * once, into a record of its own; or keeps the error it threw. A call made before its
 * instance's runtime is known keeps this, not its arguments: objects the caller reuses or
 * changes afterwards do not change the labels of a call already made.
 */
export function readCallLabels(definition: MetricDefinition, args: ArrayLike<unknown>, instance: unknown): ReadCallLabels {
  let computed: unknown;
  try {
    computed = definition.labelsFrom?.(Array.prototype.slice.call(args), instance);
  } catch (error) {
    return { error };
  }
  if (computed === undefined) return { values: undefined };
  const values: Record<string, unknown> = {};
  for (const name of definition.callLabelNames) values[name] = (computed as Readonly<Record<string, unknown>> | null)?.[name];
  return { values };
}

/**
 * Records the calls of one decorated method into one registry. Built once per
 * (registry, method) and cached, so a call only reads a cached series, reads the clock,
 * calls, and records. `enter` and `exit` never throw: a failure inside the metrics library
 * is reported and counted, and the business method goes on.
 *
 * Subclasses are the four decorators' recorders; the instrumented wrapper only ever sees
 * these four shapes, which keeps its call sites polymorphic rather than megamorphic.
 */
export abstract class CallRecorder implements MethodRecorder {
  /** Whether the method declares `labelNames`, i.e. every call computes its own series. */
  readonly perCallLabels: boolean;

  protected constructor(protected readonly context: MethodContext) {
    this.perCallLabels = context.definition.callLabelNames.length > 0;
  }

  /**
   * The full label set of one call: the base labels plus what `labelsFrom` returned.
   * Guarded: a throwing callback or an unusable value is reported, and the label is left
   * empty so the call is still counted.
   */
  callLabels(args: ArrayLike<unknown>, instance: unknown): SeriesLabels {
    let computed: Readonly<Record<string, unknown>> | undefined;
    try {
      computed = this.context.definition.labelsFrom?.(Array.prototype.slice.call(args), instance);
    } catch (error) {
      this.report('labels_from', error);
    }
    return this.labelsOf(computed);
  }

  /** {@link callLabels} for a call whose `labelsFrom` was read when it was made (see {@link readCallLabels}). */
  labelsOfRead(read: ReadCallLabels): SeriesLabels {
    if ('error' in read) {
      this.report('labels_from', read.error);
      return this.labelsOf(undefined);
    }
    return this.labelsOf(read.values);
  }

  /** The base labels plus the call labels `computed` gives (`undefined`: none), each checked. */
  private labelsOf(computed: Readonly<Record<string, unknown>> | undefined): SeriesLabels {
    const definition = this.context.definition;
    const labels: SeriesLabels = { ...this.context.baseLabels };
    const names = definition.callLabelNames;
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      const value = computed?.[name];
      if (typeof value === 'string') {
        labels[name] = value;
      } else if (typeof value === 'number' && Number.isFinite(value)) {
        labels[name] = String(value);
      } else {
        labels[name] = '';
        if (computed !== undefined) {
          this.report(
            'labels_from',
            new TypeError(`labelsFrom returned ${value === null ? 'null' : typeof value} for label "${name}"; expected a string or a finite number`),
          );
        }
      }
    }
    return labels;
  }

  /** Called before the method runs; returns the start time (monotonic ms) when the recorder needs one. */
  abstract enter(labels: SeriesLabels | undefined): number;

  /** {@link enter} for a call that started at `start`; the recorders that measure durations take it as the start. */
  enterAt(labels: SeriesLabels | undefined, start: number): number {
    this.enter(labels);
    return start;
  }

  /** Called once the call settled: returned, threw, or its Promise settled. */
  abstract exit(start: number, labels: SeriesLabels | undefined, failed: boolean, outcome: unknown): void;

  protected report(reason: DecoratorErrorReason, error: unknown): void {
    this.context.reporter.reportError(this.context.metricName, reason, error);
  }
}

/**
 * A method's failure series, one per `exception` label value, each bound on the first
 * failure of its kind and reused after (the exception names are not known beforehand).
 */
export class SeriesByException<Series> {
  private readonly byException = new Map<string, Series>();

  /** `labels`: the series' labels but `exception` (the method's base labels, plus e.g. `result="failure"`). */
  constructor(
    private readonly metric: LabelledInstrument<Series>,
    private readonly labels: Readonly<SeriesLabels>,
  ) {}

  /** The series for `exception`. */
  get(exception: string): Series {
    let series = this.byException.get(exception);
    if (series === undefined) {
      series = this.metric.labels({ ...this.labels, [EXCEPTION_LABEL]: exception });
      this.byException.set(exception, series);
    }
    return series;
  }
}

/** Seconds since `start` (a `performance.now()` reading); never negative. */
export function secondsSince(start: number): number {
  const seconds = (performance.now() - start) / 1000;
  return seconds > 0 ? seconds : 0;
}
