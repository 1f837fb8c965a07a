import { columnValue, InvalidOptionsError, InvalidValueError, newPage, NO_PAGE, offsetInPage, startsPage } from '../model/index.js';
import type { LabelSet, MetricFamily, Sample } from '../model/index.js';
import { endsStep, type CollectSteps } from './collect-steps.js';
import { runSteps } from '../model/steps.js';
import { Metric } from './metric.js';
import { wakeSeries, type IdleMark } from './series-expiry.js';
import { ColumnFamily } from '../model/column-family.js';
import type { LabelValues, MetricOptions, TimerEnd, UnlabelledArgs } from './metric.js';
import { labelsAtStart, mergeLabels, monotonicSeconds, secondsSince, timeCall } from './timing.js';

/**
 * Options of a {@link Gauge}.
 *
 * @typeParam L - the label names.
 */
export interface GaugeOptions<L extends string = never> extends MetricOptions<L> {
  /**
   * Runs at every collect, before the values are read: set the gauge from the system it
   * describes (queue depth, pool size). May be async; `collect()` then returns a Promise.
   *
   * @example
   * ```ts
   * new Gauge({ name: 'queue_depth', help: 'Jobs waiting.', async collect() { this.set(await queue.depth()); } });
   * ```
   */
  readonly collect?: (this: Gauge<L>) => void | Promise<void>;
}


/** The error for a `setFunction` function that returned `value`, which is no number. */
function sourceRefused(metric: string, value: unknown): InvalidValueError {
  const what = value === null ? 'null' : value instanceof Promise ? 'a Promise (read an async source in the gauge\'s collect option)' : typeof value;
  return new InvalidValueError(metric, `the function given to setFunction must return a number, got ${what}`);
}
/** The rarely used state of a gauge series, allocated on first use. */
class GaugeExtras {
  source: (() => number) | undefined = undefined;
  lastSample: Sample | undefined = undefined;
}

/** One gauge series (bound to label values by `gauge.labels(...)`). */
export class GaugeChild {
  private value = 0;
  /** @internal Idle-series expiry state (see `seriesTtlSeconds`). */
  idle: IdleMark | undefined = undefined;
  /** The value function and cached sample: most series never need them, so they cost one field until then. */
  private extras: GaugeExtras | undefined = undefined;

  /** @internal Created by `Gauge`. */
  constructor(
    private readonly metric: string,
    private readonly labels: LabelSet,
  ) {}

  /** Sets the value. */
  set(value: number): void {
    if (this.idle !== undefined) wakeSeries(this);
    if (typeof value !== 'number') throw this.notANumber(value);
    this.value = value;
  }

  /** Adds `value` (default 1). */
  inc(value?: number): void {
    if (this.idle !== undefined) wakeSeries(this);
    // Written out rather than `value = 1` so that V8 folds the check away for a bare `inc()` (see `CounterChild.inc`).
    if (value === undefined) value = 1;
    else if (typeof value !== 'number') throw this.notANumber(value);
    this.value += value;
  }

  /** Subtracts `value` (default 1). */
  dec(value?: number): void {
    if (this.idle !== undefined) wakeSeries(this);
    // Written out rather than `value = 1` so that V8 folds the check away for a bare `dec()` (see `CounterChild.inc`).
    if (value === undefined) value = 1;
    else if (typeof value !== 'number') throw this.notANumber(value);
    this.value -= value;
  }

  /** Sets the value to the current unix time in seconds. */
  setToCurrentTime(): void {
    if (this.idle !== undefined) wakeSeries(this);
    this.value = Date.now() / 1000;
  }

  /** Starts a timer; the returned function sets the gauge to the elapsed seconds and returns them. */
  startTimer(): () => number {
    const start = monotonicSeconds();
    return () => {
      const seconds = secondsSince(start);
      if (this.idle !== undefined) wakeSeries(this);
      this.value = seconds;
      return seconds;
    };
  }

  /** Runs `fn` and sets the gauge to its duration in seconds (when a returned promise settles). */
  time<T>(fn: () => T): T {
    return timeCall(fn, (seconds) => {
      if (this.idle !== undefined) wakeSeries(this);
      this.value = seconds;
    });
  }

