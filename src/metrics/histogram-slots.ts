/** Series per page at most: a page of 1024 series with 15 buckets is 136 KiB. */
const MAX_PAGE_SERIES = 1024;
/** Series in the first page: an unlabelled histogram needs one, a small labelled one a few. */
const FIRST_PAGE_SERIES = 4;

/**
 * Where the numbers of a histogram's series live: `stride` float64 slots per series, in
 * pages of typed arrays shared by many series, rather than one `Float64Array` (an object,
 * an `ArrayBuffer` and a backing store, ~240 bytes before any count) per series. Pages
 * grow from 4 series to 1024, so a one-series histogram stays small and a 100k-series one
 * wastes at most one partly used page.
 *
 * A slot freed by `remove()` is reused only after its series was detached (given slots of
 * its own), so a bound child kept by a caller never writes into another series.
 *
 * @internal Used by `Histogram`.
 */
export class HistogramSlots {
  private page: Float64Array;
  private used = 0;
  private readonly free: { page: Float64Array; offset: number }[] = [];

  /** The page and offset of the last {@link allocate}. */
  allocatedPage: Float64Array;
  allocatedOffset = 0;

  constructor(readonly stride: number) {
    this.page = new Float64Array(FIRST_PAGE_SERIES * stride);
    this.allocatedPage = this.page;
  }

  /** Claims zeroed slots for one series; read them from {@link allocatedPage} and {@link allocatedOffset}. */
  allocate(): void {
    const reused = this.free.pop();
    if (reused !== undefined) {
      this.allocatedPage = reused.page;
      this.allocatedOffset = reused.offset;
      return;
    }
    const stride = this.stride;
    if ((this.used + 1) * stride > this.page.length) {
      const series = Math.min(MAX_PAGE_SERIES, (this.page.length / stride) * 2);
      this.page = new Float64Array(series * stride);
      this.used = 0;
    }
    this.allocatedPage = this.page;
    this.allocatedOffset = this.used * stride;
    this.used++;
  }

  /** Returns the slots of a detached series for reuse (zeroed now). */
  release(page: Float64Array, offset: number): void {
    page.fill(0, offset, offset + this.stride);
    this.free.push({ page, offset });
  }
}
