import { InvalidLabelValueError, isWellFormedText, LabelSetMismatchError } from '../model/index.js';
import type { LabelSet } from '../model/index.js';

/** Builds the child (one time series) for label values given in `labelNames` order. */
export type ChildFactory<C> = (labelValues: readonly string[], labels: LabelSet) => C;

/**
 * A series' labels (`keys` in declared order) plus one more (`le`, `quantile`, a stateset's
 * own name): the label set of one bucket, quantile or state sample, built at collect time.
 */
export function labelsWith(labels: LabelSet, keys: readonly string[], name: string, value: string): LabelSet {
  const out: Record<string, string> = {};
  for (let k = 0; k < keys.length; k++) out[keys[k]] = labels[keys[k]];
  out[name] = value;
  return out;
}

/** The label set of every unlabelled series: shared, frozen, never written. */
export const NO_LABELS: LabelSet = Object.freeze({});

/**
 * The label-values -> child index behind every instrument.
 *
 * Series are found by walking one `Map` per label, keyed by the label's value, in the
 * metric's `labelNames` order: no key string is concatenated, hashed or sorted per call,
 * and the lookup of a known series allocates nothing (label value strings hash once and
 * keep their hash). A label object is validated in full only when its series is created;
 * on a hit the declared labels are read and the object's keys counted, so a missing or an
 * extra label is rejected for a known series as for a new one.
 *
 * `children` lists every series in creation order for `collect()`: an array (8 bytes a
 * series, where a `Set` takes ~26), from which removed series are dropped lazily, on the
 * next read, so that `remove()` stays O(1).
 *
 * @internal Used by the instruments; not part of the public API.
 */
export class SeriesStore<C> {
  private list: C[] = [];
  /** Series removed since `list` was last compacted. */
  private removed: Set<C> | undefined = undefined;
  private readonly root = new Map<string, unknown>();
  /** The labels of the first series created in each leaf map (see `insert`). */
  private readonly leafLabels = new WeakMap<Map<string, unknown>, LabelSet>();
  private readonly labelCount: number;
  private defaultChild: C | undefined = undefined;

  constructor(
    private readonly metric: string,
    private readonly labelNames: readonly string[],
    private readonly create: ChildFactory<C>,
  ) {
    this.labelCount = labelNames.length;
  }

  /** The only series of an unlabelled metric, created on first use. */
  unlabelled(): C {
    let child = this.defaultChild;
    if (child === undefined) {
      if (this.labelCount !== 0) throw this.labelsRequired();
      child = this.create([], NO_LABELS);
      this.defaultChild = child;
      this.list.push(child);
    }
    return child;
  }

  /** The series for `labels` (an object keyed by label name), created when new. */
  byObject(labels: Readonly<Record<string, unknown>>): C {
    const names = this.labelNames;
    // One and two labels are unrolled: a keyed load site that always sees the same label
    // name stays fast in V8, a looped one sees every name and goes polymorphic.
    switch (this.labelCount) {
      case 0:
        return this.unlabelledFromObject(labels);
      case 1: {
        const a = labels[names[0]];
        if (a === undefined) break;
        const child = this.root.get(typeof a === 'string' ? a : String(a)) as C | undefined;
        if (child === undefined || keyCount(labels) !== 1) break;
        return child;
      }
      case 2: {
        const a = labels[names[0]];
        const b = labels[names[1]];
        if (a === undefined || b === undefined) break;
        const inner = this.root.get(typeof a === 'string' ? a : String(a)) as Map<string, unknown> | undefined;
        if (inner === undefined) break;
        const child = inner.get(typeof b === 'string' ? b : String(b)) as C | undefined;
        if (child === undefined || keyCount(labels) !== 2) break;
        return child;
      }
      default: {
        const last = this.labelCount - 1;
        let node = this.root;
        for (let i = 0; ; i++) {
          const raw = labels[names[i]];
          if (raw === undefined) break;
          const next = node.get(typeof raw === 'string' ? raw : String(raw));
          if (next === undefined) break;
          if (i === last) {
            if (keyCount(labels) !== this.labelCount) break;
            return next as C;
          }
          node = next as Map<string, unknown>;
        }
      }
    }
    // A new series, or a missing label: validate in full, then create (or throw).
    return this.createFromObject(labels);
  }

