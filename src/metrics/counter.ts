import { columnValue, InvalidValueError, newPage, NO_PAGE, offsetInPage, startsPage } from '../model/index.js';
import type { Exemplar, LabelSet, MetricFamily, Sample } from '../model/index.js';
import { endsStep, type CollectSteps } from './collect-steps.js';
import { runSteps } from '../model/steps.js';
import { createExemplar } from './exemplar.js';
import { creationSeconds } from './creation-time.js';
import { exemplarProbe, exemplarSource, exemplarWindowEnd, NO_SAMPLED_SPAN, onTracingChange, sampleExemplar, traceExemplarsOption } from './exemplar-source.js';
import { bindInstanceMethod } from './instance-method.js';
import { Metric } from './metric.js';
import { wakeSeries, type IdleMark } from './series-expiry.js';
import { ColumnFamily } from '../model/column-family.js';
import type { LabelValues, MetricOptions, UnlabelledArgs } from './metric.js';

/**
 * Options of a {@link Counter}: the common {@link MetricOptions}, and whether increments
 * made under a sampled trace span take its ids as exemplar.
 *
 * @typeParam L - the label names.
 */
export interface CounterOptions<L extends string = never> extends MetricOptions<L> {
  /**
   * `false`: no automatic exemplars from the active trace span for this counter (see
   * `promkit/opentelemetry`). Explicit exemplar labels given to `inc` are kept either way.
   * Default `true`.
   */
  readonly exemplars?: boolean;
}

/**
 * One counter series (a counter bound to label values by `counter.labels(...)`). Keep it
 * to record without any label lookup.
 */
export class CounterChild {
  private value = 0;
  /**
   * When the series was created, in seconds. Declared without an initializer and set in the
   * constructor, so that it holds the number `creationSeconds` shares (see there): 16 bytes
   * less per series than a double of its own.
   */
  private readonly created: number;
  /** @internal Idle-series expiry state (see `seriesTtlSeconds`). */
  idle: IdleMark | undefined = undefined;
  /**
   * The last probe of the rate limit through which this series does not ask for the active
   * trace: the window's last once it got an exemplar, the current one once it found no
   * sampled span. Written by every recording series at most once per probe, so kept inline.
   */
  private closedThrough = -1;
  /** Exemplar state and cached samples: most series never need them, so they cost one field until then. */
  private extras: CounterExtras | undefined = undefined;

  /** @internal Created by `Counter`. */
  constructor(
    private readonly shared: CounterShared,
    private readonly labels: LabelSet,
  ) {
    this.created = creationSeconds();
  }

  /**
   * Adds `value` (default 1; must be >= 0, else `InvalidValueError`). With `exemplarLabels`
   * (e.g. `{ trace_id }`), this increment becomes the series' exemplar.
   */
  inc(value?: number, exemplarLabels?: LabelSet): void {
    this.add(value, exemplarLabels);
  }

  /**
   * @internal `inc` while tracing is set up (see `hookTraceExemplars`): the increment, then,
   * without explicit exemplar labels, an exemplar from the active trace unless this series
   * is closed until the next probe.
   */
  incWithTrace(value?: number, exemplarLabels?: LabelSet): void {
    const added = this.add(value, exemplarLabels);
    if (exemplarLabels === undefined && this.closedThrough < exemplarProbe) this.sampleTraceExemplar(added);
  }

  /** The increment both forms of `inc` make; returns the amount added. */
  private add(value: number | undefined, exemplarLabels: LabelSet | undefined): number {
    if (this.idle !== undefined) wakeSeries(this);
    // The default is written out, not as `value = 1`: V8 folds the check below away for an
    // `inc()` only this way (measured: 2.7 ns vs 1.3 ns per unlabelled `inc()`).
    if (value === undefined) value = 1;
    else if (typeof value !== 'number' || !(value >= 0)) throw this.refused(value);
    // The exemplar is built first so that a rejected one leaves the total untouched.
    if (exemplarLabels !== undefined) this.keepExemplar(createExemplar(this.shared.metric, exemplarLabels, value));
    this.value += value;
    return value;
  }

  /** The error for an increment by `value`, built here so that `add` keeps only its hot path. */
  private refused(value: unknown): InvalidValueError {
    return new InvalidValueError(this.shared.metric, `a counter can only go up; cannot increment by ${String(value)}`);
  }

