import {
  InvalidBucketsError,
  InvalidLabelNameError,
  InvalidOptionsError,
  InvalidValueError,
  LabelSetMismatchError,
  UnknownStateError,
} from './errors.js';
import type { MetricFamily } from './metric-family.js';
import type { MetricType } from './metric-type.js';
import { validateLabelNames, validateMetricName, validateStateSetName, validateUnit } from './names.js';
import { formatFloat } from './number-format.js';
import type { Exemplar, LabelSet, Sample } from './sample.js';

/**
 * The label values of one series of a family built with a `*Family()` builder: exactly the
 * declared `labelNames`, each a string (numbers are accepted and written with `String()`).
 */
export type FamilyLabelValues<L extends string> = { readonly [K in L]: string | number };

/**
 * The arguments of a builder's `add()`: `rest` alone for a family without labels, or the
 * label values first. A family declared with `labelNames: ['cpu', 'mode']` therefore takes
 * `add({ cpu: '0', mode: 'idle' }, 1.5)`, and one without labels `add(1.5)`.
 */
export type FamilyAddArgs<L extends string, Rest extends readonly unknown[]> = [L] extends [never]
  ? Rest
  : [labels: FamilyLabelValues<L>, ...rest: Rest];

/** What every builder takes. */
export interface FamilyOptions<L extends string> {
  /** The family name (`[a-zA-Z_:][a-zA-Z0-9_:]*`). */
  readonly name: string;
  /** The HELP text. */
  readonly help: string;
  /** The label names every series of the family carries, in exposition order. */
  readonly labelNames?: readonly L[];
  /**
   * Labels with one value for the whole family (client_golang's `ConstLabels`), written after
   * the declared labels of every sample. Handy for a collector's static labels.
   */
  readonly constLabels?: LabelSet;
}

/** Options of the builders whose families may carry a unit. */
export interface UnitFamilyOptions<L extends string> extends FamilyOptions<L> {
  /** The unit (`seconds`, `bytes`); appended to the name as `_<unit>` unless already there. */
  readonly unit?: string;
}

/** Per-sample extras of a gauge, unknown, info or stateset sample. */
export interface SampleOptions {
  /** When the value was observed, in seconds since the epoch. Rarely wanted. */
  readonly timestamp?: number;
}

/** Per-sample extras of a counter sample. */
export interface CounterSampleOptions extends SampleOptions {
  /** When the counter was created (reset), in seconds since the epoch: adds an `x_created` sample. */
  readonly created?: number;
  /** An exemplar for the `x_total` sample (OpenMetrics only). */
  readonly exemplar?: Exemplar;
}

/** The bucket counts of one histogram series: cumulative, or per bucket (exactly one of them). */
export type HistogramCounts =
  | {
      /**
       * Cumulative counts, one per bucket and the last for `+Inf` (the total count):
       * `cumulativeCounts[i]` observations were `<= buckets[i]`. Non-decreasing.
       */
      readonly cumulativeCounts: readonly number[];
      readonly bucketCounts?: never;
    }
  | {
      /** Counts per bucket (not cumulative), one per bucket and the last for `(last bound, +Inf)`. */
      readonly bucketCounts: readonly number[];
      readonly cumulativeCounts?: never;
    };

/** One histogram series: its bucket counts, and optionally its sum, creation time, exemplars. */
export type HistogramValue = HistogramCounts & {
  /**
   * The sum of the observations. Without it neither `_sum` nor `_count` is written
   * (OpenMetrics requires both or neither); the count is still the `+Inf` bucket.
   */
  readonly sum?: number;
  /** When the histogram was created (reset), in seconds since the epoch: adds `x_created`. */
  readonly created?: number;
  /** When the values were observed, in seconds since the epoch. */
  readonly timestamp?: number;
  /** One optional exemplar per bucket (OpenMetrics only), aligned with the counts. */
  readonly exemplars?: readonly (Exemplar | undefined)[];
};

