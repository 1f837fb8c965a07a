import { InvalidValueError } from '../model/index.js';
import type { Exemplar, LabelSet, MetricFamily, NativeHistogram, Sample } from '../model/index.js';
import { BucketLayout, DEFAULT_BUCKETS, observationProblem } from './buckets.js';
import { listConflict } from './definition-conflict.js';
import { createExemplar } from './exemplar.js';
import { exemplarMillis, exemplarSource, exemplarWindow, NOT_TRACING, sampleExemplar, traceExemplarsOption } from './exemplar-source.js';
import type { ExemplarSource } from './exemplar-source.js';
import { ObservingMetric } from './observing-metric.js';
import { wakeSeries, type IdleMark } from './series-expiry.js';
import { labelsWith } from './series-store.js';
import type { LabelValues, MetricOptions, UnlabelledArgs } from './metric.js';
import { HistogramSlots } from './histogram-slots.js';
import { ColumnFamily } from '../model/column-family.js';
import { monotonicSeconds, secondsSince, timeCall } from './timing.js';
import { NativeBuckets, NativeConfig, type NativeHistogramOptions } from './native-buckets.js';

/**
 * Options of a {@link Histogram}.
 *
 * @typeParam L - the label names.
 */
export interface HistogramOptions<L extends string = never> extends MetricOptions<L> {
  /**
   * Upper bounds, strictly increasing; `+Inf` is added when missing. Default
   * {@link DEFAULT_BUCKETS}, or with `native` and no `buckets`, none but `+Inf`. See also
   * `linearBuckets` and `exponentialBuckets`.
   */
  readonly buckets?: readonly number[];
  /**
   * `false`: no automatic exemplars from the active trace span for this histogram (see
   * `promkit/opentelemetry`). Explicit exemplar labels given to `observe` are kept either
   * way. Default `true`.
   */
  readonly exemplars?: boolean;
  /**
   * Also keeps native (sparse exponential) buckets, which only the protobuf exposition
   * carries (`true` for the defaults). Without `buckets`, the histogram is native only:
   * the text formats then show its `_count`, `_sum` and a lone `+Inf` bucket, as
   * client_golang does; with `buckets`, both, so a Prometheus with native histograms on
   * stores the native ones and one without keeps the classic.
   */
  readonly native?: NativeHistogramOptions | boolean;
}

/**
 * What the series of one histogram share: its name (for errors), bucket layout, and the
 * pages their numbers live in.
 *
 * @internal
 */
export interface HistogramShared {
  readonly metric: string;
  readonly layout: BucketLayout;
  readonly slots: HistogramSlots;
  /** Whether observations take automatic exemplars from the active trace span. */
  readonly traceExemplars: boolean;
  /** The native options, when the histogram has native buckets. */
  readonly native: NativeConfig | undefined;
  /** A negative bound, or native buckets that take negative observations. */
  readonly acceptsNegative: boolean;
}

/**
 * One histogram series (bound to label values by `histogram.labels(...)`).
 *
 * Its numbers live in a page shared with other series of the histogram: at `offset`, one
 * (non-cumulative) count per bucket, then the sum, then the creation time. The count is
 * the sum of the bucket counts, so it is not stored.
 */
export class HistogramChild {
  private page: Float64Array;
  private offset: number;
  private exemplars: (Exemplar | undefined)[] | undefined = undefined;
  /** @internal Idle-series expiry state (see `seriesTtlSeconds`). */
  idle: IdleMark | undefined = undefined;
  /** The rate limit's window in which this series last got an exemplar. */
  private lastWindow = -1;
  private readonly native: NativeBuckets | undefined;

  /** @internal Created by `Histogram`. */
  constructor(
    private readonly shared: HistogramShared,
    private readonly labels: LabelSet,
  ) {
    this.native = shared.native === undefined ? undefined : new NativeBuckets(shared.native);
    const slots = shared.slots;
    slots.allocate();
    this.page = slots.allocatedPage;
    this.offset = slots.allocatedOffset;
    this.page[this.offset + shared.layout.bounds.length + 1] = Date.now() / 1000;
  }

