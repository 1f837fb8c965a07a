import { InvalidOptionsError } from '../model/index.js';
import { CallRecorder, secondsSince, type MethodContext } from './call-recorder.js';
import type { GaugeSeries, LabelledInstrument, SeriesLabels } from './decorator-types.js';
import type { DecoratorOptionsView, GaugeCombine, GaugedOptions, GaugedOwnOptions, GaugeMode, LabelRecord } from './decorator-options.js';
import { InvalidDecoratorTargetError } from './method-decorator.js';
import { ScrapeGaugeRecorder } from './scrape-gauge.js';
import { registerGauge } from './instrument-registration.js';
import { createMethodDecorator, type MethodMetricDecorator } from './method-decorator.js';

/** The default metric name of each `@Gauged()` mode. */
export const GAUGED_METRICS: Readonly<Record<GaugeMode, string>> = {
  inProgress: 'method_in_progress',
  lastDuration: 'method_last_duration_seconds',
  lastSuccess: 'method_last_success_timestamp_seconds',
  value: 'method_value',
  scrape: 'method_scraped_value',
};

const HELP: Readonly<Record<GaugeMode, string>> = {
  inProgress: 'Calls to decorated methods in progress, by class and method.',
  lastDuration: 'Duration of the latest call to decorated methods, in seconds, by class and method.',
  lastSuccess: 'Unix time, in seconds, of the latest successful call to decorated methods, by class and method.',
  value: 'Numeric result of the latest successful call to decorated methods, by class and method.',
  scrape: 'Values read from decorated methods when scraped, by class and method (instances with the same labels combined).',
};

const MODES: readonly GaugeMode[] = ['inProgress', 'lastDuration', 'lastSuccess', 'value', 'scrape'];
const COMBINES: readonly GaugeCombine[] = ['sum', 'max', 'min'];

/**
 * A gauge per method, `method_in_progress{class, method}` by default. The `mode` chooses
 * what it shows (see {@link GaugeMode}); each mode has its own default metric name
 * ({@link GAUGED_METRICS}), since one family must mean one thing.
 *
 * @example
 * ```ts
 * class Worker {
 *   @Gauged()                                 // calls running now
 *   async run(job: Job): Promise<void> { ... }
 *
 *   @Gauged({ mode: 'value', name: 'queue_depth' })   // the returned number
 *   depth(): number { ... }
 * }
 * ```
 */
export function Gauged<const L extends string = never, A extends readonly unknown[] = readonly unknown[], R extends LabelRecord<L> = LabelRecord<L>>(
  options: GaugedOptions<A, L, R> = {},
): MethodMetricDecorator<A> {
  const mode = options.mode ?? 'inProgress';
  if (!MODES.includes(mode)) {
    throw new InvalidOptionsError(options.name ?? GAUGED_METRICS.inProgress, `@Gauged() mode ${JSON.stringify(mode)} is not one of ${MODES.join(', ')}`);
  }
  if (mode === 'scrape') return scrapeTimeGauge(options);
  if (options.combine !== undefined) {
    throw new InvalidOptionsError(options.name ?? GAUGED_METRICS[mode], '@Gauged() combine applies to mode "scrape" only');
  }
  return createMethodDecorator({
    base: {
      decorator: 'Gauged',
      instrument: 'gauge',
      defaultName: GAUGED_METRICS[mode],
      defaultHelp: HELP[mode],
      outcomeLabels: [],
    },
    options,
    createRecorder: (context) => new GaugedRecorder(context, registerGauge(context), MODES.indexOf(mode)),
    notOnClass: mode === 'value' ? 'mode "value" shows one method\'s result: put it on that method' : undefined,
  });
}

function scrapeTimeGauge(options: DecoratorOptionsView & GaugedOwnOptions): MethodMetricDecorator {
  const combine = options.combine ?? 'sum';
  if (!COMBINES.includes(combine)) {
    throw new InvalidOptionsError(options.name ?? GAUGED_METRICS.scrape, `@Gauged() combine ${JSON.stringify(combine)} is not one of ${COMBINES.join(', ')}`);
  }
  return createMethodDecorator({
    base: { decorator: 'Gauged', instrument: 'scrapeGauge', defaultName: GAUGED_METRICS.scrape, defaultHelp: HELP.scrape, outcomeLabels: [] },
    options,
    createRecorder: (context, original) => new ScrapeGaugeRecorder(context, original, combine),
    notOnClass: 'mode "scrape" reads one method: put it on that method',
    checkMethod: (method, where) => {
      if (method.length > 0) {
        throw new InvalidDecoratorTargetError('Gauged', where, `mode "scrape" calls the method with no argument, and it declares ${method.length}`);
      }
    },
    scrapeTime: true,
  });
}

// Modes as small integers: one recorder class for all modes keeps the wrapper's call
// sites at four shapes.
const IN_PROGRESS = 0;
const LAST_DURATION = 1;
const LAST_SUCCESS = 2;
const VALUE = 3;

/** Keeps one method's gauge in one registry. */
class GaugedRecorder extends CallRecorder {
  private series: GaugeSeries | null;

  constructor(
    context: MethodContext,
    private readonly metric: LabelledInstrument<GaugeSeries>,
    private readonly mode: number,
  ) {
    super(context);
    // A last-success timestamp has no value before the first success: a 0 would claim one
    // in 1970 (and fire every "no success for an hour" alert after a restart).
    this.series = this.perCallLabels || mode === LAST_SUCCESS ? null : metric.labels({ ...context.baseLabels });
  }

  enter(labels: SeriesLabels | undefined): number {
    if (this.mode === IN_PROGRESS) {
      try {
        this.seriesFor(labels).inc();
      } catch (error) {
        this.report('record', error);
      }
      return 0;
    }
    return this.mode === LAST_DURATION ? performance.now() : 0;
  }

  exit(start: number, labels: SeriesLabels | undefined, failed: boolean, outcome: unknown): void {
    try {
      switch (this.mode) {
        case IN_PROGRESS:
          this.seriesFor(labels).dec();
          return;
        case LAST_DURATION:
          this.seriesFor(labels).set(secondsSince(start));
          return;
        case LAST_SUCCESS:
          if (!failed) this.seriesFor(labels).set(Date.now() / 1000);
          return;
        case VALUE:
          if (failed) return;
          if (typeof outcome === 'number') this.seriesFor(labels).set(outcome);
          else if (typeof outcome === 'bigint') this.seriesFor(labels).set(Number(outcome));
          else this.report('value', new TypeError(`the method returned ${outcome === null ? 'null' : typeof outcome}, not a number`));
          return;
      }
    } catch (error) {
      this.report('record', error);
    }
  }

  private seriesFor(labels: SeriesLabels | undefined): GaugeSeries {
    if (labels !== undefined) return this.metric.labels(labels);
    return (this.series ??= this.metric.labels({ ...this.context.baseLabels }));
  }
}