/** One gauge histogram series: its bucket counts and optionally the sum of its current values. */
export type GaugeHistogramValue = HistogramCounts & {
  /** The sum of the current values; with it `_gcount` and `_gsum` are written. */
  readonly sum?: number;
  /** When the values were observed, in seconds since the epoch. */
  readonly timestamp?: number;
  /** One optional exemplar per bucket (OpenMetrics only), aligned with the counts. */
  readonly exemplars?: readonly (Exemplar | undefined)[];
};

/** One summary series. */
export interface SummaryValue {
  /** How many observations. */
  readonly count: number;
  /** Their sum. */
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

/** The state of one stateset series: the one state that is set, or every state's flag. */
export type StateSetValue<S extends string> = S | { readonly [K in S]: boolean };

/** Options of {@link histogramFamily} and {@link gaugeHistogramFamily}. */
export interface HistogramFamilyOptions<L extends string> extends UnitFamilyOptions<L> {
  /** The upper bounds of the buckets, increasing; `+Inf` is implied (and may be given last). */
  readonly buckets: readonly number[];
}

/** Options of {@link summaryFamily}. */
export interface SummaryFamilyOptions<L extends string> extends UnitFamilyOptions<L> {
  /** The quantiles each series reports (each in [0, 1]), e.g. `[0.5, 0.9, 0.99]`. */
  readonly quantiles?: readonly number[];
}

/** Options of {@link stateSetFamily}. */
export interface StateSetFamilyOptions<L extends string, S extends string> extends FamilyOptions<L> {
  /** The states; each series reports every one of them as 1 (set) or 0. */
  readonly states: readonly S[];
}

/** A family under construction: a {@link MetricFamily} one can `add()` series to. */
interface FamilyBuilderBase<L extends string> extends MetricFamily {
  /** The declared label names. */
  readonly labelNames: readonly L[];
}

/** A counter family (client_python's `CounterMetricFamily`). Samples `x_total` (and `x_created`). */
export interface CounterFamily<L extends string = never> extends FamilyBuilderBase<L> {
  readonly type: 'counter';
  /** Adds a series; the value must be a non-negative number. Returns the family. */
  add(...args: FamilyAddArgs<L, [value: number, options?: CounterSampleOptions]>): this;
}

/** A gauge family (client_python's `GaugeMetricFamily`). */
export interface GaugeFamily<L extends string = never> extends FamilyBuilderBase<L> {
  readonly type: 'gauge';
  /** Adds a series. Returns the family. */
  add(...args: FamilyAddArgs<L, [value: number, options?: SampleOptions]>): this;
}

/** An untyped family (client_python's `UnknownMetricFamily`). */
export interface UnknownFamily<L extends string = never> extends FamilyBuilderBase<L> {
  readonly type: 'unknown';
  /** Adds a series. Returns the family. */
  add(...args: FamilyAddArgs<L, [value: number, options?: SampleOptions]>): this;
}

/** A histogram family: samples `x_bucket{le}` (cumulative), `x_count`, `x_sum`, `x_created`. */
export interface HistogramFamily<L extends string = never> extends FamilyBuilderBase<L> {
  readonly type: 'histogram';
  /** The bucket upper bounds, without `+Inf`. */
  readonly buckets: readonly number[];
  /** Adds a series. Returns the family. */
  add(...args: FamilyAddArgs<L, [value: HistogramValue]>): this;
}

/** A gauge histogram family: samples `x_bucket{le}` (cumulative), `x_gcount`, `x_gsum`. */
export interface GaugeHistogramFamily<L extends string = never> extends FamilyBuilderBase<L> {
  readonly type: 'gaugehistogram';
  /** The bucket upper bounds, without `+Inf`. */
  readonly buckets: readonly number[];
  /** Adds a series. Returns the family. */
  add(...args: FamilyAddArgs<L, [value: GaugeHistogramValue]>): this;
}

/** A summary family: samples `x{quantile}`, `x_count`, `x_sum`, `x_created`. */
export interface SummaryFamily<L extends string = never> extends FamilyBuilderBase<L> {
  readonly type: 'summary';
  /** The declared quantiles. */
  readonly quantiles: readonly number[];
  /** Adds a series. Returns the family. */
  add(...args: FamilyAddArgs<L, [value: SummaryValue]>): this;
}

/** An info family named `x` (without `_info`): samples `x_info{...} 1`. */
export interface InfoFamily<L extends string = never> extends FamilyBuilderBase<L> {
  readonly type: 'info';
  /** Adds a series (its labels are the information). Returns the family. */
  add(...args: FamilyAddArgs<L, [options?: SampleOptions]>): this;
}

/** A stateset family named `x`: samples `x{x="state"} 1|0`, one per state. */
export interface StateSetFamily<L extends string = never, S extends string = string> extends FamilyBuilderBase<L> {
  readonly type: 'stateset';
  /** The declared states. */
  readonly states: readonly S[];
  /** Adds a series: the state that is set, or a flag per state. Returns the family. */
  add(...args: FamilyAddArgs<L, [value: StateSetValue<S>, options?: SampleOptions]>): this;
}

const EMPTY_LABELS: LabelSet = Object.freeze({});
const NO_LABEL_NAMES: readonly never[] = Object.freeze([]);

function makeSample(name: string, labels: LabelSet, value: number, timestamp: number | undefined, exemplar?: Exemplar): Sample {
  // Only the keys that are set, so the common sample has one shape: {name, labels, value}.
  if (timestamp === undefined) {
    return exemplar === undefined ? { name, labels, value } : { name, labels, value, exemplar };
  }
  return exemplar === undefined ? { name, labels, value, timestamp } : { name, labels, value, timestamp, exemplar };
}

function checkNumber(family: string, what: string, value: unknown): number {
  if (typeof value !== 'number') {
    throw new InvalidValueError(family, `${what} must be a number, got ${value === null ? 'null' : typeof value}`);
  }
  return value;
}

function checkTimestamp(family: string, timestamp: number | undefined): void {
  if (timestamp !== undefined && (typeof timestamp !== 'number' || !Number.isFinite(timestamp))) {
    throw new InvalidValueError(family, `timestamp must be a finite number of seconds, got ${String(timestamp)}`);
  }
}

/** Shared by every builder: the family's fields, name checks, and label resolution. */
abstract class FamilyBuilder implements MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly unit: string;
  abstract readonly type: MetricType;
  readonly labelNames: readonly string[];
  readonly samples: Sample[] = [];
  private readonly constLabels: LabelSet;
  private readonly constCount: number;

