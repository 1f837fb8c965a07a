import { TargetedQuantileStream } from './targeted-quantile-stream.js';

/** Observations buffered before one sorted merge into the streams (perks uses 500 too). */
const BUFFER_SIZE = 500;

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
  }

  /** Adds one observation (not NaN). */
  observe(value: number): void {
    if (this.clock() >= this.headExpiresAt) this.rotate();
    this.buffer[this.buffered++] = value;
    if (this.buffered === BUFFER_SIZE) this.flush();
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
    const batch = this.buffer.subarray(0, length).sort();
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