  /**
   * Takes the active sampled span as exemplar of an increment by `value`; called only while
   * this series is open (no exemplar of either kind in the current window, and no miss
   * since the last probe).
   */
  private sampleTraceExemplar(value: number): void {
    const source = exemplarSource;
    if (source === undefined || !this.shared.traceExemplars) {
      // Closed until the next probe, so that `incWithTrace` does not call in again before it.
      this.closedThrough = exemplarProbe;
      return;
    }
    const exemplar = sampleExemplar(source, value, -Infinity);
    if (exemplar === NO_SAMPLED_SPAN) this.closedThrough = exemplarProbe;
    else if (exemplar !== undefined) this.keepExemplar(exemplar);
  }

  private keepExemplar(exemplar: Exemplar): void {
    (this.extras ??= new CounterExtras()).exemplar = exemplar;
    this.closedThrough = exemplarWindowEnd;
  }

  /** The current total. */
  get(): number {
    return this.value;
  }

  /** @internal The exemplar of the last increment that had one. */
  get lastExemplar(): Exemplar | undefined {
    return this.extras?.exemplar;
  }

  /** @internal This series' labels, for the snapshot. */
  get labelSet(): LabelSet {
    return this.labels;
  }

  /** @internal */
  get createdSeconds(): number {
    return this.created;
  }

  /**
   * @internal Appends this series' `_total` and `_created` samples for a snapshot taken
   * with `value` and `exemplar`. Both are cached and reused while unchanged: a scrape of
   * many idle series then allocates (and leaves for the garbage collector) almost nothing.
   * Samples are frozen, so sharing them is safe.
   */
  collectInto(samples: Sample[], totalName: string, createdName: string, value: number, exemplar: Exemplar | undefined): void {
    const extras = (this.extras ??= new CounterExtras());
    let total = extras.totalSample;
    if (total === undefined || total.value !== value || total.exemplar !== exemplar) {
      total = Object.freeze(
        exemplar === undefined
          ? { name: totalName, labels: this.labels, value }
          : { name: totalName, labels: this.labels, value, exemplar },
      );
      extras.totalSample = total;
    }
    let created = extras.createdSample;
    if (created === undefined) {
      created = Object.freeze({ name: createdName, labels: this.labels, value: this.created });
      extras.createdSample = created;
    }
    samples.push(total, created);
  }
}

/** What the series of one counter share. */
interface CounterShared {
  readonly metric: string;
  /** Whether increments take automatic exemplars from the active trace span. */
  readonly traceExemplars: boolean;
}

/** The rarely used state of a counter series, allocated on first use. */
class CounterExtras {
  exemplar: Exemplar | undefined = undefined;
  totalSample: Sample | undefined = undefined;
  createdSample: Sample | undefined = undefined;
}

/** `CounterChild.inc` as written: how a series records unless tracing is set up. */
const incWithoutTrace = CounterChild.prototype.inc;
/** How a series records while it is. */
const incWithTrace = CounterChild.prototype.incWithTrace;

let traceHooked = false;

/**
 * Has `inc` swapped on the prototype whenever tracing is set up or shut down (seen at the
 * next exemplar probe), rather than tested in `inc`: the check for a closed series costs
 * about as much as the unlabelled increment itself (measured ~1.5 ns on ~1.3 ns), and
 * the OpenTelemetry API is often installed by some dependency in a program that does not
 * trace. Done by the first counter, not when this module loads, so that the module stays
 * free of side effects for bundlers.
 */
function hookTraceExemplars(): void {
  if (traceHooked) return;
  traceHooked = true;
  onTracingChange((tracing) => {
    const inc = tracing ? incWithTrace : incWithoutTrace;
    // Written only when it changes: V8 inlines a prototype method best while it was never reassigned.
    if (CounterChild.prototype.inc !== inc) CounterChild.prototype.inc = inc;
  });
}

/**
 * `inc` of an unlabelled counter, bound to its only series (`this`) and to the counter: a
 * plain increment goes straight to the series, a labels object (which can only be `{}`)
 * through the counter's general `inc`.
 */
function unlabelledInc<L extends string>(this: CounterChild, counter: Counter<L>, first?: number | LabelValues<L>, second?: number | LabelSet, third?: LabelSet): void {
  if (typeof first !== 'object') this.inc(first, second as LabelSet | undefined);
  else Counter.prototype.inc.call(counter, first as LabelValues<L>, second as number | undefined, third);
}

/**
 * A counter: a total that only goes up (requests served, bytes sent). Exposed as
 * `<name>_total` plus `<name>_created`; the family name never ends in `_total`, and the
 * `name` option may be given with or without it (as in client_python).
 *
 * @typeParam L - the label names (inferred from `labelNames`).
 * @example
 * ```ts
 * const requests = new Counter({ name: 'http_requests', help: 'Requests served.', labelNames: ['method'] });
 * requests.inc({ method: 'GET' });
 * const posts = requests.labels({ method: 'POST' }); // bind once, record fast
 * posts.inc(2, { trace_id: 'abc123' });              // with an exemplar
 * ```
 */
