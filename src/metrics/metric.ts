import { checkHelp, familyNameOf, InvalidOptionsError, validateLabelNames } from '../model/index.js';
import type { LabelSet, MetricDescriptor, MetricFamily, MetricType, Sample } from '../model/index.js';
import { vouchForFamily } from '../model/vouched-families.js';
import { frozenCopy } from '../model/frozen-copy.js';
import { endsStep, type CollectSteps } from './collect-steps.js';
import { getDefaultRegistrar } from './registrar.js';
import type { InstrumentRegistrar, RegistrableInstrument } from './registrar.js';
import { listConflict, valueConflict } from './definition-conflict.js';
import { SeriesStore } from './series-store.js';
import type { ExpiringSeries } from './series-expiry.js';
import { checkedSeriesLimits } from './series-limits.js';
import type { SeriesLimits } from './series-limits.js';

/**
 * What every instrument is constructed with.
 *
 * @typeParam L - the label names, inferred from `labelNames` (with or without `as const`),
 *   so that label objects passed later are checked at compile time.
 */
export interface MetricOptions<L extends string = never> extends SeriesLimits {
  /** The metric name, `[a-zA-Z_:][a-zA-Z0-9_:]*`. */
  readonly name: string;
  /** The HELP text. */
  readonly help: string;
  /** A unit such as `seconds` or `bytes`; appended as `_<unit>` unless the name already ends with it. */
  readonly unit?: string;
  /** The label names, in the order series keys and exposition use. */
  readonly labelNames?: readonly L[];
  /**
   * Where to register: `undefined` (the default) joins the default registry installed with
   * `setDefaultRegistrar`; `null` registers nowhere (collect it yourself or register it later).
   */
  readonly registry?: InstrumentRegistrar | null;
}

/**
 * Label values keyed by label name. Every declared label is required; numbers are
 * exposed via `String()`. For an unlabelled metric (`L = never`) only `{}` fits, so that
 * neither a label object nor a stray string compiles where a number is expected.
 *
 * @example
 * ```ts
 * const requests = new Counter({ name: 'http_requests', help: 'Requests.', labelNames: ['method', 'code'] });
 * requests.inc({ method: 'GET', code: 200 }); // LabelValues<'method' | 'code'>
 * ```
 */
export type LabelValues<L extends string> = [L] extends [never]
  ? { readonly [label: string]: never }
  : { readonly [K in L]: string | number };

/**
 * The arguments of a recording call made without a label object (`inc()`, `observe(0.1)`,
 * `set(3)`). They fit an unlabelled metric (`L = never`) only: on a labelled metric they are
 * `never`, so forgetting the labels is a compile error there rather than a run-time
 * `LabelSetMismatchError`.
 *
 * @typeParam L - the metric's label names.
 * @typeParam A - the call's arguments on an unlabelled metric.
 */
export type UnlabelledArgs<L extends string, A extends unknown[]> = [L] extends [never] ? A : never;

/**
 * What `startTimer(labels?)` returns: ends the timing, taking the labels not given at the start.
 * Written as a method type so that an unlabelled instrument stays assignable to its
 * `string`-labelled form (`Histogram<never>` where a `Histogram<string>` is expected), as the
 * rest of its API is.
 *
 * @typeParam L - the instrument's label names.
 */
export type TimerEnd<L extends string> = {
  /** Records the seconds since the start into the series of the start's and these labels, and returns them. */
  end(endLabels?: Partial<LabelValues<L>>): number;
}['end'];

/**
 * Positional label values: one per declared label name, so `labels('GET')` on a metric with
 * two labels is a compile error. Where the names are not known to the compiler (`L = string`)
 * any number of values compiles and the count is checked at run time.
 *
 * @typeParam L - the metric's label names.
 */
export type PositionalLabelValues<L extends string> = string extends L ? (string | number)[] : ValuesPerName<L>;

/** One `string | number` per member of the union `L` (the order of a union is not known, only its size). */
type ValuesPerName<L, Values extends (string | number)[] = []> = [L] extends [never]
  ? Values
  : ValuesPerName<Exclude<L, LastMemberOf<L>>, [string | number, ...Values]>;

/** Some member of the union `U`: overloads inferred from an intersection of functions yield the last one. */
type LastMemberOf<U> =
  IntersectionOf<U extends unknown ? (member: U) => void : never> extends (member: infer M) => void ? M : never;

/** The intersection of the members of the union `U`. */
type IntersectionOf<U> = (U extends unknown ? (member: U) => void : never) extends (member: infer I) => void ? I : never;

