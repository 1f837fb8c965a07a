import { offsetInPage, pageOf, typeLabelOf, type LabelSet, type MetricFamily, type MetricType } from '../model/index.js';

/**
 * A number as it crosses a process boundary: `node:cluster`'s default IPC serializes JSON,
 * which turns `NaN` and the infinities into `null`, so those travel as strings.
 */
export type WireNumber = number | 'NaN' | '+Inf' | '-Inf';

/**
 * One series group of a family as a worker sends it: its labels (without `le`, `quantile`
 * or a stateset's own label) as JSON, the index of its layout in
 * {@link WireFamily.layouts}, and one value per part of that layout.
 */
export type WireSeries = [labels: string, layout: number, values: WireNumber[]];

/**
 * One family of a worker's snapshot. Series are grouped (a histogram's buckets, count and
 * sum are one group) and every group names a shared layout, so the primary merges a group
 * of N workers by adding arrays, not by matching samples one by one, and the sample names
 * and bounds travel once per family instead of once per sample.
 */
export interface WireFamily {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly unit: string;
  /**
   * The distinct layouts of the family's groups: each a list of parts, a part being the
   * sample suffix (`_bucket`, `_count`, `''`) and, after a NUL, the value of the type's own
   * label (`le`, `quantile`, the state) when the sample has one.
   */
  readonly layouts: string[][];
  readonly series: WireSeries[];
}

/** The separator between a part's suffix and its own label's value. */
export const PART_SEPARATOR = '\u0000';

/** A number ready for JSON. */
export function toWire(value: number): WireNumber {
  if (value === value && value !== Infinity && value !== -Infinity) return value;
  return value === Infinity ? '+Inf' : value === -Infinity ? '-Inf' : 'NaN';
}

/** A number back from JSON (anything unexpected reads as `NaN`). */
export function fromWire(value: WireNumber): number {
  if (typeof value === 'number') return value;
  return value === '+Inf' ? Infinity : value === '-Inf' ? -Infinity : NaN;
}

/** Builds a family's layouts, sharing one entry among groups whose parts are the same. */
class LayoutTable {
  readonly layouts: string[][] = [];
  private readonly byKey = new Map<string, number>();

  indexOf(parts: string[]): number {
    const key = parts.join('\u0001');
    let index = this.byKey.get(key);
    if (index === undefined) {
      index = this.layouts.length;
      this.layouts.push(parts);
      this.byKey.set(key, index);
    }
    return index;
  }
}

/**
 * A worker registry's own families (collector health, series overflow), which the
 * aggregating registry writes for its own collectors and instruments too: the workers'
 * travel under these names (the overflow counts then add up across workers by `metric`).
 */
export const WORKER_REGISTRY_FAMILIES: ReadonlyMap<string, string> = new Map([
  ['promkit_collector_success', 'promkit_cluster_worker_collector_success'],
  ['promkit_collector_duration_seconds', 'promkit_cluster_worker_collector_duration_seconds'],
  ['promkit_series_overflow', 'promkit_cluster_worker_series_overflow'],
]);

/**
 * A worker's families in wire form. `_created` samples are left out (the aggregate writes
 * its own), as are exemplars and sample timestamps. Native histogram buckets are left out
 * too: the aggregate is classic only (a native histogram's classic part, its count, sum
 * and classic buckets, is merged), since merging the sparse buckets of workers whose
 * schemas were reduced apart is not done here.
 */
export function snapshotOf(families: readonly MetricFamily[]): WireFamily[] {
  const out: WireFamily[] = [];
  for (const family of families) {
    const wire = family.columns === undefined ? fromSamples(family) : fromColumns(family);
    const renamed = WORKER_REGISTRY_FAMILIES.get(family.name);
    out.push(renamed === undefined ? wire : { ...wire, name: renamed });
  }
  return out;
}

function fromColumns(family: MetricFamily): WireFamily {
  const columns = family.columns!;
  const table = new LayoutTable();
  let parts: string[];
  if (columns.kind === 'counter') parts = ['_total'];
  else if (columns.kind === 'gauge') parts = [''];
  else {
    parts = columns.le.map((le) => `_bucket${PART_SEPARATOR}${le}`);
    if (columns.hasSum) parts.push('_count', '_sum');
  }
  const layout = table.indexOf(parts);
  const series: WireSeries[] = new Array(columns.size);
  const { values, stride, sharedLabels } = columns;
  for (let i = 0; i < columns.size; i++) {
    const labels = sharedLabels === undefined ? columns.labels[i] : { ...sharedLabels, ...columns.labels[i] };
    const row: WireNumber[] = new Array(parts.length);
    const page = pageOf(values, i);
    const offset = offsetInPage(i, stride);
    // A histogram's stride may be wider than the parts written (no _count/_sum).
    for (let j = 0; j < parts.length; j++) row[j] = toWire(page[offset + j]);
    series[i] = [JSON.stringify(labels), layout, row];
  }
  return { name: family.name, type: family.type, help: family.help, unit: family.unit, layouts: table.layouts, series };
}

function fromSamples(family: MetricFamily): WireFamily {
  const table = new LayoutTable();
  const series: WireSeries[] = [];
  const own = typeLabelOf(family.type, family.name);
  const created = `${family.name}_created`;
  let groupKey: string | undefined;
  let parts: string[] = [];
  let row: WireNumber[] = [];
  const flush = (): void => {
    if (groupKey !== undefined) series.push([groupKey, table.indexOf(parts), row]);
  };
  for (const sample of family.samples) {
    if (sample.name === created) continue;
    let ownValue: string | undefined;
    let labels: LabelSet = sample.labels;
    if (own !== undefined && own in labels) {
      const { [own]: value, ...rest } = labels;
      ownValue = value;
      labels = rest;
    }
    // Info samples are each their own series; every other type groups by labels.
    const key = JSON.stringify(labels);
    if (key !== groupKey || family.type === 'info') {
      flush();
      groupKey = key;
      parts = [];
      row = [];
    }
    const suffix = sample.name.slice(family.name.length);
    parts.push(ownValue === undefined ? suffix : `${suffix}${PART_SEPARATOR}${ownValue}`);
    row.push(toWire(sample.value));
  }
  flush();
  return { name: family.name, type: family.type, help: family.help, unit: family.unit, layouts: table.layouts, series };
}
