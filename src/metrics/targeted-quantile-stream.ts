/**
 * The allowed error `ε` of a targeted quantile `φ` (client_golang's default objectives
 * follow the same rule: `{0.5: 0.05, 0.9: 0.01, 0.99: 0.001}`): a tenth of the distance to
 * the nearer end, so tail quantiles are tracked more tightly than the median.
 */
export function quantileError(phi: number): number {
  return Math.min(phi, 1 - phi) / 10;
}

/**
 * The guaranteed rank error of the {@link TargetedQuantileStream} estimate of quantile `phi`,
 * as a fraction of the number of observations `n`: the estimate is an observed value whose
 * rank (1-based position in sorted order) is within `phi·n ± (quantileRankErrorBound(phi)·n + 1)`
 * (the `+ 1` is rounding: the target rank is the nearest rank `⌈phi·n⌉`).
 *
 * It is `ε / (1 − ε/(1−φ))` with `ε` = {@link quantileError}: slightly above `ε` (at most
 * `ε/0.9`), because the CKMS invariant is kept per tuple and the tuple straddling the target
 * rank may start up to `ε·n` early. For p50 that is ±5.56% of the ranks, p90 ±1.12%,
 * p99 ±0.112%, p999 ±0.0112%; 0 and 1 are exact (minimum and maximum).
 */
export function quantileRankErrorBound(phi: number): number {
  if (phi <= 0 || phi >= 1) return 0;
  const epsilon = quantileError(phi);
  return epsilon / (1 - epsilon / (1 - phi));
}

/**
 * A streaming estimator of a fixed set of quantiles in bounded memory: the "targeted
 * quantiles" algorithm of Cormode, Korn, Muthukrishnan and Srivastava, *Effective
 * Computation of Biased Quantiles over Data Streams* (ICDE 2005), which client_golang uses
 * through beorn7/perks.
 *
 * The stream keeps sorted tuples `(v, g, Δ)`: `v` an observed value, `g` the rank gap to
 * the previous tuple, `Δ` the rank uncertainty. With `r` the sum of the `g`s before a
 * tuple, the true rank of `v` lies in `[r + g, r + g + Δ]`, and every tuple keeps the
 * invariant `g + Δ <= max(1, f(r, n))`, where
 * `f(r, n) = min_j 2·ε_j·max(r/φ_j, (n − r)/(1 − φ_j))` over the targets `(φ_j, ε_j)`.
 * `f` never shrinks as observations arrive, so the invariant survives insertions;
 * compression merges neighbours only while it holds. Differences from perks, which make
 * the bound provable rather than approximate:
 * - a new value gets `Δ = g + Δ` of its successor minus 1 (exactly the uncertainty of its
 *   rank, the Greenwald–Khanna rule; perks uses `⌊f⌋ − 1` and computes `f` with a stale `n`);
 * - the query returns the last tuple whose maximum rank is at most `t + E`, with `t = ⌈φ·n⌉`
 *   (the nearest rank) and `E` = {@link quantileRankErrorBound}`(φ)·n`; the invariant then
 *   puts the returned value's rank within `φ·n ± (E + 1)` (proof: were the minimum rank of
 *   that tuple below `t − E`, the next tuple, whose maximum rank passes `t + E`, would span
 *   more than `f` allows, unless it is exact, in which case the rank is above `t + E − 1`).
 * The first and last tuples are never merged, so the minimum and maximum are exact.
 *
 * Values are inserted in sorted batches ({@link insertSorted}), one merge-and-compress pass per batch.
 *
 * @internal Used by `Summary` through its sliding window.
 */
export class TargetedQuantileStream {
  private values: Float64Array;
  private gaps: Float64Array;
  private deltas: Float64Array;
  private spareValues: Float64Array;
  private spareGaps: Float64Array;
  private spareDeltas: Float64Array;
  private size = 0;
  private n = 0;
  /** Targets strictly inside (0, 1): 0 and 1 are served exactly and would forbid all merging. */
  private readonly phis: Float64Array;
  /** Per target, `2ε/φ` and `2ε/(1−φ)`: `f` without a division per tuple. */
  private readonly belowSlopes: Float64Array;
  private readonly aboveSlopes: Float64Array;

  /** @param targets - the quantiles to track, each in [0, 1]. */
  constructor(targets: readonly number[]) {
    const inner = targets.filter((phi) => phi > 0 && phi < 1);
    this.phis = Float64Array.from(inner);
    this.belowSlopes = Float64Array.from(inner, (phi) => (2 * quantileError(phi)) / phi);
    this.aboveSlopes = Float64Array.from(inner, (phi) => (2 * quantileError(phi)) / (1 - phi));
    const capacity = 64;
    this.values = new Float64Array(capacity);
    this.gaps = new Float64Array(capacity);
    this.deltas = new Float64Array(capacity);
    this.spareValues = new Float64Array(capacity);
    this.spareGaps = new Float64Array(capacity);
    this.spareDeltas = new Float64Array(capacity);
  }

  /** The number of observations in the stream. */
  get count(): number {
    return this.n;
  }

  /** The number of tuples kept (the memory in use, for tests). */
  get tupleCount(): number {
    return this.size;
  }

