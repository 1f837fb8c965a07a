import { familyProblem, offsetInPage, pagedColumn, pageOf, typeLabelOf, type LabelSet, type MetricFamily, type MetricType, type Sample, type SeriesColumns } from '../model/index.js';
import { ColumnFamily } from '../model/column-family.js';
import type { GaugeMode, InfoMode, QuantileMode } from './aggregation-modes.js';
import { fromWire, PART_SEPARATOR, type WireFamily } from './worker-snapshot.js';

/** One worker's latest snapshot, as the merge sees it. */
export interface Contribution {
  /** The value of the worker label for this worker. */
  readonly worker: string;
  readonly families: readonly WireFamily[];
}

/** How the merge treats each kind of family. */
export interface MergeModes {
  readonly workerLabel: string;
  gaugeMode(name: string): GaugeMode;
  readonly info: InfoMode;
  readonly quantiles: QuantileMode;
}

/** Whether a part (`_total`, `_bucket\0le`, `_count`, `_sum`) only ever grows: added and kept after its worker left. */
function isMonotonic(type: MetricType, part: string): boolean {
  if (type === 'counter') return part === '_total';
  if (type === 'histogram') return true;
  if (type === 'summary') return part === '_count' || part === '_sum';
  return false;
}

/** A family's head. */
interface Head {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly unit: string;
}

/** The summed parts of one series group. */
class Totals {
  readonly parts: string[];
  /** Part -> position, built only when a contribution's parts differ from these. */
  private index: Map<string, number> | undefined;
  readonly values: number[];

  constructor(parts: readonly string[], values: readonly number[]) {
    this.parts = [...parts];
    this.values = [...values];
  }

  add(parts: readonly string[], values: readonly number[], sign: number): void {
    if (sameParts(parts, this.parts)) {
      for (let i = 0; i < values.length; i++) this.values[i] += sign * values[i];
      return;
    }
    const index = (this.index ??= new Map(this.parts.map((part, i) => [part, i])));
    for (let i = 0; i < parts.length; i++) {
      let at = index.get(parts[i]);
      if (at === undefined) {
        at = this.parts.length;
        this.parts.push(parts[i]);
        this.values.push(0);
        index.set(parts[i], at);
      }
      this.values[at] += sign * values[i];
    }
  }
}