  constructor(type: MetricType, options: UnitFamilyOptions<string>, stripSuffix: string | undefined) {
    if (options === null || typeof options !== 'object') {
      throw new InvalidOptionsError(undefined, 'a metric family needs an options object with name and help');
    }
    let name = options.name;
    validateMetricName(name);
    const unit = options.unit ?? '';
    if (unit !== '') {
      if (type === 'info' || type === 'stateset') {
        throw new InvalidOptionsError(name, `a ${type} cannot have a unit (OpenMetrics)`);
      }
      validateUnit(name, unit);
    }
    // client_python's Metric does the same: the family name never carries the type's suffix.
    if (stripSuffix !== undefined && name.endsWith(stripSuffix) && name.length > stripSuffix.length) {
      name = name.slice(0, -stripSuffix.length);
    }
    if (unit !== '' && !name.endsWith(`_${unit}`)) name = `${name}_${unit}`;
    validateMetricName(name);
    if (typeof options.help !== 'string') {
      throw new InvalidOptionsError(name, 'help must be a string');
    }
    const labelNames = options.labelNames ?? NO_LABEL_NAMES;
    if (!Array.isArray(labelNames)) {
      throw new InvalidOptionsError(name, 'labelNames must be an array of strings');
    }
    const constLabels = options.constLabels ?? EMPTY_LABELS;
    const constNames = Object.keys(constLabels);
    validateLabelNames(name, type, constNames.length === 0 ? labelNames : [...labelNames, ...constNames]);
    for (const key of constNames) {
      if (typeof constLabels[key] !== 'string') {
        throw new InvalidLabelNameError(name, key, `constant label value must be a string, got ${typeof constLabels[key]}`);
      }
    }
    this.name = name;
    this.help = options.help;
    this.unit = unit;
    this.labelNames = Object.freeze(labelNames.slice());
    this.constLabels = constNames.length === 0 ? EMPTY_LABELS : Object.freeze({ ...constLabels });
    this.constCount = constNames.length;
  }