  /** The series for positional label `values` (in `labelNames` order), created when new. */
  byValues(values: ArrayLike<unknown>): C {
    const count = this.labelCount;
    if (values.length !== count) throw this.wrongCount(values.length);
    if (count === 0) return this.unlabelled();
    let node = this.root;
    for (let i = 0; ; i++) {
      const raw = values[i];
      if (raw === undefined) throw this.missing(this.labelNames[i]);
      const next = node.get(typeof raw === 'string' ? raw : String(raw));
      if (next === undefined) return this.insert(this.valuesFromArray(values));
      if (i === count - 1) return next as C;
      node = next as Map<string, unknown>;
    }
  }

  /**
   * Resolves the arguments of `labels(...)`/`remove(...)`: one object, or positional values.
   */
  resolve(args: ArrayLike<unknown>): C {
    const first = args[0];
    if (args.length === 1 && typeof first === 'object' && first !== null) {
      return this.byObject(first as Readonly<Record<string, unknown>>);
    }
    return this.byValues(args);
  }

  /** The existing series for `args` (as {@link resolve}), or `undefined`; never creates. */
  find(args: ArrayLike<unknown>): C | undefined {
    const values = this.valuesOf(args);
    if (values.length === 0) return this.defaultChild;
    let node: unknown = this.root;
    for (let i = 0; i < values.length; i++) {
      node = (node as Map<string, unknown>).get(values[i]);
      if (node === undefined) return undefined;
    }
    return node as C;
  }

  /** Removes the series for `args` (as {@link resolve}); returns it, or `undefined` when there was none. */
  remove(args: ArrayLike<unknown>): C | undefined {
    const values = this.valuesOf(args);
    if (values.length === 0) {
      const child = this.defaultChild;
      if (child === undefined) return undefined;
      this.defaultChild = undefined;
      return this.forget(child);
    }
    const path: Map<string, unknown>[] = [];
    let node: Map<string, unknown> = this.root;
    for (let i = 0; i < values.length - 1; i++) {
      const next = node.get(values[i]);
      if (next === undefined) return undefined;
      path.push(node);
      node = next as Map<string, unknown>;
    }
    const child = node.get(values[values.length - 1]) as C | undefined;
    if (child === undefined) return undefined;
    node.delete(values[values.length - 1]);
    // Drop the inner maps the removal left empty, so removed label values free their memory.
    for (let i = path.length - 1; i >= 0 && node.size === 0; i--) {
      path[i].delete(values[i]);
      node = path[i];
    }
    return this.forget(child);
  }

  /** Every series, in creation order. */
  get children(): readonly C[] {
    const removed = this.removed;
    if (removed !== undefined) {
      this.removed = undefined;
      this.list = this.list.filter((child) => !removed.has(child));
    }
    return this.list;
  }

  /** Forgets every series. */
  clear(): void {
    this.root.clear();
    this.list = [];
    this.removed = undefined;
    this.defaultChild = undefined;
  }

  private forget(child: C): C {
    (this.removed ??= new Set<C>()).add(child);
    return child;
  }

  /** Validated label values (strings, `labelNames` order) of `labels(...)`-style arguments. */
  private valuesOf(args: ArrayLike<unknown>): string[] {
    const first = args[0];
    if (args.length === 1 && typeof first === 'object' && first !== null) {
      const labels = first as Readonly<Record<string, unknown>>;
      this.checkObject(labels);
      return this.labelNames.map((name) => labelValue(labels[name]));
    }
    if (args.length !== this.labelCount) throw this.wrongCount(args.length);
    return this.valuesFromArray(args);
  }