  /**
   * Increments now and returns a release function that decrements once (later calls do
   * nothing): the number of operations in progress.
   *
   * @example
   * ```ts
   * const release = inFlight.labels('upload').trackInProgress();
   * try { await upload(); } finally { release(); }
   * ```
   */
  trackInProgress(): () => void {
    if (this.idle !== undefined) wakeSeries(this);
    this.value += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (this.idle !== undefined) wakeSeries(this);
      this.value -= 1;
    };
  }

  /**
   * Reads the value from `fn` at every collect (and `get()`) instead of storing one; `set`,
   * `inc` and `dec` no longer show while a function is set. Pass `undefined` to go back.
   * `fn` must return a number, synchronously (read an async source in the gauge's
   * `collect` option): anything else, or a throw, leaves this gauge out of that scrape
   * with an `InvalidValueError` (reported like a failing collector), the rest is served.
   */
  setFunction(fn: (() => number) | undefined): void {
    if (this.idle !== undefined) wakeSeries(this);
    if (fn !== undefined && typeof fn !== 'function') throw new InvalidOptionsError(this.metric, 'setFunction takes a function returning a number');
    if (fn !== undefined || this.extras !== undefined) (this.extras ??= new GaugeExtras()).source = fn;
  }

  /** The current value (from the function, when one is set; `InvalidValueError` when it returns no number). */
  get(): number {
    const extras = this.extras;
    if (extras === undefined || extras.source === undefined) return this.value;
    const value: unknown = extras.source();
    if (typeof value === 'number') return value;
    // An async function's rejection would otherwise go unhandled; the error below says why it is refused.
    if (value instanceof Promise) value.catch(() => undefined);
    throw sourceRefused(this.metric, value);
  }

  /** @internal This series' labels, for the snapshot. */
  get labelSet(): LabelSet {
    return this.labels;
  }

  /** @internal Appends this series' sample for a snapshot of `value` (frozen, and reused while the value is unchanged). */
  collectInto(samples: Sample[], name: string, value: number): void {
    const extras = (this.extras ??= new GaugeExtras());
    let sample = extras.lastSample;
    if (sample === undefined || !Object.is(sample.value, value)) {
      sample = Object.freeze({ name, labels: this.labels, value });
      extras.lastSample = sample;
    }
    samples.push(sample);
  }

  private notANumber(value: unknown): InvalidValueError {
    return new InvalidValueError(this.metric, `a gauge value must be a number, got ${typeof value}`);
  }
}

/**
 * A gauge: a value that goes up and down (memory in use, queue length, temperature).
 *
 * @typeParam L - the label names (inferred from `labelNames`).
 * @example
 * ```ts
 * const inFlight = new Gauge({ name: 'jobs_in_flight', help: 'Jobs running.', labelNames: ['queue'] });
 * inFlight.inc({ queue: 'mail' });
 * const end = inFlight.startTimer({ queue: 'mail' }); // sets the gauge to the seconds elapsed
 * end();
 * ```
 */
export class Gauge<L extends string = never> extends Metric<L, GaugeChild> {
  private readonly onCollect: ((this: Gauge<L>) => void | Promise<void>) | undefined;

  /**
   * Validates the definition and registers (see {@link MetricOptions.registry}); returns the
   * already registered gauge when one with the same definition exists (get-or-create; that
   * gauge keeps its own `collect` callback).
   */
  constructor(options: GaugeOptions<L>) {
    super(options, 'gauge');
    if (options.collect !== undefined && typeof options.collect !== 'function') {
      throw new InvalidOptionsError(this.name, 'collect must be a function');
    }
    this.onCollect = options.collect;
    const active = this.joinRegistry(options.registry);
    if (active !== this) return active;
  }

  /** Sets the unlabelled series. */
  set(...args: UnlabelledArgs<L, [value: number]>): void;
  /** Sets the series of `labels`. */
  set(labels: LabelValues<L>, value: number): void;
  set(first: number | LabelValues<L>, second?: number): void {
    if (typeof first === 'object' && first !== null) this.childFor(first).set(second as number);
    else this.unlabelled().set(first);
  }

  /** Adds `value` (default 1) to the unlabelled series. */
  inc(...args: UnlabelledArgs<L, [value?: number]>): void;
  /** Adds `value` (default 1) to the series of `labels`. */
  inc(labels: LabelValues<L>, value?: number): void;
  inc(first?: number | LabelValues<L>, second?: number): void {
    if (typeof first === 'object' && first !== null) this.childFor(first).inc(second);
    else this.unlabelled().inc(first);
  }

