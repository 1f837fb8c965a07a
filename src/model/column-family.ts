import type { MetricFamily, SeriesColumns } from './metric-family.js';
import type { MetricType } from './metric-type.js';
import type { NativeHistogram, NativeHistogramSeries } from './native-histogram.js';
import type { Sample } from './sample.js';
import { vouchForFamily } from './vouched-families.js';

/** The descriptive part of a family. */
export interface FamilyHead {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly unit: string;
}

/**
 * A family in columnar form (see {@link SeriesColumns}): what the counter, gauge and
 * histogram instruments return from `collect()`, and the registry when it applies its
 * options to one.
 *
 * `samples` is an ordinary property for every reader (indexing, spreading, comparing,
 * `JSON.stringify`); its `Sample` objects are built from the same snapshot the first time
 * it is read, so a scrape that only encodes never builds one per line. `columns` is read
 * through the prototype, so a spread copy has `samples` and not `columns`. A histogram with
 * native buckets also has `nativeHistograms`, built from the columns the same lazy way and
 * an ordinary property too, so a spread copy keeps it.
 *
 * @internal Made by promkit's instruments and registry; collectors hand plain families.
 */
export class ColumnFamily implements MetricFamily {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly unit: string;
  declare readonly samples: readonly Sample[];
  declare readonly nativeHistograms?: readonly NativeHistogramSeries[];
  readonly #columns: SeriesColumns;

  constructor(head: FamilyHead, columns: SeriesColumns, build: (samples: Sample[]) => void) {
    this.name = head.name;
    this.type = head.type;
    this.help = head.help;
    this.unit = head.unit;
    this.#columns = columns;
    let samples: Sample[] | undefined;
    Object.defineProperty(this, 'samples', {
      enumerable: true,
      configurable: false,
      get: (): readonly Sample[] => {
        if (samples === undefined) {
          samples = [];
          build(samples);
        }
        return samples;
      },
    });
    const native = columns.native;
    if (native !== undefined) {
      let series: NativeHistogramSeries[] | undefined;
      Object.defineProperty(this, 'nativeHistograms', {
        enumerable: true,
        configurable: false,
        get: (): readonly NativeHistogramSeries[] => (series ??= nativeSeriesOf(columns, native)),
      });
    }
    vouchForFamily(this);
  }

  /** The series column-wise: what the encoders write from. */
  get columns(): SeriesColumns {
    return this.#columns;
  }
}

/** The native parts of a histogram's columns, with each series' full labels (shared ones first). */
function nativeSeriesOf(columns: SeriesColumns, native: readonly NativeHistogram[]): NativeHistogramSeries[] {
  const shared = columns.sharedLabels;
  const series = new Array<NativeHistogramSeries>(columns.size);
  for (let i = 0; i < columns.size; i++) {
    series[i] = { labels: shared === undefined ? columns.labels[i] : { ...shared, ...columns.labels[i] }, histogram: native[i] };
  }
  return series;
}
