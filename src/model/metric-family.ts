import type { PagedColumn } from './column-pages.js';
import type { MetricType } from './metric-type.js';
import type { NativeHistogram, NativeHistogramSeries } from './native-histogram.js';
import type { Exemplar, LabelSet, Sample } from './sample.js';

/**
 * The series of a counter, gauge or histogram family, column-wise: one scrape's values in
 * pages of numbers ({@link PagedColumn}), each series' labels once. What an instrument hands the pipeline, so that
 * the encoders write its lines without a `Sample` object (nor, for histogram buckets, a
 * label object) per line.
 *
 * Layout of `values`: counter and gauge, one value per series; histogram, `stride` values
 * per series: the cumulative bucket counts (one per `le`), then the count and the sum.
 */
export interface SeriesColumns {
  /** Which layout `values` has. */
  readonly kind: 'counter' | 'gauge' | 'histogram';
  /** The number of series. */
  readonly size: number;
  /** Each series' labels, in label-name order. */
  readonly labels: readonly LabelSet[];
  /**
   * Labels every series carries before its own (the registry's `defaultLabels`), written
   * once per family by the encoders; never a name that a series' own labels also have.
   */
  readonly sharedLabels: LabelSet | undefined;
  /** The values, `stride` per series (series `i` at `offsetInPage(i, stride)` of `pageOf(values, i)`). */
  readonly values: PagedColumn;
  /** Values per series (1, or the bucket count + 2 for a histogram). */
  readonly stride: number;
  /** Each series' `_created` (counter, histogram), or `undefined` when none is written. */
  readonly created: PagedColumn | undefined;
  /** Counter: each series' exemplar; histogram: each series' per-bucket exemplars; `undefined` when none has one. */
  readonly exemplars: readonly (Exemplar | readonly (Exemplar | undefined)[] | undefined)[] | undefined;
  /** Histogram: the `le` label values; otherwise empty. */
  readonly le: readonly string[];
  /** Histogram: whether `_count` and `_sum` are written (not with a negative bound). */
  readonly hasSum: boolean;
  /** Histogram with native buckets: each series' native part; otherwise absent. */
  readonly native?: readonly NativeHistogram[];
}

/**
 * A metric family: the unit of data that every collector hands to the encoders, and the
 * heart of the split between *what a collector yields* and *the instruments a program
 * records into* (client_python's `Metric`).
 *
 * `name` is the OpenMetrics family name: without `_total` for counters and without `_info`
 * for info metrics; the samples carry the full names (`c_total`, `c_created`, `i_info`).
 *
 * A family comes in one of two forms. Every family has `samples`. An instrument's counter,
 * gauge or histogram family also has `columns`, the same series column-wise; the encoders
 * then write from the columns and its `samples` are only built if something reads them.
 * `columns` belongs to the object an instrument made: a copy (`{ ...family, samples }`)
 * does not carry it, so a changed copy is written from its samples. Collectors hand plain
 * families, without `columns`.
 */
export interface MetricFamily {
  /** Family name, e.g. `http_requests` for a counter exposed as `http_requests_total`. */
  readonly name: string;
  /** The OpenMetrics type. */
  readonly type: MetricType;
  /** The HELP text (any well-formed unicode; the encoders escape it). */
  readonly help: string;
  /** The unit (`seconds`, `bytes`), or `''`. When set, `name` ends with `_<unit>`. */
  readonly unit: string;
  /** The samples, in exposition order. */
  readonly samples: readonly Sample[];
  /** The series column-wise, on an instrument's family (see above). */
  readonly columns?: SeriesColumns;
  /**
   * A histogram's native (sparse exponential) buckets, one entry per series that has them,
   * matched to its series by labels. Only the protobuf exposition carries them; the text
   * formats show the series' classic samples, which a native-only series keeps as
   * `_bucket{le="+Inf"}`, `_count` and `_sum`. Its `count` equals that `+Inf` bucket and its
   * `sum` the `_sum` sample (when written).
   */
  readonly nativeHistograms?: readonly NativeHistogramSeries[];
}

/** What a collector promises to expose, so name collisions are caught at registration. */
export interface MetricDescriptor {
  /** Family name (as in {@link MetricFamily.name}). */
  readonly name: string;
  /** The OpenMetrics type. */
  readonly type: MetricType;
}
