import { TargetedQuantileStream } from './targeted-quantile-stream.js';

/** Observations buffered before one sorted merge into the streams (perks uses 500 too). */
const BUFFER_SIZE = 500;

/** Below this length a range is finished by insertion sort. */
const INSERTION_SORT_LENGTH = 16;

/**
 * Where the next window starts its flush cycle, as a fraction of {@link BUFFER_SIZE}: stepped by
 * the golden ratio so the cycles of series fed in lockstep (one request updating several
 * series, a loop over label sets) are spread out and do not all pay their merge on the same
 * observation.
 */
let nextPhase = 0;
const PHASE_STEP = 0.6180339887498949;

/**
 * Quantiles over a sliding time window, as client_golang's summary computes them: the
 * window of `maxAgeSeconds` is covered by `ageBuckets` streams that all receive every
 * observation; every `maxAgeSeconds / ageBuckets` the oldest one is reset and the next
 * oldest becomes the one queried. The queried stream therefore holds the observations of
 * the last `maxAgeSeconds` at most and `maxAgeSeconds · (1 − 1/ageBuckets)` at least.
 *
 * Observations are buffered and merged into the streams in sorted batches, always before
 * a rotation, so each lands in the time slice it was observed in.
 *
 * @internal Used by `Summary`.
 */
export class QuantileWindow {
  private readonly streams: TargetedQuantileStream[];
  private readonly buffer = new Float64Array(BUFFER_SIZE);
  private buffered = 0;
  /** Observations until the next flush: a fixed cycle, so a flush by a query does not re-align series. */
  private untilFlush: number;
  private head = 0;
  private headExpiresAt: number;
  private readonly sliceSeconds: number;

  /**
   * @param percentiles - the quantiles to report, each in [0, 1].
   * @param clock - monotonic seconds.
   */
  constructor(
    private readonly percentiles: readonly number[],
    maxAgeSeconds: number,
    private readonly ageBuckets: number,
    private readonly clock: () => number,
  ) {
    this.streams = Array.from({ length: ageBuckets }, () => new TargetedQuantileStream(percentiles));
    this.sliceSeconds = maxAgeSeconds / ageBuckets;
    this.headExpiresAt = clock() + this.sliceSeconds;
    nextPhase = (nextPhase + PHASE_STEP) % 1;
    this.untilFlush = 1 + Math.floor(nextPhase * BUFFER_SIZE);
  }

  /** Adds one observation (not NaN). */
  observe(value: number): void {
    if (this.clock() >= this.headExpiresAt) this.rotate();
    this.buffer[this.buffered++] = value;
    if (--this.untilFlush === 0) {
      this.untilFlush = BUFFER_SIZE;
      this.flush();
    }
  }

  /** The current estimate of each percentile, in the constructor's order (`NaN` for an empty window). */
  query(): number[] {
    if (this.clock() >= this.headExpiresAt) this.rotate();
    else this.flush();
    const stream = this.streams[this.head];
    return this.percentiles.map((phi) => stream.query(phi));
  }

  private flush(): void {
    const length = this.buffered;
    if (length === 0) return;
    this.buffered = 0;
    const batch = this.buffer;
    sortRange(batch, 0, length, MAX_PARTITION_DEPTH);
    for (const stream of this.streams) stream.insertSorted(batch, length);
  }

  /** Resets the streams whose time is up; called when the head's slice has expired. */
  private rotate(): void {
    this.flush();
    const now = this.clock();
    const due = Math.floor((now - this.headExpiresAt) / this.sliceSeconds) + 1;
    const resets = Math.min(due, this.ageBuckets);
    for (let i = 0; i < resets; i++) {
      this.streams[this.head].reset();
      this.head = (this.head + 1) % this.ageBuckets;
    }
    this.headExpiresAt += due * this.sliceSeconds;
  }
}

/** Partition levels before a range falls back to the built-in sort (bounds the quadratic worst case). */
const MAX_PARTITION_DEPTH = 2 * Math.ceil(Math.log2(BUFFER_SIZE));

/**
 * Sorts `a[lo..hi)` ascending (no NaN: observations are checked). A quicksort rather than
 * `TypedArray.prototype.sort`, whose per-call cost dominates on a batch this small; when the
 * median-of-three sample shows repeated values it partitions three ways, so the runs of equal
 * values that measurements often have (coarse timers, fixed sizes) are placed in one pass.
 */
function sortRange(a: Float64Array, lo: number, hi: number, depth: number): void {
  while (hi - lo > INSERTION_SORT_LENGTH) {
    if (depth-- === 0) {
      a.subarray(lo, hi).sort();
      return;
    }
    const x = a[lo];
    const y = a[(lo + hi) >> 1];
    const z = a[hi - 1];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    if (x === y || y === z || x === z) {
      // Three ways: [lo, less) below the pivot, [less, i) equal, [greater, hi) above.
      let less = lo;
      let greater = hi;
      let i = lo;
      while (i < greater) {
        const e = a[i];
        if (e < pivot) {
          a[i++] = a[less];
          a[less++] = e;
        } else if (e > pivot) {
          a[i] = a[--greater];
          a[greater] = e;
        } else {
          i++;
        }
      }
      // Recurse into the smaller side, loop on the larger: the stack stays logarithmic.
      if (less - lo < hi - greater) {
        sortRange(a, lo, less, depth);
        lo = greater;
      } else {
        sortRange(a, greater, hi, depth);
        hi = less;
      }
      continue;
    }
    let i = lo;
    let j = hi - 1;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const e = a[i];
        a[i++] = a[j];
        a[j--] = e;
      }
    }
    if (j + 1 - lo < hi - i) {
      sortRange(a, lo, j + 1, depth);
      lo = i;
    } else {
      sortRange(a, i, hi, depth);
      hi = j + 1;
    }
  }
  for (let i = lo + 1; i < hi; i++) {
    const e = a[i];
    let j = i - 1;
    while (j >= lo && a[j] > e) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = e;
  }
}
