import { InvalidLabelValueError, isWellFormedText, LabelSetMismatchError } from '../model/index.js';
import type { LabelSet } from '../model/index.js';
import { IdleMark } from './series-expiry.js';
import type { ExpiringSeries, SeriesReattacher } from './series-expiry.js';
import { OVERFLOW_LABEL_VALUE } from './series-limits.js';
import type { SeriesLimits } from './series-limits.js';
import { monotonicSeconds } from './timing.js';

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

/** A series that expired while user code may still hold it: revived if recorded into. */
interface ExpiredSeries<C> {
  readonly ref: WeakRef<C & object>;
  readonly values: readonly string[];
}

/**
 * What a store calls with each series it takes out. Written as a method type (whose
 * parameter is bivariant) so that a metric stays assignable to its `Metric<string>` form.
 */
type SeriesRelease<C> = { release(child: C): void }['release'];

/**
 * Told of each series a walk of the label-value tree meets: the series, its last label
 * value, and the values above it. Returns true to take the series out of the tree.
 */
type LeafVisitor<C> = (child: C, value: string, path: readonly string[]) => boolean;

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
 * Limits (`maxSeries`, `seriesTtlSeconds`) are enforced only where a series is created and
 * at collect time: the lookup of a known series does not change. Past `maxSeries`, a new
 * label set resolves to the overflow series (see {@link OVERFLOW_LABEL_VALUE}); where the
 * metric's values do not add up (`foldOverflow` false: enum, info) to a detached series
 * that is never exposed.
 *
 * @internal Used by the instruments; not part of the public API.
 */
export class SeriesStore<C extends ExpiringSeries> implements SeriesReattacher {
  private list: C[] = [];
  /** Series removed since `list` was last compacted. */
  private removed: Set<C> | undefined = undefined;
  private readonly root = new Map<string, unknown>();
  /** The labels of the first series created in each leaf map (see `insert`). */
  private readonly leafLabels = new WeakMap<Map<string, unknown>, LabelSet>();
  private readonly labelCount: number;
  /** Builds this store's label objects (see {@link labelObjectConstructor}). */
  private readonly LabelObject = labelObjectConstructor();
  private defaultChild: C | undefined = undefined;
  /** Series in the tree (the overflow series included). */
  private size = 0;
  private maxSeries = Infinity;
  private ttlSeconds: number | undefined = undefined;
  /** Records folded into the overflow series since the last `clear()`. */
  private folded = 0;
  private warned = false;
  private overflowChild: C | undefined = undefined;
  private overflowValues: string[] | undefined = undefined;
  /** Expired series by {@link keyOf} their values, while something may still hold them. */
  private readonly expired = new Map<string, ExpiredSeries<C>>();
  /**
   * Forgets an expired series' entry once the garbage collector took the series. (Asking each
   * entry's `WeakRef` at every scrape would keep the targets alive: `deref()` holds a target
   * until the job ends, and V8 may clear that hold only later.)
   */
  private collected: FinalizationRegistry<string> | undefined = undefined;

  constructor(
    private readonly metric: string,
    private readonly labelNames: readonly string[],
    private readonly create: ChildFactory<C>,
    /** Told of every series removed or expired, to free what it holds. */
    private readonly release: SeriesRelease<C>,
    /** Whether past `maxSeries` new label sets share one exposed series (see the class). */
    private readonly foldOverflow: boolean,
  ) {
    this.labelCount = labelNames.length;
  }

  /** Sets the limits (checked by the caller); unlabelled metrics have no use for them. */
  setLimits(limits: SeriesLimits): void {
    this.maxSeries = limits.maxSeries ?? Infinity;
    this.ttlSeconds = limits.seriesTtlSeconds;
  }

