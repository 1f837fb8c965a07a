import { checkedStates, UnknownStateError, validateStateSetName } from '../model/index.js';
import type { LabelSet, MetricFamily, Sample } from '../model/index.js';
import type { CollectSteps } from './collect-steps.js';
import { runSteps } from '../model/steps.js';
import { listConflict } from './definition-conflict.js';
import { Metric } from './metric.js';
import { wakeSeries, type IdleMark } from './series-expiry.js';
import { labelsWith } from './series-store.js';
import type { LabelValues, MetricOptions, UnlabelledArgs } from './metric.js';

/**
 * Options of an {@link Enum}.
 *
 * @typeParam L - the label names.
 * @typeParam S - the states (inferred from `states`).
 */
export interface EnumOptions<L extends string = never, S extends string = string> extends MetricOptions<L> {
  /** The possible states, non-empty and unique; a series starts in the first one. */
  readonly states: readonly S[];
}

/** @internal The states of one enum, shared by its series. */
interface StateTable {
  readonly states: readonly string[];
  readonly index: ReadonlyMap<string, number>;
}

/** One enum series (bound to label values by `enum.labels(...)`). */
export class EnumChild<S extends string = string> {
  private current = 0;
  /** @internal Idle-series expiry state (see `seriesTtlSeconds`). */
  idle: IdleMark | undefined = undefined;

  /** @internal Created by `Enum`. */
  constructor(
    private readonly metric: string,
    private readonly table: StateTable,
    private readonly labels: LabelSet,
  ) {}

  /** Switches to `state`; `UnknownStateError` when it is not one of the declared states. */
  state(state: S): void {
    if (this.idle !== undefined) wakeSeries(this);
    const index = this.table.index.get(state);
    if (index === undefined) throw new UnknownStateError(this.metric, String(state), this.table.states);
    this.current = index;
  }

  /** The current state. */
  get(): S {
    return this.table.states[this.current] as S;
  }

  /** @internal Appends one sample per state: 1 for the current one, 0 for the others. */
  collectInto(samples: Sample[], name: string, keys: readonly string[]): void {
    const labels = this.labels;
    const states = this.table.states;
    for (let i = 0; i < states.length; i++) {
      samples.push({ name, labels: labelsWith(labels, keys, name, states[i]), value: i === this.current ? 1 : 0 });
    }
  }
}

/**
 * An enum (OpenMetrics StateSet): which one of a fixed set of states something is in.
 * Exposed as one sample per state, labelled with the metric's own name:
 * `<name>{<name>="running"} 1`, `<name>{<name>="stopped"} 0`. Enums have no unit, and
 * no label may be named like the metric.
 *
 * @typeParam L - the label names (inferred from `labelNames`).
 * @typeParam S - the states (inferred from `states`), so a misspelt state does not compile.
 * @example
 * ```ts
 * const phase = new Enum({ name: 'task_state', help: 'Task state.', states: ['starting', 'running', 'stopped'] });
 * phase.state('running');
 * ```
 */
export class Enum<L extends string = never, S extends string = string> extends Metric<L, EnumChild<S>> {
  /** The declared states, in order. */
  readonly states: readonly S[];
  private readonly table: StateTable;

  /**
   * Validates the definition (`InvalidMetricNameError` for a name that cannot also be the
   * state label, `InvalidOptionsError` for empty or repeated states) and
   * registers (see {@link MetricOptions.registry}); returns the already registered enum
   * when one with the same definition exists (get-or-create).
   */
  constructor(options: EnumOptions<L, S>) {
    super(options, 'stateset');
    validateStateSetName(this.name);
    this.states = checkedStates(this.name, options.states);
    const index = new Map<string, number>();
    for (const state of this.states) index.set(state, index.size);
    this.table = { states: this.states, index };
    const active = this.joinRegistry(options.registry);
    if (active !== this) return active;
  }

  /** Switches the unlabelled series to `state`. */
  state(...args: UnlabelledArgs<L, [state: S]>): void;
  /** Switches the series of `labels` to `state`. */
  state(labels: LabelValues<L>, state: S): void;
  state(first: S | LabelValues<L>, second?: S): void {
    if (typeof first === 'object' && first !== null) this.childFor(first).state(second as S);
    else this.defaultChild().state(first);
  }

  /** The state of the unlabelled series, or of the series of `labels` (`undefined` if it does not exist). */
  get(labels?: LabelValues<L>): S | undefined {
    if (labels === undefined) return this.defaultChild().get();
    return this.series.find([labels])?.get();
  }

  /** One `stateset` family: one 1/0 sample per state per series. */
  collect(): MetricFamily[] {
    return runSteps(this.startSteps());
  }

  /** {@link collect} in steps. */
  protected stepsOver(children: readonly EnumChild<S>[], size: number): CollectSteps {
    return this.sampleSteps(children, size, (child, samples) => child.collectInto(samples, this.name, this.labelNames));
  }

  protected override configConflict(other: Enum<string, string>): string | undefined {
    return listConflict('states', this.states, other.states);
  }

  protected createChild(_labelValues: readonly string[], labels: LabelSet): EnumChild<S> {
    return new EnumChild<S>(this.name, this.table, labels);
  }
}