  /**
   * The label set of a new series, checked against the declared names. When the caller's
   * object already is exactly that (declared names, in order, string values, no constant
   * labels) it is used as is: an exporter adding 10k series allocates no copies.
   */
  protected resolveLabels(labels: unknown): LabelSet {
    const names = this.labelNames;
    const n = names.length;
    if (n === 0) return this.constLabels;
    if (labels === null || typeof labels !== 'object') {
      throw new LabelSetMismatchError(this.name, names, `expected a label object as the first argument, got ${labels === null ? 'null' : typeof labels}`);
    }
    const record = labels as Record<string, unknown>;
    if (this.constCount === 0) {
      let i = 0;
      for (const key in record) {
        if (i === n || key !== names[i] || typeof record[key] !== 'string') {
          i = -1;
          break;
        }
        i++;
      }
      if (i === n) return record as LabelSet;
    }
    return this.copyLabels(record);
  }

  private copyLabels(record: Record<string, unknown>): LabelSet {
    const names = this.labelNames;
    const out: Record<string, string> = {};
    for (let i = 0; i < names.length; i++) {
      const label = names[i];
      const value = record[label];
      if (typeof value === 'string') out[label] = value;
      else if (typeof value === 'number') out[label] = String(value);
      else if (value === undefined) throw new LabelSetMismatchError(this.name, names, `missing label ${JSON.stringify(label)}`);
      else throw new LabelSetMismatchError(this.name, names, `label ${JSON.stringify(label)} must be a string or number, got ${value === null ? 'null' : typeof value}`);
    }
    for (const key in record) {
      if (!Object.prototype.hasOwnProperty.call(out, key)) {
        throw new LabelSetMismatchError(this.name, names, `unexpected label ${JSON.stringify(key)}`);
      }
    }
    if (this.constCount !== 0) {
      const constLabels = this.constLabels;
      for (const key in constLabels) out[key] = constLabels[key];
    }
    return out;
  }
}

/** Counter, gauge and unknown: one number per series. */
class ScalarFamilyBuilder extends FamilyBuilder {
  readonly type: 'counter' | 'gauge' | 'unknown';
  private readonly sampleName: string;
  private readonly createdName: string;

  constructor(type: 'counter' | 'gauge' | 'unknown', options: UnitFamilyOptions<string>) {
    super(type, options, type === 'counter' ? '_total' : undefined);
    this.type = type;
    this.sampleName = type === 'counter' ? `${this.name}_total` : this.name;
    this.createdName = `${this.name}_created`;
  }

  add(a: unknown, b?: unknown, c?: unknown): this {
    let labels: LabelSet;
    let value: unknown;
    let options: CounterSampleOptions | undefined;
    if (this.labelNames.length === 0) {
      labels = this.resolveLabels(undefined);
      value = a;
      options = b as CounterSampleOptions | undefined;
    } else {
      labels = this.resolveLabels(a);
      value = b;
      options = c as CounterSampleOptions | undefined;
    }
    const v = checkNumber(this.name, 'the value', value);
    if (this.type === 'counter' && !(v >= 0)) {
      throw new InvalidValueError(this.name, `a counter's value must be non-negative and not NaN, got ${v}`);
    }
    if (options === undefined) {
      this.samples.push({ name: this.sampleName, labels, value: v });
      return this;
    }
    checkTimestamp(this.name, options.timestamp);
    // Every input is checked before the first push: a failed add() leaves nothing behind.
    const created = this.type === 'counter' && options.created !== undefined ? checkNumber(this.name, 'created', options.created) : undefined;
    this.samples.push(makeSample(this.sampleName, labels, v, options.timestamp, this.type === 'counter' ? options.exemplar : undefined));
    if (created !== undefined) this.samples.push(makeSample(this.createdName, labels, created, options.timestamp));
    return this;
  }
}

