/** Series per page at most: a page of 1024 series with 15 buckets is 76 KiB. */
const MAX_PAGE_SERIES = 1024;
/** Series in the first page: an unlabelled histogram needs one, a small labelled one a few. */
const FIRST_PAGE_SERIES = 4;

/**
 * One page of a histogram's series numbers: for the series in slot `i`, its bucket counts
 * at `counts[i * buckets ...]` and its sum and creation time at `numbers[2 * i]` and
 * `numbers[2 * i + 1]`. Bucket counts are 32-bit: a series carries the rare overflow
 * itself (see `HistogramChild`), so a count is never lost. The page also points to what
 * its series share, so that a series needs no field of its own for it.
 *
 * @typeParam S - what the series of the page share.
 * @internal
 */
export class SlotPage<S> {
  constructor(
    readonly shared: S,
    readonly counts: Uint32Array,
    readonly numbers: Float64Array,
    /** Bucket counts per series. */
    readonly buckets: number,
  ) {}
}

/**
 * Where the numbers of a histogram's series live: slots in pages of typed arrays shared by
 * many series, rather than typed arrays (an object, an `ArrayBuffer` and a backing store,
 * ~240 bytes before any count) per series. Pages grow from 4 series to 1024, so a
 * one-series histogram stays small and a 100k-series one wastes at most one partly used page.
 *
 * A slot freed by `remove()` is reused only after its series was detached (given slots of
 * its own), so a bound child kept by a caller never writes into another series.
 *
 * @typeParam S - what the series share (held by each page).
 * @internal Used by `Histogram`.
 */
export class HistogramSlots<S> {
  private page: SlotPage<S>;
  private capacity = FIRST_PAGE_SERIES;
  private used = 0;
  private readonly free: { page: SlotPage<S>; slot: number }[] = [];

  /** The page and slot of the last {@link allocate}. */
  allocatedPage: SlotPage<S>;
  allocatedSlot = 0;

  constructor(
    /** Bucket counts per series. */
    readonly buckets: number,
    private readonly shared: S,
  ) {
    this.page = this.newPage(FIRST_PAGE_SERIES);
    this.allocatedPage = this.page;
  }

  /** Zeroed slots of its own for one series (a detached one), holding a copy of `slot` of `page`. */
  copyOf(page: SlotPage<S>, slot: number): SlotPage<S> {
    const n = this.buckets;
    return new SlotPage(this.shared, page.counts.slice(slot * n, slot * n + n), page.numbers.slice(slot * 2, slot * 2 + 2), n);
  }

  /** Claims zeroed slots for one series; read them from {@link allocatedPage} and {@link allocatedSlot}. */
  allocate(): void {
    const reused = this.free.pop();
    if (reused !== undefined) {
      this.allocatedPage = reused.page;
      this.allocatedSlot = reused.slot;
      return;
    }
    if (this.used === this.capacity) {
      this.capacity = Math.min(MAX_PAGE_SERIES, this.capacity * 2);
      this.page = this.newPage(this.capacity);
      this.used = 0;
    }
    this.allocatedPage = this.page;
    this.allocatedSlot = this.used;
    this.used++;
  }

  /** Returns the slots of a detached series for reuse (zeroed now). */
  release(page: SlotPage<S>, slot: number): void {
    const n = this.buckets;
    page.counts.fill(0, slot * n, slot * n + n);
    page.numbers.fill(0, slot * 2, slot * 2 + 2);
    this.free.push({ page, slot });
  }

  private newPage(series: number): SlotPage<S> {
    return new SlotPage(this.shared, new Uint32Array(series * this.buckets), new Float64Array(series * 2), this.buckets);
  }
}