function sameParts(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** One worker's values of one series group (the parts its layout names). */
interface WorkerValues {
  readonly worker: string;
  readonly parts: readonly string[];
  readonly values: number[];
}

/** Everything one scrape knows of one series group. */
class GroupMerge {
  /** Summed monotonic parts, retained ones included; undefined until one is seen. */
  totals: Totals | undefined;
  readonly perWorker: WorkerValues[] = [];
  constructor(readonly labelsJson: string) {}
}

/** Everything one scrape knows of one family. */
class FamilyMerge {
  readonly groups = new Map<string, GroupMerge>();
  /** How many contributions had this family (for info/stateset consistency). */
  workers = 0;
  constructor(readonly head: Head) {}

  group(labelsJson: string): GroupMerge {
    let group = this.groups.get(labelsJson);
    if (group === undefined) this.groups.set(labelsJson, (group = new GroupMerge(labelsJson)));
    return group;
  }
}

/**
 * What outlives a scrape in an aggregator: the monotonic values of workers that left, the
 * aggregate's own `_created` per series, and parsed labels.
 */
export class AggregateState {
  /** Family name -> its head and, per series group, the values left by workers gone. */
  private readonly retained = new Map<string, { head: Head; groups: Map<string, Totals> }>();
  /** `family\0labels` -> when the aggregate first exposed the series, in seconds. */
  private readonly created = new Map<string, number>();
  private readonly labelCache = new Map<string, LabelSet>();
  private readonly labelsChecked = new Map<string, boolean>();
  private readonly now: () => number;

  constructor(now: () => number = () => Date.now() / 1000) {
    this.now = now;
  }

  /**
   * Adds (`sign` 1) the monotonic values of a worker that left, so the totals never go
   * down; `sign` -1 takes an earlier fold of the same worker back (its final snapshot
   * arriving after its exit was folded).
   */
  fold(families: readonly WireFamily[], sign: 1 | -1): void {
    for (const family of families) {
      if (family.type !== 'counter' && family.type !== 'histogram' && family.type !== 'summary') continue;
      let kept = this.retained.get(family.name);
      if (kept === undefined) this.retained.set(family.name, (kept = { head: headOf(family), groups: new Map() }));
      for (const [labelsJson, layoutIndex, wire] of family.series) {
        const layout = family.layouts[layoutIndex] ?? [];
        const parts: string[] = [];
        const values: number[] = [];
        for (let i = 0; i < layout.length; i++) {
          if (!isMonotonic(family.type, layout[i])) continue;
          parts.push(layout[i]);
          values.push(fromWire(wire[i]));
        }
        if (parts.length === 0) continue;
        const totals = kept.groups.get(labelsJson);
        if (totals === undefined) kept.groups.set(labelsJson, new Totals(parts, sign === 1 ? values : values.map((v) => -v)));
        else totals.add(parts, values, sign);
      }
    }
  }

  /** The aggregate of the retained totals and the live workers' snapshots (in join order). */
  merge(contributions: readonly Contribution[], modes: MergeModes): MetricFamily[] {
    const merges = new Map<string, FamilyMerge>();
    for (const [name, kept] of this.retained) {
      const merge = new FamilyMerge(kept.head);
      merges.set(name, merge);
      for (const [labelsJson, totals] of kept.groups) merge.group(labelsJson).totals = new Totals(totals.parts, totals.values);
    }
    for (const contribution of contributions) {
      for (const family of contribution.families) {
        let merge = merges.get(family.name);
        if (merge === undefined) merges.set(family.name, (merge = new FamilyMerge(headOf(family))));
        // A worker that disagrees on the type is left out of that family rather than corrupting it.
        else if (merge.head.type !== family.type) continue;
        merge.workers++;
        const monotonicType = family.type === 'counter' || family.type === 'histogram' || family.type === 'summary';
        for (const [labelsJson, layoutIndex, wire] of family.series) {
          const layout = family.layouts[layoutIndex] ?? [];
          const values = wire.map(fromWire);
          const group = merge.group(labelsJson);
          if (monotonicType) {
            const parts = family.type === 'summary' ? layout.filter((p) => isMonotonic('summary', p)) : layout;
            const summed = family.type === 'summary' ? layout.flatMap((p, i) => (isMonotonic('summary', p) ? [values[i]] : [])) : values;
            if (group.totals === undefined) group.totals = new Totals(parts, summed);
            else group.totals.add(parts, summed, 1);
            if (family.type !== 'summary') continue;
          }
          group.perWorker.push({ worker: contribution.worker, parts: layout, values });
        }
      }
    }
    const out: MetricFamily[] = [];
    for (const merge of merges.values()) out.push(this.write(merge, modes));
    return out;
  }

  /** One merged family as samples. */
  private write(merge: FamilyMerge, modes: MergeModes): MetricFamily {
    const { head } = merge;
    const samples: Sample[] = [];
    const own = typeLabelOf(head.type, head.name);
    const emit = (labels: LabelSet, part: string, value: number): void => {
      const cut = part.indexOf(PART_SEPARATOR);
      if (cut < 0) {
        samples.push({ name: head.name + part, labels, value });
        return;
      }
      samples.push({ name: head.name + part.slice(0, cut), labels: { ...labels, [own!]: part.slice(cut + 1) }, value });
    };
    const perWorker = (group: GroupMerge, skip?: (part: string) => boolean): void => {
      const labels = this.labels(group.labelsJson);
      for (const w of group.perWorker) {
        const workerLabels = { ...labels, [modes.workerLabel]: w.worker };
        for (let i = 0; i < w.parts.length; i++) if (skip === undefined || !skip(w.parts[i])) emit(workerLabels, w.parts[i], w.values[i]);
      }
    };
    const seconds = this.now();
    const writeCreated = (group: GroupMerge, labels: LabelSet): void => {
      const key = `${head.name}\u0000${group.labelsJson}`;
      let at = this.created.get(key);
      if (at === undefined) this.created.set(key, (at = seconds));
      samples.push({ name: `${head.name}_created`, labels, value: at });
    };

    switch (head.type) {
      case 'counter':
      case 'histogram': {
        const writeTotals = (): void => {
          for (const group of merge.groups.values()) {
            if (group.totals === undefined) continue;
            const labels = this.labels(group.labelsJson);
            for (let i = 0; i < group.totals.parts.length; i++) emit(labels, group.totals.parts[i], group.totals.values[i]);
            writeCreated(group, labels);
          }
        };
        const columns = this.columnsOf(merge, seconds);
        if (columns !== undefined) {
          return new ColumnFamily(head, columns, (out) => {
            writeTotals();
            for (const sample of samples) out.push(sample);
          });
        }
        writeTotals();
        break;
      }
      case 'summary':
        if (modes.quantiles === 'perWorker') for (const group of merge.groups.values()) perWorker(group, (part) => isMonotonic('summary', part));
        for (const group of merge.groups.values()) {
          const labels = this.labels(group.labelsJson);
          if (modes.quantiles === 'merged') for (const [part, value] of mergedQuantiles(group)) emit(labels, part, value);
          if (group.totals === undefined) continue;
          for (let i = 0; i < group.totals.parts.length; i++) emit(labels, group.totals.parts[i], group.totals.values[i]);
          writeCreated(group, labels);
        }
        break;
      case 'info':
      case 'stateset': {
        const consistent = modes.info === 'consistent' && [...merge.groups.values()].every((group) => agrees(group, merge.workers));
        for (const group of merge.groups.values()) {
          if (!consistent) perWorker(group);
          else if (group.perWorker.length > 0) {
            const only = group.perWorker[0];
            const labels = this.labels(group.labelsJson);
            for (let i = 0; i < only.parts.length; i++) emit(labels, only.parts[i], only.values[i]);
          }
        }
        break;
      }
      default: {
        const mode = modes.gaugeMode(head.name);
        for (const group of merge.groups.values()) {
          if (mode === 'perWorker') perWorker(group);
          else if (group.perWorker.length > 0) {
            const labels = this.labels(group.labelsJson);
            const combined = combine(group.perWorker, mode);
            for (let i = 0; i < combined.parts.length; i++) emit(labels, combined.parts[i], combined.values[i]);
          }
        }
      }
    }
    return { name: head.name, type: head.type, help: head.help, unit: head.unit, samples };
  }

  /**
   * A counter or histogram whose series all have the layout an instrument writes, with
   * values that keep the rules (what a promkit worker sends), column-wise: written like an
   * instrument's family, without a `Sample` per line nor a second check of every sample.
   * `undefined` for anything else, which then goes out as samples and is checked.
   */
  private columnsOf(merge: FamilyMerge, seconds: number): SeriesColumns | undefined {
    const { head } = merge;
    let parts: readonly string[] | undefined;
    let key = '';
    const groups: GroupMerge[] = [];
    for (const group of merge.groups.values()) {
      if (group.totals === undefined) continue;
      if (parts === undefined) {
        parts = group.totals.parts;
        key = parts.join('\u0001');
      } else if (group.totals.parts.length !== parts.length || group.totals.parts.join('\u0001') !== key) return undefined;
      groups.push(group);
    }
    if (parts === undefined) return undefined;
    const le = head.type === 'histogram' ? bucketBounds(parts) : undefined;
    if (head.type === 'histogram' ? le === undefined : parts.length !== 1 || parts[0] !== '_total') return undefined;
    const stride = parts.length;
    const values = pagedColumn(groups.length, stride);
    const created = pagedColumn(groups.length, 1);
    const labels: LabelSet[] = new Array(groups.length);
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g];
      const series = this.checkedLabels(group.labelsJson, head.type);
      if (series === undefined) return undefined;
      labels[g] = series;
      const v = group.totals!.values;
      if (!countsKeepRules(v, le === undefined ? 0 : le.length)) return undefined;
      const page = pageOf(values, g);
      const offset = offsetInPage(g, stride);
      for (let k = 0; k < stride; k++) page[offset + k] = v[k];
      const createdKey = `${head.name}\u0000${group.labelsJson}`;
      let at = this.created.get(createdKey);
      if (at === undefined) this.created.set(createdKey, (at = seconds));
      pageOf(created, g)[offsetInPage(g, 1)] = at;
    }
    return {
      kind: head.type === 'histogram' ? 'histogram' : 'counter',
      size: groups.length,
      labels,
      sharedLabels: undefined,
      values,
      stride,
      created,
      exemplars: undefined,
      le: le ?? [],
      hasSum: le !== undefined && stride === le.length + 2,
    };
  }

  /** The labels of `json` when they are legal series labels of a `type` family (checked once per label set). */
  private checkedLabels(json: string, type: MetricType): LabelSet | undefined {
    let ok = this.labelsChecked.get(json);
    if (ok === undefined) {
      const labels = this.labels(json);
      // The one family rule, on a one-sample gauge carrying these labels.
      ok = !('le' in labels) && !('quantile' in labels) && familyProblem({ name: 'x', type: 'gauge', help: '', unit: '', samples: [{ name: 'x', labels, value: 0 }] }) === undefined;
      this.labelsChecked.set(json, ok);
    }
    return ok && (type === 'counter' || type === 'histogram') ? this.labels(json) : undefined;
  }

  private labels(json: string): LabelSet {
    let labels = this.labelCache.get(json);
    if (labels === undefined) {
      labels = Object.freeze(JSON.parse(json) as Record<string, string>);
      this.labelCache.set(json, labels);
    }
    return labels;
  }

  /**
   * Bounds what label churn would otherwise grow forever: parsed and checked labels are
   * simply re-read; `_created` of series no longer exposed by anyone is forgotten.
   */
  trimCaches(limit: number, exposed: readonly MetricFamily[]): void {
    if (this.labelCache.size > limit) this.labelCache.clear();
    if (this.labelsChecked.size > limit) this.labelsChecked.clear();
    if (this.created.size > limit) {
      const live = new Set<string>();
      for (const family of exposed) for (const group of this.groupKeysOf(family)) live.add(group);
      for (const key of this.created.keys()) if (!live.has(key)) this.created.delete(key);
    }
  }

  /** The `_created` keys of a merged family's series. */
  private groupKeysOf(family: MetricFamily): string[] {
    const own = typeLabelOf(family.type, family.name);
    const keys = new Set<string>();
    for (const sample of family.samples) {
      if (sample.name !== `${family.name}_created`) continue;
      const labels: Record<string, string> = { ...sample.labels };
      if (own !== undefined) delete labels[own];
      keys.add(`${family.name}\u0000${JSON.stringify(labels)}`);
    }
    return [...keys];
  }
}

