import { InvalidLabelNameError, InvalidLabelValueError, InvalidOptionsError, isValidLabelName, isWellFormedText } from '../model/index.js';
import type { LabelSet, MetricFamily, Sample } from '../model/index.js';
import type { CollectSteps } from './collect-steps.js';
import { runSteps } from '../model/steps.js';
import { Metric } from './metric.js';
import { wakeSeries, type IdleMark } from './series-expiry.js';
import type { LabelValues, MetricOptions, UnlabelledArgs } from './metric.js';

/**
 * Options of an {@link Info}: the common {@link MetricOptions} (an info metric has no unit).
 *
 * @typeParam L - the label names.
 */
export type InfoOptions<L extends string = never> = MetricOptions<L>;

/** One info series (bound to label values by `info.labels(...)`). */
export class InfoChild {
  private exposed: LabelSet;
  private values: LabelSet = Object.freeze({});
  /** @internal Idle-series expiry state (see `seriesTtlSeconds`). */
  idle: IdleMark | undefined = undefined;

  /** @internal Created by `Info`. */
  constructor(
    private readonly metric: string,
    private readonly labelNames: readonly string[],
    private readonly labels: LabelSet,
  ) {
    this.exposed = labels;
  }

  /**
   * Replaces the information (`{ version: '1.2.3', buildhost: 'foo@bar' }`). Keys must be
   * legal label names and not among the metric's `labelNames`; values are strings
   * (numbers are converted; anything else, or a lone surrogate, is an
   * `InvalidLabelValueError` and the information stays as it was). The keys are exposed in sorted order, after the metric's own
   * labels, as client_python writes them — so the same info reads the same whichever order
   * the object literal happened to list its keys in.
   */
  info(values: Readonly<Record<string, string | number>>): void {
    if (this.idle !== undefined) wakeSeries(this);
    if (typeof values !== 'object' || values === null) {
      throw new InvalidOptionsError(this.metric, 'info() takes an object of label name -> value');
    }
    const copy: Record<string, string> = {};
    for (const key of Object.keys(values).sort()) {
      if (!isValidLabelName(key)) {
        throw new InvalidLabelNameError(this.metric, key, 'info keys must match [a-zA-Z_][a-zA-Z0-9_]* and not start with "__"');
      }
      if (this.labelNames.includes(key)) {
        throw new InvalidLabelNameError(this.metric, key, 'an info key cannot also be one of the metric\'s labelNames');
      }
      const value = values[key] as unknown;
      const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
      if (text === undefined) throw new InvalidLabelValueError(this.metric, key, `an info value must be a string or a number, got ${value === null ? 'null' : typeof value}`);
      if (!isWellFormedText(text)) throw new InvalidLabelValueError(this.metric, key, 'not well-formed Unicode (a lone surrogate)');
      copy[key] = text;
    }
    this.values = Object.freeze(copy);
    this.exposed = Object.freeze({ ...this.labels, ...copy });
  }

  /** The information set last (an empty object before `info()` is called). */
  get(): LabelSet {
    return this.values;
  }

  /** @internal Appends this series' `_info` sample. */
  collectInto(samples: Sample[], name: string): void {
    samples.push({ name, labels: this.exposed, value: 1 });
  }
}

/**
 * An info metric: static key/value information such as a version, exposed as one sample
 * `<name>_info{...labels, ...info} 1`. The family name never ends in `_info`; the `name`
 * option may be given with or without it. Info metrics have no unit.
 *
 * @typeParam L - the label names (inferred from `labelNames`).
 * @example
 * ```ts
 * const build = new Info({ name: 'my_build_version', help: 'Build information.' });
 * build.info({ version: '1.2.3', buildhost: 'foo@bar' }); // my_build_version_info{buildhost="foo@bar",version="1.2.3"} 1
 * ```
 */
export class Info<L extends string = never> extends Metric<L, InfoChild> {
  private readonly sampleName: string;

  /**
   * Validates the definition and registers (see {@link MetricOptions.registry}); returns the
   * already registered info metric when one with the same definition exists (get-or-create).
   */
  constructor(options: InfoOptions<L>) {
    super(options, 'info');
    this.sampleName = `${this.name}_info`;
    const active = this.joinRegistry(options.registry);
    if (active !== this) return active;
  }

  /** Sets the information of the unlabelled series. */
  info(...args: UnlabelledArgs<L, [values: Readonly<Record<string, string | number>>]>): void;
  /** Sets the information of the series of `labels`. */
  info(labels: LabelValues<L>, values: Readonly<Record<string, string | number>>): void;
  info(first: Readonly<Record<string, string | number>> | LabelValues<L>, second?: Readonly<Record<string, string | number>>): void {
    if (second !== undefined) this.childFor(first as LabelValues<L>).info(second);
    else this.defaultChild().info(first as Readonly<Record<string, string | number>>);
  }

  /** The information of the unlabelled series, or of the series of `labels` (`undefined` if it does not exist). */
  get(labels?: LabelValues<L>): LabelSet | undefined {
    if (labels === undefined) return this.defaultChild().get();
    return this.series.find([labels])?.get();
  }

  /** One `info` family: `<name>_info{...} 1` per series. */
  collect(): MetricFamily[] {
    return runSteps(this.startSteps());
  }

  /** {@link collect} in steps. */
  protected stepsOver(children: readonly InfoChild[], size: number): CollectSteps {
    return this.sampleSteps(children, size, (child, samples) => child.collectInto(samples, this.sampleName));
  }

  protected createChild(_labelValues: readonly string[], labels: LabelSet): InfoChild {
    return new InfoChild(this.name, this.labelNames, labels);
  }
}