export class Counter<L extends string = never> extends Metric<L, CounterChild> {
  private readonly totalName: string;
  private readonly createdName: string;
  private readonly shared: CounterShared;

  /**
   * Validates the definition and registers (see {@link MetricOptions.registry}); returns the
   * already registered counter when one with the same definition exists (get-or-create).
   */
  constructor(options: CounterOptions<L>) {
    super(options, 'counter');
    this.totalName = `${this.name}_total`;
    this.createdName = `${this.name}_created`;
    this.shared = { metric: this.name, traceExemplars: traceExemplarsOption(this.name, options.exemplars) };
    hookTraceExemplars();
    const active = this.joinRegistry(options.registry);
    if (active !== this) return active;
  }

  /** Adds `value` (default 1, must be >= 0) to the unlabelled series, optionally with an exemplar. */
  inc(...args: UnlabelledArgs<L, [value?: number, exemplarLabels?: LabelSet]>): void;
  /** Adds `value` (default 1, must be >= 0) to the series of `labels`, optionally with an exemplar. */
  inc(labels: LabelValues<L>, value?: number, exemplarLabels?: LabelSet): void;
  inc(first?: number | LabelValues<L>, second?: number | LabelSet, third?: LabelSet): void {
    if (typeof first === 'object' && first !== null) {
      this.childFor(first).inc(second as number | undefined, third);
      return;
    }
    const child = this.unlabelledChild;
    (child === undefined ? this.defaultChild() : child).inc(first, second as LabelSet | undefined);
  }

  /**
   * An unlabelled counter gets its own `inc`: `unlabelledInc` bound to its series (and to
   * the counter, for anything but a plain increment), so no call looks the series up. It is
   * held on a prototype of this counter's own, which V8 resolves from the counter's hidden
   * class (`bindInstanceMethod` says what that was measured against); a plain method
   * reading the series from a field took 2.5 ns. A subclass that overrides `inc` keeps its own.
   */
  protected override bindUnlabelled(child: CounterChild): void {
    super.bindUnlabelled(child);
    bindInstanceMethod<Counter<L>, 'inc'>(this, 'inc', Counter.prototype.inc, (unlabelledInc<L>).bind(child, this) as Counter<L>['inc']);
  }

  /** The current total of the unlabelled series, or of the series of `labels` (0 if it does not exist). */
  get(labels?: LabelValues<L>): number {
    if (labels === undefined) return this.defaultChild().get();
    return this.series.find([labels])?.get() ?? 0;
  }

  /**
   * One `counter` family: `<name>_total` and `<name>_created` per series. The totals are
   * copied into a typed array now (the snapshot); `Sample` objects are only built if
   * something reads `samples` (the encoders write from the snapshot).
   */
  collect(): MetricFamily[] {
    return runSteps(this.startSteps());
  }

  /** {@link collect} in steps: the values are read now, `Sample` objects only built if something reads `samples`. */
  protected *stepsOver(children: readonly CounterChild[], size: number): CollectSteps {
    const values: number[][] = [];
    const created: number[][] = [];
    let valuePage = NO_PAGE;
    let createdPage = NO_PAGE;
    const labels = new Array<LabelSet>(size);
    let exemplars: (Exemplar | undefined)[] | undefined;
    for (let i = 0; i < size; i++) {
      if (startsPage(i)) {
        values.push((valuePage = newPage(i, size, 1)));
        created.push((createdPage = newPage(i, size, 1)));
      }
      const child = children[i];
      const at = offsetInPage(i, 1);
      valuePage[at] = child.get();
      createdPage[at] = child.createdSeconds;
      labels[i] = child.labelSet;
      const exemplar = child.lastExemplar;
      if (exemplar !== undefined) (exemplars ??= new Array<Exemplar | undefined>(size).fill(undefined))[i] = exemplar;
      if (endsStep(i)) yield;
    }
    const { totalName, createdName } = this;
    const family = new ColumnFamily(
      this,
      { kind: 'counter', size, labels, sharedLabels: undefined, values, stride: 1, created, exemplars, le: [], hasSum: false },
      (samples) => {
        for (let i = 0; i < size; i++) {
          children[i].collectInto(samples, totalName, createdName, columnValue(values, i), exemplars === undefined ? undefined : exemplars[i]);
        }
      },
    );
    return [family];
  }

  protected createChild(_labelValues: readonly string[], labels: LabelSet): CounterChild {
    return new CounterChild(this.shared, labels);
  }
}
