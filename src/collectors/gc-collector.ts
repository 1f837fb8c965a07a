import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { histogramFamily, type MetricDescriptor, type MetricFamily } from '../model/index.js';
import type { Collector } from '../registry/index.js';
import { resolveRuntimeOptions, type ResolvedRuntimeOptions, type RuntimeCollectorOptions } from './runtime-collector-options.js';

/** prom-client's GC duration buckets, in seconds. */
export const DEFAULT_GC_DURATION_BUCKETS: readonly number[] = Object.freeze([0.001, 0.01, 0.1, 1, 2, 5]);

/** Options of {@link GcCollector}. */
export interface GcCollectorOptions extends RuntimeCollectorOptions {
  /** Bucket bounds of `nodejs_gc_duration_seconds`, in seconds (default {@link DEFAULT_GC_DURATION_BUCKETS}). */
  readonly gcDurationBuckets?: readonly number[];
}

/** V8's GC kinds as Node reports them in `entry.detail.kind`, by prom-client's label values. */
const KINDS: readonly (readonly [number, string])[] = [
  [constants.NODE_PERFORMANCE_GC_MAJOR, 'major'],
  [constants.NODE_PERFORMANCE_GC_MINOR, 'minor'],
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL, 'incremental'],
  [constants.NODE_PERFORMANCE_GC_WEAKCB, 'weakcb'],
];

/** One kind's running histogram: counts per bucket (not cumulative), sum, in seconds. */
class KindHistogram {
  readonly counts: Float64Array;
  sum = 0;
  observed = false;

  constructor(
    readonly kind: string,
    buckets: number,
  ) {
    this.counts = new Float64Array(buckets + 1);
  }
}

/**
 * `nodejs_gc_duration_seconds{kind}`: a histogram of garbage collection pauses by kind
 * (`major`, `minor`, `incremental`, `weakcb`), from a `PerformanceObserver` on `gc` entries,
 * as prom-client. A kind appears once it has been observed.
 *
 * The observer runs from construction until {@link close} (or unregistering the collector).
 */
export class GcCollector implements Collector {
  readonly collectorName = 'nodejs_gc';
  private readonly options: ResolvedRuntimeOptions;
  private readonly buckets: readonly number[];
  private readonly byKind = new Map<number, KindHistogram>();
  private readonly observer: PerformanceObserver;
  private closed = false;

  constructor(options?: GcCollectorOptions) {
    this.options = resolveRuntimeOptions('nodejs_gc', options, ['kind', 'le']);
    const buckets = (options?.gcDurationBuckets ?? DEFAULT_GC_DURATION_BUCKETS).filter((b) => b !== Infinity);
    // Validated once here by building the family; a bad list fails at startup, not per scrape.
    histogramFamily({ name: `${this.options.prefix}nodejs_gc_duration_seconds`, help: '', buckets });
    this.buckets = Object.freeze(buckets);
    for (const [code, kind] of KINDS) this.byKind.set(code, new KindHistogram(kind, buckets.length));
    this.observer = new PerformanceObserver((list) => {
      // Every entry: the observer may be handed several GCs at once.
      for (const entry of list.getEntries()) this.observe(entry);
    });
    this.observer.observe({ entryTypes: ['gc'] });
  }

  private observe(entry: PerformanceEntry): void {
    const detail = (entry as PerformanceEntry & { readonly detail?: unknown }).detail as { kind?: number } | null | undefined;
    const histogram = detail?.kind === undefined ? undefined : this.byKind.get(detail.kind);
    if (histogram === undefined) return;
    const seconds = entry.duration / 1000;
    const buckets = this.buckets;
    let i = 0;
    while (i < buckets.length && seconds > buckets[i]) i++;
    histogram.counts[i]++;
    histogram.sum += seconds;
    histogram.observed = true;
  }

  describe(): MetricDescriptor[] {
    return [{ name: `${this.options.prefix}nodejs_gc_duration_seconds`, type: 'histogram' }];
  }

  collect(): MetricFamily[] {
    const family = histogramFamily({
      name: `${this.options.prefix}nodejs_gc_duration_seconds`,
      help: 'Garbage collection duration by kind, one of major, minor, incremental or weakcb.',
      unit: 'seconds',
      labelNames: ['kind'],
      constLabels: this.options.labels,
      buckets: this.buckets,
    });
    for (const histogram of this.byKind.values()) {
      if (histogram.observed) family.add({ kind: histogram.kind }, { bucketCounts: Array.from(histogram.counts), sum: histogram.sum });
    }
    return [family];
  }

  /** Disconnects the GC observer. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.observer.disconnect();
  }
}