  /** Forgets every observation. */
  reset(): void {
    this.size = 0;
    this.n = 0;
  }

  /**
   * Inserts `batch[0..length)`, which must be sorted ascending and free of NaN, and
   * compresses in the same pass: the merged tuples are visited in order, and each is
   * absorbed into its right neighbour while the grown neighbour keeps the invariant.
   */
  insertSorted(batch: Float64Array, length: number): void {
    if (length === 0) return;
    const needed = this.size + length;
    if (needed > this.spareValues.length) this.growSpare(needed);
    const v = this.values;
    const g = this.gaps;
    const d = this.deltas;
    const ov = this.spareValues;
    const og = this.spareGaps;
    const od = this.spareDeltas;
    const size = this.size;
    this.n += length;
    // The pending tuple p is held back until the next one, q, shows whether it absorbs p; the
    // first tuple (the minimum) is never absorbed, and the last has no neighbour to join.
    // The first tuple of the merge is the smaller head; a new minimum has an exact rank.
    let i = 0;
    let j = 0;
    let pv: number;
    let pg: number;
    let pd: number;
    if (size !== 0 && v[0] <= batch[0]) {
      pv = v[0];
      pg = g[0];
      pd = d[0];
      i = 1;
    } else {
      pv = batch[0];
      pg = 1;
      pd = 0;
      j = 1;
    }
    let pIsFirst = true;
    let before = 0; // ranks spanned by the tuples written, i.e. before p
    // f(before) only changes when a tuple is written, not when p is absorbed (most visits on
    // a long batch), so it is recomputed there rather than per visit.
    let allowed = 0;
    let w = 0;
    let end = -1; // end of the run of new values before kept tuple i; -1 until looked for
    let successorSpan = 0;
    for (;;) {
      if (end < 0) {
        // The new values below kept tuple i (a tie takes the kept tuple first) all get the
        // same uncertainty: its span, or 0 past the maximum (an exact rank).
        end = length;
        successorSpan = 0;
        if (i < size) {
          const next = v[i];
          end = j;
          while (end < length && batch[end] < next) end++;
          successorSpan = g[i] + d[i] - 1;
        }
      }
      let qv: number;
      let qg: number;
      let qd: number;
      if (j < end) {
        if (!pIsFirst) {
          // New value k of the run (gap 1) absorbs p while pg + k + 1 + successorSpan <= f;
          // all terms but f are integers, so that is a count, taken in one step.
          const room = Math.floor(allowed) - successorSpan - pg;
          if (room >= 1) {
            const take = Math.min(room, end - j);
            j += take;
            pv = batch[j - 1];
            pg += take;
            pd = successorSpan;
            continue;
          }
        }
        qv = batch[j];
        qg = 1;
        qd = successorSpan;
        j++;
      } else if (i < size) {
        qv = v[i];
        qg = g[i];
        qd = d[i];
        i++;
        end = -1;
        if (!pIsFirst && pg + qg + qd <= allowed) {
          pv = qv; // p is absorbed: the kept tuple now starts where p started
          pg += qg;
          pd = qd;
          continue;
        }
      } else {
        break;
      }
      ov[w] = pv;
      og[w] = pg;
      od[w] = pd;
      w++;
      before += pg;
      pIsFirst = false;
      allowed = this.allowedSpan(before);
      pv = qv;
      pg = qg;
      pd = qd;
    }
    ov[w] = pv;
    og[w] = pg;
    od[w] = pd;
    w++;
    this.spareValues = v;
    this.spareGaps = g;
    this.spareDeltas = d;
    this.values = ov;
    this.gaps = og;
    this.deltas = od;
    this.size = w;
  }

  /**
   * The estimate of quantile `phi` (one of the targets, or 0 or 1): an observed value whose
   * rank is within `phi·n ± (quantileRankErrorBound(phi)·n + 1)`. `NaN` when empty.
   */
  query(phi: number): number {
    const size = this.size;
    if (size === 0) return NaN;
    const v = this.values;
    if (phi <= 0) return v[0];
    if (phi >= 1) return v[size - 1];
    const g = this.gaps;
    const d = this.deltas;
    const threshold = Math.ceil(phi * this.n) + quantileRankErrorBound(phi) * this.n;
    let rank = 0;
    for (let i = 0; i < size; i++) {
      rank += g[i];
      if (rank + d[i] > threshold) return i === 0 ? v[0] : v[i - 1];
    }
    return v[size - 1];
  }

  /** `f(r, n)`: the widest `g + Δ` a tuple whose predecessors span `r` ranks may have. */
  private allowedSpan(r: number): number {
    const n = this.n;
    const phis = this.phis;
    const below = this.belowSlopes;
    const above = this.aboveSlopes;
    let allowed = Infinity;
    for (let k = 0; k < phis.length; k++) {
      const span = phis[k] * n <= r ? below[k] * r : above[k] * (n - r);
      if (span < allowed) allowed = span;
    }
    return allowed;
  }

  private growSpare(needed: number): void {
    let capacity = this.spareValues.length;
    while (capacity < needed) capacity *= 2;
    this.spareValues = new Float64Array(capacity);
    this.spareGaps = new Float64Array(capacity);
    this.spareDeltas = new Float64Array(capacity);
  }
}
