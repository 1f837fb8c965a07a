import { InvalidValueError } from './errors.js';
import { checkExemplar, checkNumber, checkTimestamp, FamilyBuilder, makeSample, type FamilyAddArgs, type FamilyBuilderBase, type SampleOptions, type UnitFamilyOptions } from './family-builder.js';
import type { Exemplar, LabelSet } from './sample.js';

/** Per-sample extras of a counter sample. */
export interface CounterSampleOptions extends SampleOptions {
  /** When the counter was created (reset), in seconds since the epoch: adds an `x_created` sample. */
  readonly created?: number;
  /** An exemplar for the `x_total` sample (OpenMetrics only). */
  readonly exemplar?: Exemplar;
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

/** Counter, gauge and unknown: one number per series. */
class ScalarFamilyBuilder extends FamilyBuilder {
  readonly type: 'counter' | 'gauge' | 'unknown';
  private readonly sampleName: string;
  private readonly createdName: string;

  constructor(type: 'counter' | 'gauge' | 'unknown', options: UnitFamilyOptions<string>) {
    super(type, options);
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
      this.claimSeries(labels);
      this.samples.push({ name: this.sampleName, labels, value: v });
      return this;
    }
    // Each option read once; every input is checked before the first push, so a failed
    // add() leaves nothing behind.
    const timestamp = checkTimestamp(this.name, options.timestamp);
    const isCounter = this.type === 'counter';
    const exemplar = isCounter ? checkExemplar(this.name, options.exemplar) : undefined;
    const givenCreated = isCounter ? options.created : undefined;
    const created = givenCreated === undefined ? undefined : checkNumber(this.name, 'created', givenCreated);
    this.claimSeries(labels);
    this.samples.push(makeSample(this.sampleName, labels, v, timestamp, exemplar));
    if (created !== undefined) this.samples.push(makeSample(this.createdName, labels, created, timestamp));
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