/**
 * The base of every instrument: the validated definition (family name, help, unit, label
 * names), the label-values -> series storage, registration, and the definition comparison
 * the registry uses for get-or-create.
 *
 * Construction registers the instrument (see {@link MetricOptions.registry}). When the
 * registry already holds an instrument with the very same definition, the constructor
 * returns *that* instance, so `new Counter(sameOptions)` is get-or-create; a different
 * definition under the same name makes the registry throw.
 *
 * @typeParam L - the label names.
 * @typeParam C - the child (bound series) class of the concrete instrument.
 */
export abstract class Metric<L extends string = string, C extends ExpiringSeries = ExpiringSeries> implements RegistrableInstrument {
  /** The family name: without `_total` for counters, without `_info` for info, with `_<unit>`. */
  readonly name: string;
  /** The HELP text. */
  readonly help: string;
  /** The unit, or `''`. */
  readonly unit: string;
  /** The OpenMetrics type. */
  readonly type: MetricType;
  /** The declared label names, in order. */
  readonly labelNames: readonly L[];
  /** The series, keyed by label values. */
  protected readonly series: SeriesStore<C>;
  /** The series of an unlabelled metric (the fast path), `undefined` when the metric has labels. */
  protected unlabelledChild: C | undefined = undefined;
  /** The limits given in the options (a registry's defaults fill in the others). */
  private readonly givenLimits: SeriesLimits;

  protected constructor(options: MetricOptions<L>, type: MetricType) {
    if (typeof options !== 'object' || options === null) {
      throw new InvalidOptionsError(undefined, `a ${type} takes an options object { name, help, ... }`);
    }
    // Each option read once: what the metric keeps is what was checked.
    const given = options.name;
    const unit = options.unit ?? '';
    const name = familyNameOf(type, given, unit);
    const help = options.help;
    checkHelp(given, help);
    const labelNames = frozenCopy(options.labelNames ?? []);
    if (!Array.isArray(labelNames)) throw new InvalidOptionsError(given, 'labelNames must be an array of strings');
    validateLabelNames(name, type, labelNames);

    this.name = name;
    this.help = help;
    this.unit = unit;
    this.type = type;
    this.labelNames = labelNames;
    this.givenLimits = checkedSeriesLimits(name, options);
    if (labelNames.length === 0 && (options.maxSeries !== undefined || options.seriesTtlSeconds !== undefined)) {
      throw new InvalidOptionsError(name, 'maxSeries and seriesTtlSeconds bound the series of a labelled metric; this one has no labelNames');
    }
    // An enum's or an info's series do not add up: one overflow series would show whichever
    // label set wrote last, so past maxSeries their records are dropped (and counted) instead.
    const foldOverflow = type !== 'stateset' && type !== 'info';
    this.series = new SeriesStore<C>(name, this.labelNames, (values, labels) => this.createChild(values, labels), (child) => this.releaseSeries(child), foldOverflow);
    this.series.setLimits(this.givenLimits);
  }

  /**
   * @internal Called by a registry on the instruments it registers: the registry-wide limits
   * apply to a labelled instrument for each limit its own options leave out.
   */
  adoptSeriesLimits(defaults: SeriesLimits): void {
    if (this.labelNames.length === 0) return;
    this.series.setLimits({
      maxSeries: this.givenLimits.maxSeries ?? defaults.maxSeries,
      seriesTtlSeconds: this.givenLimits.seriesTtlSeconds ?? defaults.seriesTtlSeconds,
    });
  }

  /**
   * @internal How many records were folded into the overflow series (or, for an enum or an
   * info, dropped) since the last reset; `undefined` when the metric has no `maxSeries`.
   * Exposed by the registry as `promkit_series_overflow_total{metric}`.
   */
  get seriesOverflow(): number | undefined {
    return this.series.overflowCount;
  }

  /** Builds the child holding one series' state. */
  protected abstract createChild(labelValues: readonly string[], labels: LabelSet): C;

  /** The instrument's families now. */
  abstract collect(): MetricFamily[] | Promise<MetricFamily[]>;

  /**
   * @internal The same collection as {@link collect} in steps (see {@link CollectSteps}), for
   * a scrape to spread a large instrument over event-loop turns; `undefined` when this
   * instrument collects in one go. The series are the ones there are when this is called.
   */
  collectSteps(): CollectSteps | undefined {
    return this.startSteps();
  }

  /** A collection, in steps, of the series there are now. */
  protected startSteps(): CollectSteps {
    const children = this.series.children;
    return this.stepsOver(children, children.length);
  }

  /** The collection of the first `size` of `children` (the series when it began), in steps. */
  protected abstract stepsOver(children: readonly C[], size: number): CollectSteps;

  /** Steps that let `append` add each series' samples, ending with the one family of them all. */
  protected *sampleSteps(children: readonly C[], size: number, append: (child: C, samples: Sample[]) => void): CollectSteps {
    const samples: Sample[] = [];
    for (let i = 0; i < size; i++) {
      append(children[i], samples);
      if (endsStep(i)) yield;
    }
    return [vouchForFamily({ name: this.name, type: this.type, help: this.help, unit: this.unit, samples })];
  }

