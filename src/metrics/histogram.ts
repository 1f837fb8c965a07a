import { columnValue, InvalidValueError, newPage, NO_PAGE, offsetInPage, pageOf, startsPage } from '../model/index.js';
import type { Exemplar, LabelSet, MetricFamily, NativeHistogram, Sample } from '../model/index.js';
import { BucketLayout, DEFAULT_BUCKETS, observationProblem } from './buckets.js';
import { listConflict } from './definition-conflict.js';
import { endsStep, type CollectSteps } from './collect-steps.js';
import { runSteps } from '../model/steps.js';
import { createExemplar } from './exemplar.js';
import { exemplarMillis, exemplarProbe, exemplarSource, exemplarWindowEnd, NO_SAMPLED_SPAN, sampleExemplar, traceExemplarsOption, tracingActive } from './exemplar-source.js';
import { ObservingMetric } from './observing-metric.js';
import { wakeSeries, type IdleMark } from './series-expiry.js';
import { labelsWith } from './series-store.js';
import type { LabelValues, MetricOptions, UnlabelledArgs } from './metric.js';
import { HistogramSlots, type SlotPage } from './histogram-slots.js';
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
  readonly slots: HistogramSlots<HistogramShared>;
  /** Whether observations take automatic exemplars from the active trace span. */
  readonly traceExemplars: boolean;
  /** The native options, when the histogram has native buckets. */
  readonly native: NativeConfig | undefined;
  /** A negative bound, or native buckets that take negative observations. */
  readonly acceptsNegative: boolean;
  /**
   * The range an observation must fall in: from 0 (or below, when {@link acceptsNegative}),
   * and finite with native buckets. One comparison pair in `observe` then also refuses NaN.
   */
  readonly lowest: number;
  readonly highest: number;
}

/** The error for an observation of `value` outside `shared`'s range, built apart so that `observe` keeps only its hot path. */
function refusedObservation(shared: HistogramShared, value: unknown): InvalidValueError {
  return new InvalidValueError(shared.metric, observationProblem(value, shared.native !== undefined));
}

/** A bucket count's carry unit: the 32-bit counts of a page overflow into the series' carries. */
const CARRY = 2 ** 32;
/** The largest count a 32-bit slot holds. */
const MAX_COUNT = CARRY - 1;

/** The state of a histogram series that most series never need, allocated on first use (at creation with native buckets). */
class HistogramExtras {
  /** The exemplar of each bucket. */
  exemplars: (Exemplar | undefined)[] | undefined = undefined;
  /**
   * The last probe of the rate limit through which the series does not ask for the active
   * trace (see `CounterChild`); kept here, so a series recorded outside spans of a traced
   * program allocates this object on its first miss.
   */
  closedThrough = -1;
  /** Per bucket, how many times its 32-bit count wrapped: the count is `count + carries * 2^32`. */
  carries: Float64Array | undefined = undefined;

  constructor(readonly native: NativeBuckets | undefined) {}
}

/**
 * One histogram series (bound to label values by `histogram.labels(...)`).
 *
 * Its numbers live in a page shared with other series of the histogram, in one slot:
 * one non-cumulative 32-bit count per bucket, the sum and the creation time. The count is the sum of the bucket counts, so it is not stored.
 */
export class HistogramChild {
  private page: SlotPage<HistogramShared>;
  private slot: number;
  /** @internal Idle-series expiry state (see `seriesTtlSeconds`). */
  idle: IdleMark | undefined = undefined;
  private extras: HistogramExtras | undefined;

