import { InvalidValueError, UnknownStateError } from './errors.js';
import { checkTimestamp, FamilyBuilder, makeSample, type FamilyAddArgs, type FamilyBuilderBase, type FamilyOptions, type SampleOptions } from './family-builder.js';
import { validateStateSetName } from './names.js';
import { checkedStates } from './states.js';

/** The state of one stateset series: the one state that is set, or every state's flag. */
export type StateSetValue<S extends string> = S | { readonly [K in S]: boolean };

/** Options of {@link stateSetFamily}. */
export interface StateSetFamilyOptions<L extends string, S extends string> extends FamilyOptions<L> {
  /** The states; each series reports every one of them as 1 (set) or 0. */
  readonly states: readonly S[];
}

/** A stateset family named `x`: samples `x{x="state"} 1|0`, one per state. */
export interface StateSetFamily<L extends string = never, S extends string = string> extends FamilyBuilderBase<L> {
  readonly type: 'stateset';
  /** The declared states. */
  readonly states: readonly S[];
  /** Adds a series: the state that is set, or a flag per state. Returns the family. */
  add(...args: FamilyAddArgs<L, [value: StateSetValue<S>, options?: SampleOptions]>): this;
}

class StateSetFamilyBuilder extends FamilyBuilder {
  readonly type = 'stateset' as const;
  readonly states: readonly string[];

  constructor(options: StateSetFamilyOptions<string, string>) {
    super('stateset', options);
    validateStateSetName(this.name);
    this.states = checkedStates(this.name, options.states);
  }

  add(a: unknown, b?: unknown, c?: unknown): this {
    const hasLabels = this.labelNames.length !== 0;
    const labels = this.resolveLabels(hasLabels ? a : undefined);
    const value = (hasLabels ? b : a) as StateSetValue<string> | undefined;
    const options = (hasLabels ? c : b) as SampleOptions | undefined;
    const timestamp = checkTimestamp(this.name, options === undefined ? undefined : options.timestamp);
    const states = this.states;
    if (typeof value === 'string') {
      if (!states.includes(value)) throw new UnknownStateError(this.name, value, states);
      this.claimSeries(labels);
      for (const state of states) {
        this.samples.push(makeSample(this.name, { ...labels, [this.name]: state }, state === value ? 1 : 0, timestamp));
      }
      return this;
    }
    if (value === null || typeof value !== 'object') {
      throw new InvalidValueError(this.name, 'expected the state that is set, or a { state: boolean } object');
    }
    const flags = value as Readonly<Record<string, unknown>>;
    for (const key in flags) {
      if (!states.includes(key)) throw new UnknownStateError(this.name, key, states);
    }
    // Each flag read once: what is written is what was checked.
    const set = states.map((state) => {
      const flag = flags[state];
      if (typeof flag !== 'boolean') {
        throw new InvalidValueError(this.name, `state ${JSON.stringify(state)} needs a boolean flag, got ${flag === undefined ? 'nothing' : typeof flag}`);
      }
      return flag;
    });
    this.claimSeries(labels);
    states.forEach((state, i) => {
      this.samples.push(makeSample(this.name, { ...labels, [this.name]: state }, set[i] ? 1 : 0, timestamp));
    });
    return this;
  }
}

/**
 * Builds a stateset family (client_python's `StateSetMetricFamily`): each series reports
 * every declared state as 1 or 0, the state in a label named after the family.
 *
 * @example
 * ```ts
 * stateSetFamily({ name: 'breaker', help: 'Circuit breaker state.', labelNames: ['backend'],
 *   states: ['closed', 'open', 'half_open'] }).add({ backend: 'db' }, 'open');
 * // breaker{backend="db",breaker="closed"} 0, ...{breaker="open"} 1, ...{breaker="half_open"} 0
 * ```
 */
export function stateSetFamily<L extends string = never, const S extends string = string>(
  options: StateSetFamilyOptions<L, S>,
): StateSetFamily<L, S> {
  return new StateSetFamilyBuilder(options) as unknown as StateSetFamily<L, S>;
}