  /**
   * Records `value` (not NaN) in its bucket, the count and the sum. With `exemplarLabels`
   * (e.g. `{ trace_id }`), the observation becomes the exemplar of its bucket.
   *
   * A negative value needs a negative bucket bound (or native buckets with
   * `negativeObservations`): OpenMetrics treats the sum of a histogram without one as a
   * counter, which cannot go down, so it is refused (`InvalidValueError`) rather than
   * exposed as a sum the scraper would reject. Native buckets take finite values only.
   */
  observe(value: number, exemplarLabels?: LabelSet): void {
    if (this.idle !== undefined) wakeSeries(this);
    const shared = this.shared;
    const layout = shared.layout;
    const native = this.native;
    if (typeof value !== 'number' || value !== value || (value < 0 && !shared.acceptsNegative) || (native !== undefined && (value === Infinity || value === -Infinity))) {
      throw new InvalidValueError(shared.metric, observationProblem(value, native !== undefined));
    }
    const bucket = layout.indexOf(value);
    // The exemplar is built first so that a rejected one leaves the histogram untouched.
    if (exemplarLabels !== undefined) this.keepExemplar(bucket, createExemplar(this.shared.metric, exemplarLabels, value));
    else if (exemplarSource !== undefined && this.lastWindow !== exemplarWindow && this.shared.traceExemplars) this.sampleTraceExemplar(exemplarSource, value, bucket);
    const page = this.page;
    const offset = this.offset;
    page[offset + bucket] += 1;
    page[offset + layout.bounds.length] += value;
    if (native !== undefined) native.observe(value);
  }

  /** Takes the active sampled span as exemplar of `bucket` (this series got none in the current window), unless the bucket's own is still retained. */
  private sampleTraceExemplar(source: ExemplarSource, value: number, bucket: number): void {
    const previous = this.exemplars === undefined ? undefined : this.exemplars[bucket];
    const exemplar = sampleExemplar(source, value, exemplarMillis(previous));
    if (exemplar === NOT_TRACING) this.lastWindow = exemplarWindow;
    else if (exemplar !== undefined) this.keepExemplar(bucket, exemplar);
  }

  private keepExemplar(bucket: number, exemplar: Exemplar): void {
    (this.exemplars ??= new Array<Exemplar | undefined>(this.shared.layout.bounds.length).fill(undefined))[bucket] = exemplar;
    this.lastWindow = exemplarWindow;
  }

  /** Starts a timer; the returned function observes the elapsed seconds and returns them. */
  startTimer(): () => number {
    const start = monotonicSeconds();
    return () => {
      const seconds = secondsSince(start);
      this.observe(seconds);
      return seconds;
    };
  }

  /**
   * Runs `fn` and observes its duration in seconds. A returned promise is passed through
   * and observed when it settles; a synchronous function stays synchronous.
   */
  time<T>(fn: () => T): T {
    return timeCall(fn, (seconds) => this.observe(seconds));
  }

  /** The number of observations. */
  getCount(): number {
    const page = this.page;
    const offset = this.offset;
    const buckets = this.shared.layout.bounds.length;
    let count = 0;
    for (let i = 0; i < buckets; i++) count += page[offset + i];
    return count;
  }

  /** The sum of the observations. */
  getSum(): number {
    return this.page[this.offset + this.shared.layout.bounds.length];
  }

  /**
   * @internal Copies this series' state into a scrape's snapshot: at `offset`, the
   * cumulative bucket counts, then the count and the sum. Returns the bucket exemplars (a
   * copy, since later observations replace them in place), or `undefined`.
   */
  snapshotInto(values: Float64Array, offset: number): (Exemplar | undefined)[] | undefined {
    const page = this.page;
    const from = this.offset;
    const n = this.shared.layout.bounds.length;
    let cumulative = 0;
    for (let i = 0; i < n; i++) {
      cumulative += page[from + i];
      values[offset + i] = cumulative;
    }
    values[offset + n] = cumulative;
    values[offset + n + 1] = page[from + n];
    return this.exemplars === undefined ? undefined : this.exemplars.slice();
  }

  /** @internal This series' native part, from the values {@link snapshotInto} wrote at `offset`; `undefined` without native buckets. */
  nativeSnapshot(values: Float64Array, offset: number, exemplars: readonly (Exemplar | undefined)[] | undefined): NativeHistogram | undefined {
    const native = this.native;
    if (native === undefined) return undefined;
    const n = this.shared.layout.bounds.length;
    return native.snapshot(values[offset + n], values[offset + n + 1], exemplars?.filter((e): e is Exemplar => e !== undefined));
  }

  /** @internal This series' labels, for the snapshot. */
  get labelSet(): LabelSet {
    return this.labels;
  }

  /** @internal When the series was created (unix seconds). */
  get createdSeconds(): number {
    return this.page[this.offset + this.shared.layout.bounds.length + 1];
  }