  /** @internal Created by `Histogram`. */
  constructor(
    shared: HistogramShared,
    private readonly labels: LabelSet,
  ) {
    const slots = shared.slots;
    slots.allocate();
    this.page = slots.allocatedPage;
    this.slot = slots.allocatedSlot;
    this.extras = shared.native === undefined ? undefined : new HistogramExtras(new NativeBuckets(shared.native));
    this.page.numbers[this.slot * 2 + 1] = Date.now() / 1000;
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
    const page = this.page;
    const shared = page.shared;
    const layout = shared.layout;
    const isNative = shared.native !== undefined;
    // Kept short: a smaller `observe` leaves V8 the inlining budget for the native bucket index.
    if (typeof value !== 'number' || !(value >= shared.lowest && value <= shared.highest)) throw refusedObservation(shared, value);
    const bucket = layout.indexOf(value);
    // The exemplar is built first so that a rejected one leaves the histogram untouched.
    if (exemplarLabels !== undefined) this.keepExemplar(bucket, createExemplar(shared.metric, exemplarLabels, value));
    else if (tracingActive && shared.traceExemplars) this.sampleTraceExemplar(value, bucket);
    const slot = this.slot;
    const counts = page.counts;
    const at = slot * page.buckets + bucket;
    const count = counts[at];
    if (count === MAX_COUNT) this.carry(at, bucket);
    else counts[at] = count + 1;
    page.numbers[slot * 2] += value;
    if (isNative) (this.extras as HistogramExtras).native!.observe(value);
  }

  /** A bucket count that reached 2^32: kept exact as one more carry and a count from 0. */
  private carry(at: number, bucket: number): void {
    const extras = (this.extras ??= new HistogramExtras(undefined));
    (extras.carries ??= new Float64Array(this.page.shared.slots.buckets))[bucket] += 1;
    this.page.counts[at] = 0;
  }

  /**
   * Takes the active sampled span as exemplar of `bucket` (once per series and window, asking
   * at most once per probe), unless the bucket's own is still retained.
   */
  private sampleTraceExemplar(value: number, bucket: number): void {
    const extras = this.extras;
    const source = exemplarSource;
    if (source === undefined || (extras !== undefined && extras.closedThrough >= exemplarProbe)) return;
    const previous = extras === undefined || extras.exemplars === undefined ? undefined : extras.exemplars[bucket];
    const exemplar = sampleExemplar(source, value, exemplarMillis(previous));
    if (exemplar === NO_SAMPLED_SPAN) (this.extras ??= new HistogramExtras(undefined)).closedThrough = exemplarProbe;
    else if (exemplar !== undefined) this.keepExemplar(bucket, exemplar);
  }

  private keepExemplar(bucket: number, exemplar: Exemplar): void {
    const extras = (this.extras ??= new HistogramExtras(undefined));
    (extras.exemplars ??= new Array<Exemplar | undefined>(this.page.shared.slots.buckets).fill(undefined))[bucket] = exemplar;
    extras.closedThrough = exemplarWindowEnd;
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
    const n = page.shared.slots.buckets;
    const from = this.slot * n;
    const carries = this.extras === undefined ? undefined : this.extras.carries;
    let count = 0;
    for (let i = 0; i < n; i++) count += page.counts[from + i] + (carries === undefined ? 0 : carries[i] * CARRY);
    return count;
  }

  /** The sum of the observations. */
  getSum(): number {
    return this.page.numbers[this.slot * 2];
  }

  /**
   * @internal Copies this series' state into a scrape's snapshot: at `offset`, the
   * cumulative bucket counts, then the count and the sum. Returns the bucket exemplars (a
   * copy, since later observations replace them in place), or `undefined`.
   */
  snapshotInto(values: number[], offset: number): (Exemplar | undefined)[] | undefined {
    const page = this.page;
    const counts = page.counts;
    const n = page.shared.slots.buckets;
    const from = this.slot * n;
    const extras = this.extras;
    const carries = extras === undefined ? undefined : extras.carries;
    let cumulative = 0;
    if (carries === undefined) {
      for (let i = 0; i < n; i++) {
        cumulative += counts[from + i];
        values[offset + i] = cumulative;
      }
    } else {
      for (let i = 0; i < n; i++) {
        cumulative += counts[from + i] + carries[i] * CARRY;
        values[offset + i] = cumulative;
      }
    }
    values[offset + n] = cumulative;
    values[offset + n + 1] = page.numbers[this.slot * 2];
    return extras === undefined || extras.exemplars === undefined ? undefined : extras.exemplars.slice();
  }