function normaliseBuckets(name: string, buckets: readonly number[]): number[] {
  if (!Array.isArray(buckets)) throw new InvalidBucketsError(name, 'buckets must be an array of numbers');
  const bounds = buckets.slice();
  if (bounds.length > 0 && bounds[bounds.length - 1] === Infinity) bounds.pop();
  if (bounds.length === 0) throw new InvalidBucketsError(name, 'at least one finite bucket bound is needed');
  for (let i = 0; i < bounds.length; i++) {
    const b = bounds[i];
    if (typeof b !== 'number' || Number.isNaN(b)) throw new InvalidBucketsError(name, `bucket bound #${i} is not a number`);
    if (b === Infinity) throw new InvalidBucketsError(name, '+Inf may only be the last bound');
    if (i > 0 && !(b > bounds[i - 1])) {
      throw new InvalidBucketsError(name, `bounds must increase strictly, but ${formatFloat(b)} follows ${formatFloat(bounds[i - 1])}`);
    }
  }
  return bounds;
}

/** Histogram and gauge histogram. */
class HistogramFamilyBuilder extends FamilyBuilder {
  readonly type: 'histogram' | 'gaugehistogram';
  readonly buckets: readonly number[];
  /** `le` label values, computed once per family rather than per series. */
  private readonly les: readonly string[];
  private readonly bucketName: string;
  private readonly countName: string;
  private readonly sumName: string;
  private readonly createdName: string;

  constructor(type: 'histogram' | 'gaugehistogram', options: HistogramFamilyOptions<string>) {
    super(type, options, undefined);
    this.type = type;
    this.buckets = Object.freeze(normaliseBuckets(this.name, options.buckets));
    this.les = Object.freeze([...this.buckets.map(formatFloat), '+Inf']);
    this.bucketName = `${this.name}_bucket`;
    this.countName = type === 'histogram' ? `${this.name}_count` : `${this.name}_gcount`;
    this.sumName = type === 'histogram' ? `${this.name}_sum` : `${this.name}_gsum`;
    this.createdName = `${this.name}_created`;
  }