/**
 * The `le` values of a histogram layout (`_bucket` parts in increasing order ending at
 * `+Inf`, then `_count` and `_sum` or nothing), or `undefined` when it is not one.
 */
function bucketBounds(parts: readonly string[]): string[] | undefined {
  const le: string[] = [];
  let previous = -Infinity;
  let i = 0;
  for (; i < parts.length && parts[i].startsWith('_bucket\u0000'); i++) {
    const text = parts[i].slice('_bucket\u0000'.length);
    const bound = text === '+Inf' ? Infinity : Number(text);
    if (!(bound > previous) || (text !== '+Inf' && String(bound) !== text && `${bound}.0` !== text)) return undefined;
    previous = bound;
    le.push(text);
  }
  if (previous !== Infinity) return undefined;
  const rest = parts.length - i;
  if (rest === 0) return le;
  return rest === 2 && parts[i] === '_count' && parts[i + 1] === '_sum' && !(le.length > 1 && Number(le[0]) < 0) ? le : undefined;
}

/**
 * Whether summed counter or histogram values keep the rules: not negative, not NaN; with
 * `buckets`, integer cumulative counts, the count equal to the `+Inf` bucket.
 */
function countsKeepRules(values: readonly number[], buckets: number): boolean {
  for (let i = 0; i < values.length; i++) if (!(values[i] >= 0)) return false;
  if (buckets === 0) return true;
  for (let i = 0; i < buckets; i++) if (!Number.isInteger(values[i]) || (i > 0 && values[i] < values[i - 1])) return false;
  return values.length === buckets || values[buckets] === values[buckets - 1];
}