  /** @internal This series' native part, from the values {@link snapshotInto} wrote at `offset`; `undefined` without native buckets. */
  nativeSnapshot(values: readonly number[], offset: number, exemplars: readonly (Exemplar | undefined)[] | undefined): NativeHistogram | undefined {
    const native = this.extras === undefined ? undefined : this.extras.native;
    if (native === undefined) return undefined;
    const n = this.page.shared.slots.buckets;
    return native.snapshot(values[offset + n], values[offset + n + 1], exemplars?.filter((e): e is Exemplar => e !== undefined));
  }

  /** @internal This series' labels, for the snapshot. */
  get labelSet(): LabelSet {
    return this.labels;
  }

  /** @internal When the series was created (unix seconds). */
  get createdSeconds(): number {
    return this.page.numbers[this.slot * 2 + 1];
  }

  /**
   * @internal Moves this series' numbers into slots of its own, for a series removed from
   * its histogram: a caller may still hold it, and its old slots are about to be reused.
   * Returns the old page and slot.
   */
  detach(): { page: SlotPage<HistogramShared>; slot: number } {
    const old = { page: this.page, slot: this.slot };
    this.page = old.page.shared.slots.copyOf(old.page, old.slot);
    this.slot = 0;
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
  values: readonly number[],
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
    return runSteps(this.startSteps());
  }

  /** {@link collect} in steps: each series' buckets, count and sum are read in one step. */
  protected *stepsOver(children: readonly HistogramChild[], size: number): CollectSteps {
    const layout = this.layout;
    const stride = layout.le.length + 2;
    const values: number[][] = [];
    const created: number[][] = [];
    let valuePage = NO_PAGE;
    let createdPage = NO_PAGE;
    const labels = new Array<LabelSet>(size);
    let exemplars: ((Exemplar | undefined)[] | undefined)[] | undefined;
    const native = this.nativeConfig === undefined ? undefined : new Array<NativeHistogram>(size);
    for (let i = 0; i < size; i++) {
      if (startsPage(i)) {
        values.push((valuePage = newPage(i, size, stride)));
        created.push((createdPage = newPage(i, size, 1)));
      }
      const child = children[i];
      const offset = offsetInPage(i, stride);
      const bucketExemplars = child.snapshotInto(valuePage, offset);
      if (bucketExemplars !== undefined) (exemplars ??= new Array<(Exemplar | undefined)[] | undefined>(size).fill(undefined))[i] = bucketExemplars;
      if (native !== undefined) native[i] = child.nativeSnapshot(valuePage, offset, bucketExemplars) as NativeHistogram;
      labels[i] = child.labelSet;
      createdPage[offsetInPage(i, 1)] = child.createdSeconds;
      if (endsStep(i)) yield;
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
          snapshotSamples(samples, names, keys, layout, hasSum, labels[i], pageOf(values, i), offsetInPage(i, stride), columnValue(created, i), exemplars === undefined ? undefined : exemplars[i]);
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
    const { page, slot } = child.detach();
    page.shared.slots.release(page, slot);
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
    const native = this.nativeConfig;
    const acceptsNegative = this.layout.hasNegativeBound || (native !== undefined && native.negativeObservations);
    const highest = native === undefined ? Infinity : Number.MAX_VALUE;
    const lowest = acceptsNegative ? -highest : 0;
    const shared: Omit<HistogramShared, 'slots'> & { slots?: HistogramSlots<HistogramShared> } = { metric: this.name, layout: this.layout, traceExemplars: this.traceExemplars, native, acceptsNegative, lowest, highest };
    shared.slots = new HistogramSlots(this.layout.bounds.length, shared as HistogramShared);
    return shared as HistogramShared;
  }
}