  private valuesFromArray(values: ArrayLike<unknown>): string[] {
    const out = new Array<string>(values.length);
    for (let i = 0; i < values.length; i++) {
      if (values[i] === undefined) throw this.missing(this.labelNames[i]);
      out[i] = labelValue(values[i]);
    }
    return out;
  }

  private unlabelledFromObject(labels: Readonly<Record<string, unknown>>): C {
    for (const key in labels) {
      if (Object.prototype.hasOwnProperty.call(labels, key)) {
        throw new LabelSetMismatchError(this.metric, this.labelNames, `the metric has no labels, got ${JSON.stringify(key)}`);
      }
    }
    return this.unlabelled();
  }

  private createFromObject(labels: Readonly<Record<string, unknown>>): C {
    this.checkObject(labels);
    return this.insert(this.labelNames.map((name) => labelValue(labels[name])));
  }

  /** Full check of a label object: every declared label present, nothing else. */
  private checkObject(labels: Readonly<Record<string, unknown>>): void {
    for (const name of this.labelNames) {
      if (labels[name] === undefined) throw this.missing(name);
    }
    for (const key of Object.keys(labels)) {
      if (!this.labelNames.includes(key)) {
        throw new LabelSetMismatchError(this.metric, this.labelNames, `unknown label ${JSON.stringify(key)}`);
      }
    }
  }

  private insert(values: string[]): C {
    for (let i = 0; i < values.length; i++) {
      if (!isWellFormedText(values[i])) {
        throw new InvalidLabelValueError(this.metric, this.labelNames[i], 'not well-formed Unicode (a lone surrogate has no UTF-8 form: it would be sent as U+FFFD and merge with other series)');
      }
    }
    const last = values.length - 1;
    let node = this.root;
    for (let i = 0; i < last; i++) {
      let next = node.get(values[i]) as Map<string, unknown> | undefined;
      if (next === undefined) {
        next = new Map<string, unknown>();
        node.set(values[i], next);
      }
      node = next;
    }
    const existing = node.get(values[last]) as C | undefined;
    if (existing !== undefined) return existing;
    // Every series under one leaf map shares all label values but the last: take those
    // strings from the first series created there, so that 100k series built from fresh
    // strings (request data, template literals) keep one copy of each value, not one each.
    const sibling = last > 0 ? this.leafLabels.get(node) : undefined;
    const labels: Record<string, string> = {};
    for (let i = 0; i < last; i++) {
      if (sibling !== undefined) values[i] = sibling[this.labelNames[i]];
      labels[this.labelNames[i]] = values[i];
    }
    labels[this.labelNames[last]] = values[last];
    if (last > 0 && sibling === undefined) this.leafLabels.set(node, labels);
    const child = this.create(Object.freeze(values), Object.freeze(labels));
    node.set(values[last], child);
    this.list.push(child);
    return child;
  }

  private missing(label: string): LabelSetMismatchError {
    return new LabelSetMismatchError(this.metric, this.labelNames, `missing label ${JSON.stringify(label)}`);
  }

  private wrongCount(got: number): LabelSetMismatchError {
    return new LabelSetMismatchError(this.metric, this.labelNames, `got ${got} label value${got === 1 ? '' : 's'} for ${this.labelCount} label${this.labelCount === 1 ? '' : 's'}`);
  }

  private labelsRequired(): LabelSetMismatchError {
    return new LabelSetMismatchError(this.metric, this.labelNames, 'the metric has labels; pass label values or use labels(...)');
  }
}

/** A label value as exposed: strings as they are, numbers (and anything else) via `String()`. */
export function labelValue(raw: unknown): string {
  return typeof raw === 'string' ? raw : String(raw);
}

/** The enumerable keys of a label object: more than the declared labels means an unknown one. */
function keyCount(labels: Readonly<Record<string, unknown>>): number {
  let n = 0;
  for (const _ in labels) n++;
  return n;
}