function headOf(family: WireFamily): Head {
  return { name: family.name, type: family.type, help: family.help, unit: family.unit };
}

/** Whether every worker with the family has this group, with the same parts and values. */
function agrees(group: GroupMerge, workers: number): boolean {
  if (group.perWorker.length !== workers) return false;
  const first = group.perWorker[0];
  return group.perWorker.every(
    (w) => w.parts.length === first.parts.length && w.parts.every((p, i) => p === first.parts[i] && Object.is(w.values[i], first.values[i])),
  );
}

/** Gauge values of several workers, part by part, by `mode` (not `perWorker`). */
function combine(workers: readonly WorkerValues[], mode: GaugeMode): { parts: string[]; values: number[] } {
  if (mode === 'last') {
    const last = workers[workers.length - 1];
    return { parts: [...last.parts], values: [...last.values] };
  }
  const parts: string[] = [];
  const values: number[] = [];
  const counts: number[] = [];
  const index = new Map<string, number>();
  for (const w of workers) {
    for (let i = 0; i < w.parts.length; i++) {
      const value = w.values[i];
      let at = index.get(w.parts[i]);
      if (at === undefined) {
        index.set(w.parts[i], (at = parts.length));
        parts.push(w.parts[i]);
        values.push(value);
        counts.push(1);
        continue;
      }
      counts[at]++;
      if (mode === 'min') values[at] = Math.min(values[at], value);
      else if (mode === 'max') values[at] = Math.max(values[at], value);
      else values[at] += value;
    }
  }
  if (mode === 'mean') for (let i = 0; i < values.length; i++) values[i] /= counts[i];
  return { parts, values };
}

/** A summary group's quantiles, each the workers' estimates weighted by their `_count`. */
function mergedQuantiles(group: GroupMerge): [string, number][] {
  const sums = new Map<string, { weighted: number; weight: number; plain: number; n: number }>();
  for (const w of group.perWorker) {
    const countAt = w.parts.indexOf('_count');
    const weight = countAt < 0 ? 0 : w.values[countAt];
    for (let i = 0; i < w.parts.length; i++) {
      if (isMonotonic('summary', w.parts[i])) continue;
      let s = sums.get(w.parts[i]);
      if (s === undefined) sums.set(w.parts[i], (s = { weighted: 0, weight: 0, plain: 0, n: 0 }));
      const value = w.values[i];
      // A worker without observations has a NaN quantile: it carries no weight.
      if (weight > 0 && value === value) {
        s.weighted += weight * value;
        s.weight += weight;
      }
      s.plain += value;
      s.n++;
    }
  }
  return [...sums].map(([part, s]) => [part, s.weight > 0 ? s.weighted / s.weight : s.plain / s.n]);
}
