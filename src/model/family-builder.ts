import { DuplicateSeriesError, InvalidLabelNameError, InvalidLabelValueError, InvalidOptionsError, InvalidValueError, LabelSetMismatchError } from './errors.js';
import { checkHelp, familyNameOf } from './family-naming.js';
import { exemplarProblem, timestampProblem } from './family-validation.js';
import type { MetricFamily } from './metric-family.js';
import type { MetricType } from './metric-type.js';
import { validateLabelNames } from './names.js';
import type { Exemplar, LabelSet, Sample } from './sample.js';
import { isWellFormedText } from './unicode-text.js';
import { vouchForFamily } from './vouched-families.js';
import { copyExemplar } from './family-copy.js';
import { frozenCopy } from './frozen-copy.js';

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

/** A family under construction: a {@link MetricFamily} one can `add()` series to. */
export interface FamilyBuilderBase<L extends string> extends MetricFamily {
  /** The declared label names. */
  readonly labelNames: readonly L[];
}

const EMPTY_LABELS: LabelSet = Object.freeze({});
const NO_LABEL_NAMES: readonly never[] = Object.freeze([]);

/** A sample with only the keys that are set. */
export function makeSample(name: string, labels: LabelSet, value: number, timestamp: number | undefined, exemplar?: Exemplar): Sample {
  // Only the keys that are set, so the common sample has one shape: {name, labels, value}.
  if (timestamp === undefined) {
    return exemplar === undefined ? { name, labels, value } : { name, labels, value, exemplar };
  }
  return exemplar === undefined ? { name, labels, value, timestamp } : { name, labels, value, timestamp, exemplar };
}

/** `value`, when it is a number; else an `InvalidValueError` naming `what`. */
export function checkNumber(family: string, what: string, value: unknown): number {
  if (typeof value !== 'number') {
    throw new InvalidValueError(family, `${what} must be a number, got ${value === null ? 'null' : typeof value}`);
  }
  return value;
}

/** `timestamp`, unless it is neither absent nor one both formats can write (see `timestampProblem`): then `InvalidValueError`. */
export function checkTimestamp(family: string, timestamp: unknown): number | undefined {
  const problem = timestampProblem(timestamp);
  if (problem !== undefined) throw new InvalidValueError(family, problem);
  return timestamp as number | undefined;
}

/**
 * A frozen copy of `exemplar` (each field read once), unless it is absent, or not
 * well-formed (see `exemplarProblem`): then `InvalidValueError`. The family keeps the copy,
 * so an exemplar object the caller reuses or changes after `add()` changes nothing.
 */
export function checkExemplar(family: string, exemplar: unknown): Exemplar | undefined {
  if (exemplar === undefined) return undefined;
  const copy = copyExemplar(exemplar);
  const problem = exemplarProblem(copy);
  if (problem !== undefined) throw new InvalidValueError(family, problem);
  const checked = copy as Exemplar;
  Object.freeze(checked.labels);
  return Object.freeze(checked);
}

/**
 * Shared by every builder: the family's fields, name checks, label resolution, and the
 * series added so far. A builder checks each series as it is added (names, values, no
 * duplicate), so the scrape pipeline takes its family as it is.
 */
export abstract class FamilyBuilder implements MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly unit: string;
  abstract readonly type: MetricType;
  readonly labelNames: readonly string[];
  readonly samples: Sample[] = [];
  private readonly constLabels: LabelSet;
  private readonly constCount: number;
  /** The label values of every series added, as one key each: a series is added once. */
  private readonly seriesKeys = new Set<string>();

  constructor(type: MetricType, options: UnitFamilyOptions<string>) {
    if (options === null || typeof options !== 'object') {
      throw new InvalidOptionsError(undefined, 'a metric family needs an options object with name and help');
    }
    // Each option is read once and what is kept is what was checked.
    const unit = options.unit ?? '';
    const name = familyNameOf(type, options.name, unit);
    const help = options.help;
    checkHelp(name, help);
    const labelNames = frozenCopy(options.labelNames ?? NO_LABEL_NAMES);
    if (!Array.isArray(labelNames)) {
      throw new InvalidOptionsError(name, 'labelNames must be an array of strings');
    }
    const givenConst = options.constLabels ?? EMPTY_LABELS;
    const constNames = Object.keys(givenConst);
    validateLabelNames(name, type, constNames.length === 0 ? labelNames : [...labelNames, ...constNames]);
    const constLabels: Record<string, string> = {};
    for (const key of constNames) {
      const value: unknown = givenConst[key];
      if (typeof value !== 'string') throw new InvalidLabelNameError(name, key, `constant label value must be a string, got ${typeof value}`);
      if (!isWellFormedText(value)) throw new InvalidLabelValueError(name, key, 'not well-formed Unicode (a lone surrogate)');
      constLabels[key] = value;
    }
    this.name = name;
    this.help = help;
    this.unit = unit;
    this.labelNames = labelNames;
    this.constLabels = constNames.length === 0 ? EMPTY_LABELS : Object.freeze(constLabels);
    this.constCount = constNames.length;
    vouchForFamily(this);
  }

  /**
   * Records that the series of `labels` (resolved by {@link resolveLabels}) is being added,
   * once every input of the `add()` is checked; `DuplicateSeriesError` when it already was.
   */
  protected claimSeries(labels: LabelSet): void {
    const names = this.labelNames;
    const key = names.length === 0 ? '' : names.length === 1 ? labels[names[0]] : JSON.stringify(names.map((n) => labels[n]));
    if (this.seriesKeys.has(key)) throw new DuplicateSeriesError(this.name, labels);
    this.seriesKeys.add(key);
  }

  /**
   * The label set of a new series, checked against the declared names: always a copy,
   * each value read once, so that a label object the caller reuses for the next series
   * (or changes later) changes nothing. When the caller's object already is exactly that
   * (declared names, in order, string values, no constant labels) it is copied in the
   * pass that checks it.
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
      const copy: Record<string, string> = {};
      let i = 0;
      for (const key in record) {
        const value = record[key];
        if (i === n || key !== names[i] || typeof value !== 'string' || !isWellFormedText(value)) {
          i = -1;
          break;
        }
        copy[key] = value;
        i++;
      }
      if (i === n) return copy;
    }
    return this.copyLabels(record);
  }

  private copyLabels(record: Record<string, unknown>): LabelSet {
    const names = this.labelNames;
    const out: Record<string, string> = {};
    for (let i = 0; i < names.length; i++) {
      const label = names[i];
      const value = record[label];
      if (typeof value === 'string') {
        if (!isWellFormedText(value)) throw new InvalidLabelValueError(this.name, label, 'not well-formed Unicode (a lone surrogate)');
        out[label] = value;
      } else if (typeof value === 'number') out[label] = String(value);
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