  /** Subtracts `value` (default 1) from the unlabelled series. */
  dec(...args: UnlabelledArgs<L, [value?: number]>): void;
  /** Subtracts `value` (default 1) from the series of `labels`. */
  dec(labels: LabelValues<L>, value?: number): void;
  dec(first?: number | LabelValues<L>, second?: number): void {
    if (typeof first === 'object' && first !== null) this.childFor(first).dec(second);
    else this.unlabelled().dec(first);
  }

  /** Sets the series (unlabelled, or of `labels`) to the current unix time in seconds. */
  setToCurrentTime(labels?: LabelValues<L>): void {
    this.seriesOf(labels).setToCurrentTime();
  }

  /**
   * Starts a timer. The returned function sets the gauge to the elapsed seconds and returns
   * them; label values may be given at the start, at the end, or split between both (as in
   * prom-client).
   */
  startTimer(labels?: Partial<LabelValues<L>>): TimerEnd<L> {
    const atStart = labelsAtStart(labels);
    const start = monotonicSeconds();
    return (endLabels) => {
      const seconds = secondsSince(start);
      this.seriesOf(mergeLabels(atStart, endLabels)).set(seconds);
      return seconds;
    };
  }

  /** Runs `fn` and sets the unlabelled series to its duration in seconds (Promise-aware). */
  time<T>(...args: UnlabelledArgs<L, [fn: () => T]>): T;
  /** Runs `fn` and sets the series of `labels` to its duration in seconds (Promise-aware). */
  time<T>(labels: LabelValues<L>, fn: () => T): T;
  time<T>(first: LabelValues<L> | (() => T), second?: () => T): T {
    return typeof first === 'function' ? this.unlabelled().time(first) : this.childFor(first).time(second as () => T);
  }

  /**
   * Increments the series (unlabelled, or of `labels`) and returns a function that
   * decrements it once: operations in progress.
   */
  trackInProgress(labels?: LabelValues<L>): () => void {
    return this.seriesOf(labels).trackInProgress();
  }

  /** Reads the unlabelled series' value from `fn` at collect time (see {@link GaugeChild.setFunction}). */
  setFunction(fn: (() => number) | undefined): void {
    this.unlabelled().setFunction(fn);
  }

  /** The value of the unlabelled series, or of the series of `labels` (0 if it does not exist). */
  get(labels?: LabelValues<L>): number {
    if (labels === undefined) return this.unlabelled().get();
    return this.series.find([labels])?.get() ?? 0;
  }

  /**
   * One `gauge` family, one sample per series. Runs the `collect` option first; when that
   * is async, the result is a Promise.
   */
  collect(): MetricFamily[] | Promise<MetricFamily[]> {
    const onCollect = this.onCollect;
    if (onCollect !== undefined) {
      const pending = onCollect.call(this);
      if (pending !== undefined && typeof pending.then === 'function') return pending.then(() => runSteps(this.startSteps()));
    }
    return runSteps(this.startSteps());
  }

  /** @internal {@link collect} in steps; `undefined` with a `collect` callback, which must run first. */
  override collectSteps(): CollectSteps | undefined {
    return this.onCollect === undefined ? this.startSteps() : undefined;
  }

  protected createChild(_labelValues: readonly string[], labels: LabelSet): GaugeChild {
    return new GaugeChild(this.name, labels);
  }

  /** The values are read now; `Sample` objects are only built if something reads `samples`. */
  protected *stepsOver(children: readonly GaugeChild[], size: number): CollectSteps {
    const values: number[][] = [];
    let page = NO_PAGE;
    const labels = new Array<LabelSet>(size);
    for (let i = 0; i < size; i++) {
      if (startsPage(i)) values.push((page = newPage(i, size, 1)));
      page[offsetInPage(i, 1)] = children[i].get();
      labels[i] = children[i].labelSet;
      if (endsStep(i)) yield;
    }
    const name = this.name;
    const family = new ColumnFamily(
      this,
      { kind: 'gauge', size, labels, sharedLabels: undefined, values, stride: 1, created: undefined, exemplars: undefined, le: [], hasSum: false },
      (samples) => {
        for (let i = 0; i < size; i++) children[i].collectInto(samples, name, columnValue(values, i));
      },
    );
    return [family];
  }

  private unlabelled(): GaugeChild {
    const child = this.unlabelledChild;
    return child === undefined ? this.defaultChild() : child;
  }

  private seriesOf(labels: Partial<LabelValues<L>> | undefined): GaugeChild {
    return labels === undefined ? this.unlabelled() : this.childFor(labels as LabelValues<L>);
  }
}