  add(a: unknown, b?: unknown): this {
    const hasLabels = this.labelNames.length !== 0;
    const labels = this.resolveLabels(hasLabels ? a : undefined);
    const value = (hasLabels ? b : a) as HistogramValue | undefined;
    if (value === null || typeof value !== 'object') {
      throw new InvalidValueError(this.name, 'expected { cumulativeCounts } or { bucketCounts } (with an optional sum)');
    }
    const les = this.les;
    const cumulative = value.cumulativeCounts !== undefined;
    const counts = cumulative ? value.cumulativeCounts : value.bucketCounts;
    if (!Array.isArray(counts) || (cumulative && value.bucketCounts !== undefined)) {
      throw new InvalidValueError(this.name, 'give exactly one of cumulativeCounts and bucketCounts, as an array');
    }
    if (counts.length !== les.length) {
      throw new InvalidValueError(this.name, `expected ${les.length} bucket counts (${les.length - 1} bounds and +Inf), got ${counts.length}`);
    }
    const timestamp = value.timestamp;
    checkTimestamp(this.name, timestamp);
    const exemplars = value.exemplars;
    if (exemplars !== undefined && (!Array.isArray(exemplars) || exemplars.length > les.length)) {
      throw new InvalidValueError(this.name, `exemplars must be an array of at most ${les.length} entries, aligned with the buckets`);
    }
    // Checked before the first push; the bucket counts are checked as they are written and
    // rolled back on failure, so a failed add() leaves nothing behind.
    const sum = value.sum === undefined ? undefined : checkNumber(this.name, 'sum', value.sum);
    const created = this.type === 'histogram' && value.created !== undefined ? checkNumber(this.name, 'created', value.created) : undefined;
    const start = this.samples.length;
    let running = 0;
    for (let i = 0; i < les.length; i++) {
      const count = counts[i];
      if (typeof count !== 'number' || !(count >= 0) || count === Infinity) {
        this.samples.length = start;
        throw new InvalidValueError(this.name, `bucket count for le="${les[i]}" must be a finite non-negative number, got ${String(count)}`);
      }
      let total: number;
      if (cumulative) {
        if (count < running) {
          this.samples.length = start;
          throw new InvalidValueError(this.name, `cumulative counts must not decrease, but le="${les[i]}" has ${count} after ${running}`);
        }
        total = count;
      } else {
        total = running + count;
      }
      running = total;
      this.samples.push(makeSample(this.bucketName, { ...labels, le: les[i] }, total, timestamp, exemplars === undefined ? undefined : exemplars[i]));
    }
    if (sum !== undefined) {
      this.samples.push(makeSample(this.countName, labels, running, timestamp));
      this.samples.push(makeSample(this.sumName, labels, sum, timestamp));
    }
    if (created !== undefined) this.samples.push(makeSample(this.createdName, labels, created, timestamp));
    return this;
  }
}

class SummaryFamilyBuilder extends FamilyBuilder {
  readonly type = 'summary' as const;
  readonly quantiles: readonly number[];
  private readonly quantileLabels: readonly string[];
  private readonly countName: string;
  private readonly sumName: string;
  private readonly createdName: string;

  constructor(options: SummaryFamilyOptions<string>) {
    super('summary', options, undefined);
    const quantiles = options.quantiles ?? [];
    if (!Array.isArray(quantiles)) throw new InvalidOptionsError(this.name, 'quantiles must be an array of numbers');
    for (const q of quantiles) {
      if (typeof q !== 'number' || !(q >= 0 && q <= 1)) {
        throw new InvalidOptionsError(this.name, `quantile ${String(q)} is not in [0, 1]`);
      }
    }
    if (new Set(quantiles).size !== quantiles.length) throw new InvalidOptionsError(this.name, 'quantiles must not repeat');
    this.quantiles = Object.freeze(quantiles.slice());
    this.quantileLabels = Object.freeze(quantiles.map(formatFloat));
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
    if (!(count >= 0)) throw new InvalidValueError(this.name, `count must be non-negative, got ${count}`);
    const sum = checkNumber(this.name, 'sum', value.sum);
    checkTimestamp(this.name, value.timestamp);
    const qs = this.quantileLabels;
    const values = value.quantiles;
    if (qs.length !== 0 || values !== undefined) {
      if (!Array.isArray(values) || values.length !== qs.length) {
        throw new InvalidValueError(this.name, `expected ${qs.length} quantile values aligned with [${qs.join(', ')}], got ${Array.isArray(values) ? values.length : String(values)}`);
      }
      for (let i = 0; i < qs.length; i++) {
        checkNumber(this.name, `quantile ${qs[i]}`, values[i]);
      }
    }
    const created = value.created === undefined ? undefined : checkNumber(this.name, 'created', value.created);
    // Every input is checked by now: a failed add() leaves nothing behind.
    if (values !== undefined) {
      for (let i = 0; i < qs.length; i++) {
        this.samples.push(makeSample(this.name, { ...labels, quantile: qs[i] }, values[i], value.timestamp));
      }
    }
    this.samples.push(makeSample(this.countName, labels, count, value.timestamp));
    this.samples.push(makeSample(this.sumName, labels, sum, value.timestamp));
    if (created !== undefined) this.samples.push(makeSample(this.createdName, labels, created, value.timestamp));
    return this;
  }
}