  /**
   * @internal Moves this series' numbers into slots of its own, for a series removed from
   * its histogram: a caller may still hold it, and its old slots are about to be reused.
   * Returns the old page and offset.
   */
  detach(): { page: Float64Array; offset: number } {
    const old = { page: this.page, offset: this.offset };
    const stride = this.shared.slots.stride;
    this.page = old.page.slice(old.offset, old.offset + stride);
    this.offset = 0;
    return old;
  }
}

/**
 * Appends one series' samples from a snapshot: cumulative `_bucket`s (a label object each,
 * the series' labels plus `le`), `_count` and `_sum` (not with a negative bound), `_created`.
 */
function snapshotSamples(
  samples: Sample[],
  names: HistogramSampleNames,
  keys: readonly string[],
  layout: BucketLayout,
  hasSum: boolean,
  labels: LabelSet,
  values: Float64Array,
  offset: number,
  created: number,
  exemplars: readonly (Exemplar | undefined)[] | undefined,
): void {
  const le = layout.le;
  const n = le.length;
  for (let i = 0; i < n; i++) {
    const bucketLabels = labelsWith(labels, keys, 'le', le[i]);
    const exemplar = exemplars === undefined ? undefined : exemplars[i];
    samples.push(
      exemplar === undefined
        ? { name: names.bucket, labels: bucketLabels, value: values[offset + i] }
        : { name: names.bucket, labels: bucketLabels, value: values[offset + i], exemplar },
    );
  }
  // OpenMetrics: `_count` and `_sum` come together or not at all, and a negative bound rules out `_sum`.
  if (hasSum) {
    samples.push({ name: names.count, labels, value: values[offset + n] }, { name: names.sum, labels, value: values[offset + n + 1] });
  }
  samples.push({ name: names.created, labels, value: created });
}

/** The classic buckets of a native-only histogram: `+Inf` alone, which the text formats show. */
const NATIVE_ONLY_BUCKETS: readonly number[] = Object.freeze([Infinity]);

/** @internal The sample names of one histogram, computed once. */
export interface HistogramSampleNames {
  readonly bucket: string;
  readonly count: string;
  readonly sum: string;
  readonly created: string;
}

/**
 * A histogram: counts observations (request latencies, response sizes) in cumulative
 * buckets, with their count and sum. Exposed as `<name>_bucket{le="..."}`, `<name>_count`,
 * `<name>_sum` (left out when a bucket bound is negative, as OpenMetrics requires) and
 * `<name>_created`.
 *
 * @typeParam L - the label names (inferred from `labelNames`).
 * @example
 * ```ts
 * const latency = new Histogram({ name: 'http_request_duration_seconds', help: 'Latency.', labelNames: ['route'] });
 * latency.observe({ route: '/' }, 0.042);
 * const users = latency.labels({ route: '/users' }); // bind once, record fast
 * await users.time(() => fetchUsers());                // observes when the promise settles
 * ```
 */
export class Histogram<L extends string = never> extends ObservingMetric<L, HistogramChild> {
  /** The bucket upper bounds, ending with `+Inf` (only `+Inf` for a native-only histogram). */
  readonly buckets: readonly number[];
  /** The native options (defaults filled in), or `undefined` for a classic-only histogram. */
  readonly native: Required<NativeHistogramOptions> | undefined;
  private readonly layout: BucketLayout;
  private readonly nativeConfig: NativeConfig | undefined;
  private readonly sampleNames: HistogramSampleNames;
  private shared: HistogramShared;
  private readonly traceExemplars: boolean;

  /**
   * Validates the definition (`InvalidBucketsError` for bad buckets) and registers (see
   * {@link MetricOptions.registry}); returns the already registered histogram when one with
   * the same definition exists (get-or-create).
   */
  constructor(options: HistogramOptions<L>) {
    super(options, 'histogram');
    const native = options.native === undefined || options.native === false ? undefined : new NativeConfig(this.name, options.native === true ? {} : options.native);
    this.nativeConfig = native;
    this.native =
      native === undefined
        ? undefined
        : Object.freeze({ bucketFactor: native.bucketFactor, zeroThreshold: native.zeroThreshold, maxBuckets: native.maxBuckets, negativeObservations: native.negativeObservations });
    this.layout = new BucketLayout(this.name, options.buckets ?? (native === undefined ? DEFAULT_BUCKETS : NATIVE_ONLY_BUCKETS), native !== undefined);
    this.buckets = Object.freeze(Array.from(this.layout.bounds));
    this.traceExemplars = traceExemplarsOption(this.name, options.exemplars);
    this.shared = this.newShared();
    this.sampleNames = {
      bucket: `${this.name}_bucket`,
      count: `${this.name}_count`,
      sum: `${this.name}_sum`,
      created: `${this.name}_created`,
    };
    const active = this.joinRegistry(options.registry);
    if (active !== this) return active;
  }

