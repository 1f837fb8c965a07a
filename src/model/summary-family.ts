import { InvalidValueError } from './errors.js';
import { checkNumber, checkTimestamp, FamilyBuilder, makeSample, type FamilyAddArgs, type FamilyBuilderBase, type UnitFamilyOptions } from './family-builder.js';
import { sampleValueProblem } from './family-validation.js';
import { formatFloat } from './number-format.js';
import { checkedQuantiles } from './quantiles.js';

/** One summary series. */
export interface SummaryValue {
  /** How many observations: an integer >= 0. */
  readonly count: number;
  /** Their sum (not negative: OpenMetrics treats it as a counter). */
  readonly sum: number;
  /**
   * The quantile values, aligned with the family's `quantiles` (required when the family
   * declares quantiles).
   */
  readonly quantiles?: readonly number[];
  /** When the summary was created (reset), in seconds since the epoch: adds `x_created`. */
  readonly created?: number;
  /** When the values were observed, in seconds since the epoch. */
  readonly timestamp?: number;
}

/** Options of {@link summaryFamily}. */
export interface SummaryFamilyOptions<L extends string> extends UnitFamilyOptions<L> {
  /** The quantiles each series reports (each in [0, 1]), e.g. `[0.5, 0.9, 0.99]`. */
  readonly quantiles?: readonly number[];
}

/** A summary family: samples `x{quantile}`, `x_count`, `x_sum`, `x_created`. */
export interface SummaryFamily<L extends string = never> extends FamilyBuilderBase<L> {
  readonly type: 'summary';
  /** The declared quantiles. */
  readonly quantiles: readonly number[];
  /** Adds a series. Returns the family. */
  add(...args: FamilyAddArgs<L, [value: SummaryValue]>): this;
}

class SummaryFamilyBuilder extends FamilyBuilder {
  readonly type = 'summary' as const;
  readonly quantiles: readonly number[];
  private readonly quantileLabels: readonly string[];
  private readonly countName: string;
  private readonly sumName: string;
  private readonly createdName: string;

  constructor(options: SummaryFamilyOptions<string>) {
    super('summary', options);
    this.quantiles = checkedQuantiles(this.name, options.quantiles ?? []);
    this.quantileLabels = Object.freeze(this.quantiles.map(formatFloat));
    this.countName = `${this.name}_count`;
    this.sumName = `${this.name}_sum`;
    this.createdName = `${this.name}_created`;
  }

  add(a: unknown, b?: unknown): this {
    const hasLabels = this.labelNames.length !== 0;
    const labels = this.resolveLabels(hasLabels ? a : undefined);
    const value = (hasLabels ? b : a) as SummaryValue | undefined;
    if (value === null || typeof value !== 'object') {
      throw new InvalidValueError(this.name, 'expected { count, sum } (and quantiles when the family declares them)');
    }
    const count = checkNumber(this.name, 'count', value.count);
    const sum = checkNumber(this.name, 'sum', value.sum);
    const problem = sampleValueProblem('summary', '_count', count) ?? sampleValueProblem('summary', '_sum', sum);
    if (problem !== undefined) throw new InvalidValueError(this.name, problem);
    // Each field read once: what is written is what was checked.
    const timestamp = checkTimestamp(this.name, value.timestamp);
    const qs = this.quantileLabels;
    const given = value.quantiles;
    let values: number[] | undefined;
    if (qs.length !== 0 || given !== undefined) {
      if (!Array.isArray(given) || given.length !== qs.length) {
        throw new InvalidValueError(this.name, `expected ${qs.length} quantile values aligned with [${qs.join(', ')}], got ${Array.isArray(given) ? given.length : String(given)}`);
      }
      values = new Array<number>(qs.length);
      for (let i = 0; i < qs.length; i++) {
        const quantileValue = checkNumber(this.name, `quantile ${qs[i]}`, given[i]);
        const quantileProblem = sampleValueProblem('summary', '', quantileValue);
        if (quantileProblem !== undefined) throw new InvalidValueError(this.name, `quantile ${qs[i]}: ${quantileProblem}`);
        values[i] = quantileValue;
      }
    }
    const givenCreated = value.created;
    const created = givenCreated === undefined ? undefined : checkNumber(this.name, 'created', givenCreated);
    // Every input is checked by now: a failed add() leaves nothing behind.
    this.claimSeries(labels);
    if (values !== undefined) {
      for (let i = 0; i < qs.length; i++) {
        this.samples.push(makeSample(this.name, { ...labels, quantile: qs[i] }, values[i], timestamp));
      }
    }
    this.samples.push(makeSample(this.countName, labels, count, timestamp));
    this.samples.push(makeSample(this.sumName, labels, sum, timestamp));
    if (created !== undefined) this.samples.push(makeSample(this.createdName, labels, created, timestamp));
    return this;
  }
}

/**
 * Builds a summary family (client_python's `SummaryMetricFamily`), optionally with quantiles.
 *
 * @example
 * ```ts
 * summaryFamily({ name: 'rpc_latency', unit: 'seconds', help: 'RPC latency.', quantiles: [0.5, 0.99] })
 *   .add({ count: 10, sum: 1.2, quantiles: [0.1, 0.4] });
 * ```
 */
export function summaryFamily<L extends string = never>(options: SummaryFamilyOptions<L>): SummaryFamily<L> {
  return new SummaryFamilyBuilder(options) as unknown as SummaryFamily<L>;
}