class InfoFamilyBuilder extends FamilyBuilder {
  readonly type = 'info' as const;
  private readonly sampleName: string;

  constructor(options: FamilyOptions<string>) {
    super('info', options, '_info');
    this.sampleName = `${this.name}_info`;
  }

  add(a?: unknown, b?: unknown): this {
    const hasLabels = this.labelNames.length !== 0;
    const labels = this.resolveLabels(hasLabels ? a : undefined);
    const options = (hasLabels ? b : a) as SampleOptions | undefined;
    const timestamp = options === undefined ? undefined : options.timestamp;
    checkTimestamp(this.name, timestamp);
    this.samples.push(makeSample(this.sampleName, labels, 1, timestamp));
    return this;
  }
}

class StateSetFamilyBuilder extends FamilyBuilder {
  readonly type = 'stateset' as const;
  readonly states: readonly string[];

  constructor(options: StateSetFamilyOptions<string, string>) {
    super('stateset', options, undefined);
    validateStateSetName(this.name);
    const states = options.states;
    if (!Array.isArray(states) || states.length === 0) throw new InvalidOptionsError(this.name, 'a stateset needs at least one state');
    for (const s of states) {
      if (typeof s !== 'string') throw new InvalidOptionsError(this.name, `state ${String(s)} is not a string`);
    }
    if (new Set(states).size !== states.length) throw new InvalidOptionsError(this.name, 'states must not repeat');
    this.states = Object.freeze(states.slice());
  }