  /** The number of records folded into the overflow series, or `undefined` without `maxSeries`. */
  get overflowCount(): number | undefined {
    return this.maxSeries === Infinity ? undefined : this.folded;
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
    // One to three labels are unrolled: a keyed load site that always sees the same label
    // name stays fast in V8, a looped one sees every name and goes polymorphic.
    switch (this.labelCount) {
      case 0:
        return this.unlabelledFromObject(labels);
      case 1: {
        const a = labels[names[0]];
        if (a === undefined) break;
        const child = this.root.get(typeof a === 'string' ? a : nonStringLabel(a)) as C | undefined;
        if (child === undefined || keyCount(labels) !== 1) break;
        return child;
      }
      case 2: {
        const a = labels[names[0]];
        const b = labels[names[1]];
        if (a === undefined || b === undefined) break;
        const inner = this.root.get(typeof a === 'string' ? a : nonStringLabel(a)) as Map<string, unknown> | undefined;
        if (inner === undefined) break;
        const child = inner.get(typeof b === 'string' ? b : nonStringLabel(b)) as C | undefined;
        if (child === undefined || keyCount(labels) !== 2) break;
        return child;
      }
      case 3: {
        const a = labels[names[0]];
        const b = labels[names[1]];
        const c = labels[names[2]];
        if (a === undefined || b === undefined || c === undefined) break;
        const middle = this.root.get(typeof a === 'string' ? a : nonStringLabel(a)) as Map<string, unknown> | undefined;
        if (middle === undefined) break;
        const inner = middle.get(typeof b === 'string' ? b : nonStringLabel(b)) as Map<string, unknown> | undefined;
        if (inner === undefined) break;
        const child = inner.get(typeof c === 'string' ? c : nonStringLabel(c)) as C | undefined;
        if (child === undefined || keyCount(labels) !== 3) break;
        return child;
      }
      default: {
        const last = this.labelCount - 1;
        let node = this.root;
        for (let i = 0; ; i++) {
          const raw = labels[names[i]];
          if (raw === undefined) break;
          const next = node.get(typeof raw === 'string' ? raw : nonStringLabel(raw));
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
      const next = node.get(typeof raw === 'string' ? raw : nonStringLabel(raw));
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
    return values.length === 0 ? this.defaultChild : this.findValues(values);
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
    // An expired series removed now must not come back when a caller records into it.
    if (this.expired.size > 0) this.expired.delete(keyOf(values));
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
    return this.unlist(child);
  }

  /**
   * Removes every series whose labels include `partial` (label name -> value; a label left
   * out or `undefined` matches any value); returns how many. `LabelSetMismatchError` for a
   * label name the metric does not declare.
   */
  removeMatching(partial: Readonly<Record<string, unknown>>): number {
    if (typeof partial !== 'object' || partial === null) {
      throw new LabelSetMismatchError(this.metric, this.labelNames, 'removeMatching takes an object of label name -> value');
    }
    for (const key of Object.keys(partial)) {
      if (!this.labelNames.includes(key)) throw new LabelSetMismatchError(this.metric, this.labelNames, `unknown label ${JSON.stringify(key)}`);
    }
    const wanted = this.labelNames.map((name) => (partial[name] === undefined ? undefined : labelValue(partial[name])));
    for (const [key, entry] of this.expired) if (matches(entry.values, wanted)) this.expired.delete(key);
    let removed = 0;
    this.walk(this.root, 0, wanted, [], (child) => {
      this.unlist(child);
      removed++;
      return true;
    });
    return removed;
  }

  /**
   * Puts an expired series back where it was, unless it was removed (or the metric reset)
   * since; called when it is recorded into again. (No other series can have taken its place:
   * while it is alive, a lookup of its label values brings it back too.)
   */
  reattach(series: ExpiringSeries, key: string): void {
    const entry = this.expired.get(key);
    if (entry === undefined || entry.ref.deref() !== series) return;
    this.expired.delete(key);
    this.relist(series as C, entry.values);
  }

  /**
   * Every series, in creation order, for a scrape: with `seriesTtlSeconds`, those idle for
   * that long are dropped first.
   */
  get children(): readonly C[] {
    if (this.ttlSeconds !== undefined) this.expireIdle(this.ttlSeconds);
    const removed = this.removed;
    if (removed !== undefined) {
      this.removed = undefined;
      this.list = this.list.filter((child) => !removed.has(child));
    }
    return this.list;
  }

  /** Forgets every series, the overflow count with them. */
  clear(): void {
    this.root.clear();
    this.list = [];
    this.removed = undefined;
    this.defaultChild = undefined;
    this.size = 0;
    this.folded = 0;
    this.overflowChild = undefined;
    this.expired.clear();
  }

  private forget(child: C): C {
    (this.removed ??= new Set<C>()).add(child);
    return child;
  }

  /** Bookkeeping for a series just taken out of the tree. */
  private unlist(child: C): C {
    this.size--;
    if (child === this.overflowChild) this.overflowChild = undefined;
    this.release(child);
    return this.forget(child);
  }

  /** Drops the entry of an expired series the garbage collector took (not a newer one under the same key). */
  private forgetCollected(key: string): void {
    const entry = this.expired.get(key);
    if (entry !== undefined && entry.ref.deref() === undefined) this.expired.delete(key);
  }

  /** Lists a series again (an expired one recorded into) under `values`. */
  private relist(child: C, values: readonly string[]): void {
    this.leafMap(values).set(values[values.length - 1], child);
    this.size++;
    child.idle = undefined;
    // Not yet compacted out of `list`: keeping it there keeps its place.
    if (this.removed !== undefined && this.removed.delete(child)) return;
    this.list.push(child);
  }

  /**
   * One sweep of idle-series expiry, at a scrape: a series recorded into since the last sweep
   * is marked with this sweep's time; one still marked `ttlSeconds` after its mark's sweep is
   * taken out, and kept (weakly) for a caller that still holds it to bring back.
   */
  private expireIdle(ttlSeconds: number): void {
    const now = monotonicSeconds();
    const mark = new IdleMark(now);
    this.walk(this.root, 0, undefined, [], (child, value, path) => {
      const idle = child.idle;
      if (idle === undefined) {
        child.idle = mark;
        return false;
      }
      if (now - idle.since < ttlSeconds) return false;
      this.unlist(child);
      const values = [...path, value];
      const key = keyOf(values);
      const ref = new WeakRef(child);
      this.expired.set(key, { ref, values });
      (this.collected ??= new FinalizationRegistry((gone) => this.forgetCollected(gone))).register(child, key);
      child.idle = new IdleMark(idle.since, this, key);
      return true;
    });
  }

  /**
   * Shows `visit` the series under `node` (at label `depth`) whose values match `wanted`
   * (`undefined`: all); `path` holds the values above `node`. Series `visit` takes out are
   * deleted, and inner maps left empty are dropped on the way back up.
   */
  private walk(node: Map<string, unknown>, depth: number, wanted: readonly (string | undefined)[] | undefined, path: string[], visit: LeafVisitor<C>): void {
    const want = wanted === undefined ? undefined : wanted[depth];
    if (want === undefined) {
      node.forEach((next, value) => this.step(node, value, next, depth, wanted, path, visit));
      return;
    }
    const next = node.get(want);
    if (next !== undefined) this.step(node, want, next, depth, wanted, path, visit);
  }

  /** One entry of {@link walk}: a series to show `visit`, or an inner map to walk. */
  private step(node: Map<string, unknown>, value: string, next: unknown, depth: number, wanted: readonly (string | undefined)[] | undefined, path: string[], visit: LeafVisitor<C>): void {
    if (depth === this.labelCount - 1) {
      if (visit(next as C, value, path)) node.delete(value);
      return;
    }
    const inner = next as Map<string, unknown>;
    path.push(value);
    this.walk(inner, depth + 1, wanted, path, visit);
    path.pop();
    if (inner.size === 0) node.delete(value);
  }

  /**
   * A label set past `maxSeries`: the overflow series (created, past the limit, on first
   * use), counted, and warned about once.
   */
  private overflow(): C {
    this.folded++;
    if (!this.warned) {
      this.warned = true;
      process.emitWarning(
        `promkit: metric ${JSON.stringify(this.metric)} reached maxSeries (${this.maxSeries}); new label sets are ` +
          (this.foldOverflow ? `folded into the series whose labels are all "${OVERFLOW_LABEL_VALUE}"` : 'not recorded') +
          ' and counted in promkit_series_overflow_total',
        { code: 'PROMKIT_SERIES_OVERFLOW' },
      );
    }
    let child = this.overflowChild;
    if (child === undefined) {
      const values = this.labelNames.map(() => OVERFLOW_LABEL_VALUE);
      child = this.foldOverflow ? this.insert(values, true) : this.create(Object.freeze(values), Object.freeze(Object.fromEntries(values.map((v, i) => [this.labelNames[i], v]))));
      this.overflowChild = child;
    }
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

  private insert(values: string[], pastLimit = false): C {
    for (let i = 0; i < values.length; i++) {
      if (!isWellFormedText(values[i])) {
        throw new InvalidLabelValueError(this.metric, this.labelNames[i], 'not well-formed Unicode (a lone surrogate has no UTF-8 form: it would be sent as U+FFFD and merge with other series)');
      }
    }
    if (this.expired.size > 0) {
      const key = keyOf(values);
      const held = this.expired.get(key)?.ref.deref();
      if (held !== undefined) {
        this.reattach(held, key);
        return held;
      }
    }
    if (this.size >= this.maxSeries && !pastLimit && this.realSeries() >= this.maxSeries) return this.findValues(values) ?? this.overflow();
    const last = values.length - 1;
    const node = this.leafMap(values);
    const existing = node.get(values[last]) as C | undefined;
    if (existing !== undefined) return existing;
    // Every series under one leaf map shares all label values but the last: take those
    // strings from the first series created there, so that 100k series built from fresh
    // strings (request data, template literals) keep one copy of each value, not one each.
    const sibling = last > 0 ? this.leafLabels.get(node) : undefined;
    if (sibling !== undefined) for (let i = 0; i < last; i++) values[i] = sibling[this.labelNames[i]];
    const labels = new this.LabelObject(this.labelNames, values);
    if (last > 0 && sibling === undefined) this.leafLabels.set(node, labels);
    const child = this.create(Object.freeze(values), Object.freeze(labels));
    node.set(values[last], child);
    this.list.push(child);
    this.size++;
    return child;
  }

  /** The map that holds (or is to hold) the series of `values`; inner maps are created on the way. */
  private leafMap(values: readonly string[]): Map<string, unknown> {
    let node = this.root;
    for (let i = 0; i < values.length - 1; i++) {
      let next = node.get(values[i]) as Map<string, unknown> | undefined;
      if (next === undefined) {
        next = new Map<string, unknown>();
        node.set(values[i], next);
      }
      node = next;
    }
    return node;
  }

  /** The series but the overflow one: what `maxSeries` bounds. */
  private realSeries(): number {
    return this.findValues((this.overflowValues ??= this.labelNames.map(() => OVERFLOW_LABEL_VALUE))) === undefined ? this.size : this.size - 1;
  }

  /** The listed series of `values` (validated strings), or `undefined`. */
  private findValues(values: readonly string[]): C | undefined {
    let node: unknown = this.root;
    for (let i = 0; i < values.length && node !== undefined; i++) node = (node as Map<string, unknown>).get(values[i]);
    return node as C | undefined;
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

/** A constructor of plain label objects: `new LabelObject(names, values)` holds `names[i]: values[i]`. */
type LabelObjectConstructor = new (names: readonly string[], values: readonly string[]) => Record<string, string>;

/**
 * A constructor of label objects for one store. An object built key by key from `{}` gets
 * room for four properties, and one with more moves its properties out of the object; V8
 * sizes the objects of a constructor to what its first instances used. One constructor per
 * store, so each metric's label objects are sized to its own label count. The objects keep
 * `Object.prototype` and are indistinguishable from literals.
 */
function labelObjectConstructor(): LabelObjectConstructor {
  const LabelObject = function (this: Record<string, string>, names: readonly string[], values: readonly string[]): void {
    for (let i = 0; i < names.length; i++) this[names[i]] = values[i];
  };
  LabelObject.prototype = Object.prototype;
  return LabelObject as unknown as LabelObjectConstructor;
}

/** A label value as exposed: strings as they are, numbers (and anything else) via `String()`. */
export function labelValue(raw: unknown): string {
  return typeof raw === 'string' ? raw : nonStringLabel(raw);
}

/**
 * The spellings of the integers 0..1023, made once. Small integers (status codes, shard and
 * worker numbers) are common label values, and `String(n)` costs more than the rest of a
 * lookup's step; the same string objects also serve as the index's keys, so a hit compares
 * pointers.
 */
const SMALL_INTEGER_LABELS: readonly string[] = Array.from({ length: 1024 }, (_, i) => String(i));

/** {@link labelValue} of anything but a string: a small integer from the table, the rest via `String()`. */
function nonStringLabel(raw: unknown): string {
  return typeof raw === 'number' && raw >>> 0 === raw && raw < 1024 ? SMALL_INTEGER_LABELS[raw] : String(raw);
}

/** One key for a series' label values, for the expired-series index (unambiguous whatever the values hold). */
function keyOf(values: readonly string[]): string {
  return JSON.stringify(values);
}

/** Whether `values` has every value `wanted` gives (`undefined`: any). */
function matches(values: readonly string[], wanted: readonly (string | undefined)[]): boolean {
  for (let i = 0; i < values.length; i++) if (wanted[i] !== undefined && wanted[i] !== values[i]) return false;
  return true;
}

/** The enumerable keys of a label object: more than the declared labels means an unknown one. */
function keyCount(labels: Readonly<Record<string, unknown>>): number {
  let n = 0;
  for (const _ in labels) n++;
  return n;
}
