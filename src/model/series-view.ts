import type { MetricFamily } from './metric-family.js';
import type { MetricType } from './metric-type.js';
import type { Exemplar, LabelSet, Sample } from './sample.js';
import { vouchForFamily } from './vouched-families.js';

/**
 * The key under which an instrument's family carries its {@link SeriesView}: written by the
 * instruments (`metrics/`), kept up to date by the registry's options (`registry/`), read by
 * the encoders (`exposition/`). Not exported from the package: an internal fast path.
 *
 * @internal
 */
export const SERIES_VIEW: unique symbol = Symbol.for('promkit.seriesView');

/**
 * One scrape's values of a counter, gauge or histogram, column-wise: what the encoders
 * need to write the family without a `Sample` object (nor, for histogram buckets, a label
 * object) per line. Taken at `collect()` time, so it is the same snapshot `samples` holds.
 *
 * Layout of `values`: counter and gauge, one value per series; histogram, `stride` values
 * per series: the cumulative bucket counts (one per `le`), then the count and the sum.
 *
 * Families without a view, or whose `samples` were replaced after it was taken, are
 * written from their samples; {@link seriesViewOf} tells which.
 *
 * @internal
 */
export interface SeriesView {
  readonly kind: 'counter' | 'gauge' | 'histogram';
  /** The family's `samples`: the view stands for them only while they are unchanged. */
  readonly samples: readonly Sample[];
  /** The number of series. */
  readonly size: number;
  /** Each series' labels (frozen, in label-name order). */
  readonly labels: readonly LabelSet[];
  /**
   * Labels every series carries before its own (the registry's `defaultLabels`), written
   * once per family by the encoders; never a name that a series' own labels also have.
   */
  readonly sharedLabels?: LabelSet;
  readonly values: Float64Array;
  /** Values per series (1, or the bucket count + 2 for a histogram). */
  readonly stride: number;
  /** Each series' `_created` (counter, histogram), or `undefined` for a gauge. */
  readonly created: Float64Array | undefined;
  /** Counter: each series' exemplar; histogram: each series' per-bucket exemplars; `undefined` when none has one. */
  readonly exemplars: readonly (Exemplar | readonly (Exemplar | undefined)[] | undefined)[] | undefined;
  /** Histogram: the `le` label values; otherwise empty. */
  readonly le: readonly string[];
  /** Histogram: whether `_count` and `_sum` are written (not with a negative bound). */
  readonly hasSum: boolean;
}

/** The parts of a {@link SeriesView} its instrument fills in. */
export type SeriesViewData = Omit<SeriesView, 'samples'>;

/**
 * Builds an instrument's family for one scrape: the snapshot `view` for the encoders, and
 * `samples` that are built from the same snapshot the first time anything reads them. A
 * scrape that only encodes never pays for one `Sample` object per line, while every other
 * reader (the registry's `name[]` filter or `created: false`, a user's own code, tests)
 * sees an ordinary array with the very samples an eager `collect()` would have built.
 *
 * @internal
 */
export function seriesFamily(
  head: { readonly name: string; readonly type: MetricType; readonly help: string; readonly unit: string },
  data: SeriesViewData,
  build: (samples: Sample[]) => void,
): MetricFamily {
  const samples = lazySamples(build);
  const family: MetricFamily = { name: head.name, type: head.type, help: head.help, unit: head.unit, samples };
  // Not enumerable: spreading or comparing the family sees the plain model; a copy made
  // with other samples (`{ ...family, samples }`) does not carry the view.
  Object.defineProperty(family, SERIES_VIEW, { value: { ...data, samples }, enumerable: false });
  return vouchForFamily(family);
}

/**
 * An array whose elements are produced by `build` on first access. A `Proxy` over the real
 * array, filled in place before any operation is forwarded: `Array.isArray`, indexing,
 * iteration, the array methods and the Proxy invariants all see a normal, filled array.
 */
function lazySamples(build: (samples: Sample[]) => void): Sample[] {
  const target: Sample[] = [];
  let built = false;
  const fill = (): Sample[] => {
    if (!built) {
      built = true;
      build(target);
    }
    return target;
  };
  return new Proxy(target, {
    get: (_t, key) => Reflect.get(fill(), key),
    set: (_t, key, value) => Reflect.set(fill(), key, value),
    has: (_t, key) => Reflect.has(fill(), key),
    ownKeys: () => Reflect.ownKeys(fill()),
    getOwnPropertyDescriptor: (_t, key) => Reflect.getOwnPropertyDescriptor(fill(), key),
    defineProperty: (_t, key, descriptor) => Reflect.defineProperty(fill(), key, descriptor),
    deleteProperty: (_t, key) => Reflect.deleteProperty(fill(), key),
    isExtensible: () => Reflect.isExtensible(fill()),
    preventExtensions: () => Reflect.preventExtensions(fill()),
  });
}

/** The family's series view, when it has one that still stands for its samples. */
export function seriesViewOf(family: MetricFamily): SeriesView | undefined {
  const view = (family as { readonly [SERIES_VIEW]?: SeriesView })[SERIES_VIEW];
  return view !== undefined && view.samples === family.samples ? view : undefined;
}