  add(a: unknown, b?: unknown, c?: unknown): this {
    const hasLabels = this.labelNames.length !== 0;
    const labels = this.resolveLabels(hasLabels ? a : undefined);
    const value = (hasLabels ? b : a) as StateSetValue<string> | undefined;
    const options = (hasLabels ? c : b) as SampleOptions | undefined;
    const timestamp = options === undefined ? undefined : options.timestamp;
    checkTimestamp(this.name, timestamp);
    const states = this.states;
    if (typeof value === 'string') {
      if (!states.includes(value)) throw new UnknownStateError(this.name, value, states);
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
    for (const state of states) {
      const flag = flags[state];
      if (typeof flag !== 'boolean') {
        throw new InvalidValueError(this.name, `state ${JSON.stringify(state)} needs a boolean flag, got ${flag === undefined ? 'nothing' : typeof flag}`);
      }
    }
    for (const state of states) {
      this.samples.push(makeSample(this.name, { ...labels, [this.name]: state }, flags[state] ? 1 : 0, timestamp));
    }
    return this;
  }
}

function scalarOptions<L extends string>(
  nameOrOptions: string | UnitFamilyOptions<L>,
  help: string | undefined,
): UnitFamilyOptions<L> {
  return typeof nameOrOptions === 'string' ? { name: nameOrOptions, help: help as string } : nameOrOptions;
}

/**
 * Builds a counter family for a custom collector (client_python's `CounterMetricFamily`).
 * The name may be given with or without `_total`; the family name never has it, and each
 * series is exposed as `name_total` (plus `name_created` when `created` is given).
 *
 * @example
 * ```ts
 * const cpu = counterFamily({ name: 'node_cpu_seconds', help: 'Seconds the CPUs spent in each mode.',
 *   labelNames: ['cpu', 'mode'] });
 * cpu.add({ cpu: '0', mode: 'idle' }, 457.64);   // node_cpu_seconds_total{cpu="0",mode="idle"} 457.64
 * ```
 * @throws InvalidMetricNameError, InvalidLabelNameError, ReservedLabelNameError on a bad definition;
 *   LabelSetMismatchError / InvalidValueError from `add()` on a bad series.
 */
export function counterFamily(name: string, help: string): CounterFamily<never>;
export function counterFamily<L extends string = never>(options: UnitFamilyOptions<L>): CounterFamily<L>;
export function counterFamily<L extends string = never>(nameOrOptions: string | UnitFamilyOptions<L>, help?: string): CounterFamily<L> {
  return new ScalarFamilyBuilder('counter', scalarOptions(nameOrOptions, help)) as unknown as CounterFamily<L>;
}

/**
 * Builds a gauge family for a custom collector (client_python's `GaugeMetricFamily`).
 *
 * @example
 * ```ts
 * return [gaugeFamily('queue_depth', 'Jobs waiting.').add(await queue.depth())];
 * gaugeFamily({ name: 'node_memory_MemTotal', unit: 'bytes', help: '...' }).add(total); // node_memory_MemTotal_bytes
 * ```
 */
export function gaugeFamily(name: string, help: string): GaugeFamily<never>;
export function gaugeFamily<L extends string = never>(options: UnitFamilyOptions<L>): GaugeFamily<L>;
export function gaugeFamily<L extends string = never>(nameOrOptions: string | UnitFamilyOptions<L>, help?: string): GaugeFamily<L> {
  return new ScalarFamilyBuilder('gauge', scalarOptions(nameOrOptions, help)) as unknown as GaugeFamily<L>;
}

/** Builds an untyped family (client_python's `UnknownMetricFamily`); exposed as `untyped` in text 0.0.4. */
export function unknownFamily(name: string, help: string): UnknownFamily<never>;
export function unknownFamily<L extends string = never>(options: UnitFamilyOptions<L>): UnknownFamily<L>;
export function unknownFamily<L extends string = never>(nameOrOptions: string | UnitFamilyOptions<L>, help?: string): UnknownFamily<L> {
  return new ScalarFamilyBuilder('unknown', scalarOptions(nameOrOptions, help)) as unknown as UnknownFamily<L>;
}

/**
 * Builds a histogram family (client_python's `HistogramMetricFamily`). The bucket bounds are
 * declared once per family (their `le` spellings are computed once); each series gives its
 * counts, cumulative or per bucket, and optionally its sum.
 *
 * @example
 * ```ts
 * histogramFamily({ name: 'job_duration', unit: 'seconds', help: 'Job durations.', buckets: [0.1, 1, 10] })
 *   .add({ cumulativeCounts: [3, 5, 6, 7], sum: 21.5 });
 * // job_duration_seconds_bucket{le="0.1"} 3 ... {le="+Inf"} 7, job_duration_seconds_count 7, _sum 21.5
 * ```
 */
export function histogramFamily<L extends string = never>(options: HistogramFamilyOptions<L>): HistogramFamily<L> {
  return new HistogramFamilyBuilder('histogram', options) as unknown as HistogramFamily<L>;
}

/**
 * Builds a gauge histogram family (client_python's `GaugeHistogramMetricFamily`): buckets of
 * current values that may go down; `_gcount`/`_gsum` instead of `_count`/`_sum`, no `_created`.
 */
export function gaugeHistogramFamily<L extends string = never>(options: HistogramFamilyOptions<L>): GaugeHistogramFamily<L> {
  return new HistogramFamilyBuilder('gaugehistogram', options) as unknown as GaugeHistogramFamily<L>;
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

/**
 * Builds an info family (client_python's `InfoMetricFamily`). The name may be given with or
 * without `_info`; each series is exposed as `name_info{...} 1`.
 *
 * @example
 * ```ts
 * infoFamily({ name: 'build', help: 'Build information.', labelNames: ['version', 'commit'] })
 *   .add({ version: '1.2.3', commit: 'abc123' });   // build_info{version="1.2.3",commit="abc123"} 1
 * ```
 */
export function infoFamily<L extends string = never>(options: FamilyOptions<L>): InfoFamily<L> {
  return new InfoFamilyBuilder(options) as unknown as InfoFamily<L>;
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