  /** What this instrument exposes: one family of {@link type} named {@link name}. */
  describe(): MetricDescriptor[] {
    return [{ name: this.name, type: this.type }];
  }

  /**
   * Why `other` is not the same definition as this instrument, or `undefined` when it is:
   * type, name, help, unit, label names (in order) and the type's own configuration
   * (buckets, percentiles, states...) must all be equal.
   *
   * @example
   * ```ts
   * a.definitionConflict(b); // "help differs: 'Requests.' vs 'All requests.'"
   * ```
   */
  definitionConflict(other: Metric<string>): string | undefined {
    if (other === (this as Metric<string>)) return undefined;
    return (
      valueConflict('type', this.type, other.type) ??
      valueConflict('name', this.name, other.name) ??
      valueConflict('help', this.help, other.help) ??
      valueConflict('unit', this.unit, other.unit) ??
      listConflict('labelNames', this.labelNames, other.labelNames) ??
      valueConflict('maxSeries', this.givenLimits.maxSeries, other.givenLimits.maxSeries) ??
      valueConflict('seriesTtlSeconds', this.givenLimits.seriesTtlSeconds, other.givenLimits.seriesTtlSeconds) ??
      this.configConflict(other)
    );
  }

  /** The type-specific part of {@link definitionConflict}; `other` has the same type. */
  protected configConflict(_other: Metric<string>): string | undefined {
    return undefined;
  }

  /** The series bound to `labels` (by name), created when new. */
  labels(labels: LabelValues<L>): C;
  /** The series bound to positional label values (in `labelNames` order), created when new. */
  labels(...values: PositionalLabelValues<L>): C;
  labels(...args: unknown[]): C {
    return this.series.resolve(args);
  }

  /**
   * Removes one series; true when it existed. Takes a label object or positional values.
   * On an unlabelled metric it resets the only series.
   */
  remove(labels: LabelValues<L>): boolean;
  remove(...values: PositionalLabelValues<L>): boolean;
  remove(...args: unknown[]): boolean {
    if (this.labelNames.length === 0) {
      this.series.find(args); // validates: an unlabelled metric takes no label values
      this.clear();
      return true;
    }
    return this.series.remove(args) !== undefined;
  }

  /**
   * Removes every series whose labels include `labels` (a subset of the label names; `{}`
   * matches every series); returns how many were removed. A label the metric does not
   * declare is a compile error, and at run time a `LabelSetMismatchError`.
   *
   * @example
   * ```ts
   * const sessions = new Gauge({ name: 'sessions', help: 'Open sessions.', labelNames: ['tenant', 'region'] });
   * sessions.removeMatching({ tenant: 'acme' }); // every region of tenant "acme"
   * ```
   */
  removeMatching(labels: Partial<LabelValues<L>>): number {
    if (this.labelNames.length === 0) {
      this.series.removeMatching(labels as Readonly<Record<string, unknown>>); // validates: no label names
      this.clear();
      return 1;
    }
    return this.series.removeMatching(labels as Readonly<Record<string, unknown>>);
  }

  /** Called with each series taken out (removed or expired); instruments free what it held. */
  protected releaseSeries(_child: C): void {}

  /** Removes every series (an unlabelled metric starts over at zero, with a new `_created`). */
  clear(): void {
    this.series.clear();
    if (this.labelNames.length === 0) this.bindUnlabelled(this.series.unlabelled());
  }

  /** Same as {@link clear} (prom-client's name). */
  reset(): void {
    this.clear();
  }

  /**
   * Creates the unlabelled series and registers; returns the instrument in effect (this one,
   * or an equal one already registered). Concrete constructors call it last and return its
   * result when it is not `this`.
   */
  protected joinRegistry(registry: InstrumentRegistrar | null | undefined): this {
    if (this.labelNames.length === 0) this.bindUnlabelled(this.series.unlabelled());
    const registrar = registry === undefined ? getDefaultRegistrar() : registry;
    return registrar === null || registrar === undefined ? this : registrar.register(this);
  }

  /**
   * Makes `child` the series of an unlabelled metric (at creation, and again after
   * `clear()`). Instruments may override it to bind fast paths to the new series.
   */
  protected bindUnlabelled(child: C): void {
    this.unlabelledChild = child;
  }

  /** The series for `labels` (created when new); the recording methods' lookup. */
  protected childFor(labels: LabelValues<L>): C {
    return this.series.byObject(labels as Readonly<Record<string, unknown>>);
  }

  /** The unlabelled series; throws `LabelSetMismatchError` when the metric has labels. */
  protected defaultChild(): C {
    const child = this.unlabelledChild;
    return child === undefined ? this.series.unlabelled() : child;
  }
}