  /** Records `value` in the unlabelled series, optionally as its bucket's exemplar. */
  observe(...args: UnlabelledArgs<L, [value: number, exemplarLabels?: LabelSet]>): void;
  /** Records `value` in the series of `labels`, optionally as its bucket's exemplar. */
  observe(labels: LabelValues<L>, value: number, exemplarLabels?: LabelSet): void;
  observe(first: number | LabelValues<L>, second?: number | LabelSet, third?: LabelSet): void {
    if (typeof first === 'object' && first !== null) {
      this.childFor(first).observe(second as number, third);
      return;
    }
    const child = this.unlabelledChild;
    (child === undefined ? this.defaultChild() : child).observe(first, second as LabelSet | undefined);
  }

  /**
   * One `histogram` family: per series, cumulative buckets, `_count`, `_sum` and `_created`.
   * The values are copied into one typed array now (the snapshot); the `Sample` objects
   * are only built if something reads `samples` (the encoders write from the snapshot).
   */
  collect(): MetricFamily[] {
    const children = this.series.children;
    const size = children.length;
    const layout = this.layout;
    const stride = layout.le.length + 2;
    const values = new Float64Array(size * stride);
    const created = new Float64Array(size);
    const labels = new Array<LabelSet>(size);
    let exemplars: ((Exemplar | undefined)[] | undefined)[] | undefined;
    const native = this.nativeConfig === undefined ? undefined : new Array<NativeHistogram>(size);
    for (let i = 0; i < size; i++) {
      const child = children[i];
      const bucketExemplars = child.snapshotInto(values, i * stride);
      if (bucketExemplars !== undefined) (exemplars ??= new Array<(Exemplar | undefined)[] | undefined>(size).fill(undefined))[i] = bucketExemplars;
      if (native !== undefined) native[i] = child.nativeSnapshot(values, i * stride, bucketExemplars) as NativeHistogram;
      labels[i] = child.labelSet;
      created[i] = child.createdSeconds;
    }
    const names = this.sampleNames;
    const keys = this.labelNames;
    const hasSum = !this.shared.acceptsNegative;
    const columns = { kind: 'histogram', size, labels, sharedLabels: undefined, values, stride, created, exemplars, le: layout.le, hasSum } as const;
    const family = new ColumnFamily(
      this,
      native === undefined ? columns : { ...columns, native },
      (samples) => {
        for (let i = 0; i < size; i++) {
          snapshotSamples(samples, names, keys, layout, hasSum, labels[i], values, i * stride, created[i], exemplars === undefined ? undefined : exemplars[i]);
        }
      },
    );
    return [family];
  }

  protected override configConflict(other: Histogram<string>): string | undefined {
    const native = (this.nativeConfig?.describe() ?? 'none');
    const otherNative = (other.nativeConfig?.describe() ?? 'none');
    if (native !== otherNative) return `native buckets differ: ${native} here, ${otherNative} there`;
    return listConflict('buckets', this.buckets, other.buckets);
  }

  /** A removed series moves to numbers of its own (a caller may still hold it); its old slots are reused. */
  protected override releaseSeries(child: HistogramChild): void {
    const { page, offset } = child.detach();
    this.shared.slots.release(page, offset);
  }

  /** Removes every series (see `Metric.clear`); series still held by callers keep their old pages. */
  override clear(): void {
    this.shared = this.newShared();
    super.clear();
  }

  protected createChild(_labelValues: readonly string[], labels: LabelSet): HistogramChild {
    return new HistogramChild(this.shared, labels);
  }

  private newShared(): HistogramShared {
    // Per series: a count per bucket, the sum, the creation time.
    const native = this.nativeConfig;
    const acceptsNegative = this.layout.hasNegativeBound || (native !== undefined && native.negativeObservations);
    return { metric: this.name, layout: this.layout, slots: new HistogramSlots(this.layout.bounds.length + 2), traceExemplars: this.traceExemplars, native, acceptsNegative };
  }
}
