import type { Exemplar, LabelSet, MetricFamily, Sample } from '../model/index.js';
import { escapeLabelValue } from './escaping.js';

/**
 * The key under which promkit's own instruments attach a column-wise snapshot of their
 * series to the families they collect (a registered symbol: `metrics/series-view.ts`
 * defines the same one, since neither layer may import the other).
 *
 * @internal
 */
export const SERIES_VIEW: unique symbol = Symbol.for('promkit.seriesView');

/**
 * What an instrument family carries under {@link SERIES_VIEW}: the values of one scrape in
 * typed arrays, plus each series' labels. It holds exactly what `family.samples` holds, so
 * the encoders may write from it instead: one label rendering per series rather than one
 * per line, and no `Sample` (or, for buckets, label) object per line. Families without
 * it, or whose `samples` were replaced (the registry's `created: false`, default labels,
 * `name[]` filters), are written from their samples.
 *
 * `values` holds one value per series for counters and gauges; for histograms `stride`
 * values per series: the cumulative bucket counts (one per `le`), the count, the sum.
 *
 * @internal The contract between `metrics/series-view.ts` and the encoders.
 */
export interface SeriesView {
  readonly kind: 'counter' | 'gauge' | 'histogram';
  readonly samples: readonly Sample[];
  readonly size: number;
  readonly labels: readonly LabelSet[];
  readonly values: Float64Array;
  readonly stride: number;
  readonly created: Float64Array | undefined;
  readonly exemplars: readonly (Exemplar | readonly (Exemplar | undefined)[] | undefined)[] | undefined;
  readonly le: readonly string[];
  readonly hasSum: boolean;
}

/** The family's series view, when it has one that still stands for its samples. */
export function seriesViewOf(family: MetricFamily): SeriesView | undefined {
  const view = (family as { readonly [SERIES_VIEW]?: SeriesView })[SERIES_VIEW];
  return view !== undefined && view.samples === family.samples ? view : undefined;
}

/**
 * A series' labels rendered without braces (`a="x",b="y"`), or `''`. Same text as
 * `renderLabels`, computed once per series and shared by all its lines.
 */
export function renderLabelPairs(labels: LabelSet): string {
  let out = '';
  for (const name in labels) {
    const value = labels[name];
    out += `${out === '' ? '' : ','}${name}="${escapeLabelValue(typeof value === 'string' ? value : String(value))}"`;
  }
  return out;
}
