/**
 * A column of numbers cut into pages of {@link SERIES_PER_PAGE} series: page `p` holds the
 * numbers of series `p * SERIES_PER_PAGE` up to the next page's first, `stride` numbers
 * each.
 *
 * Why pages, and why plain arrays: a scrape of a million series snapshots tens of
 * megabytes of numbers. As typed arrays that is memory outside V8's heap, which V8 answers
 * by stopping everything for a full garbage collection of the whole heap (hundreds of
 * milliseconds at that size) when it is allocated at once, and with marking steps on
 * every allocation when it comes in pieces. Pages of plain arrays of doubles are ordinary
 * heap objects, collected like the rest, and one page at a time is what a scrape reads
 * between two turns of the event loop.
 */
export type PagedColumn = readonly (readonly number[])[];

/** log2 of {@link SERIES_PER_PAGE}. */
const PAGE_SHIFT = 10;

/** How many series one page of a {@link PagedColumn} holds. */
export const SERIES_PER_PAGE = 1 << PAGE_SHIFT;

/** The page holding series `i` (a writable page of a column being written). */
export function pageOf<P extends readonly number[]>(column: readonly P[], i: number): P {
  return column[i >>> PAGE_SHIFT];
}

/** Where the numbers of series `i` start in its page, with `stride` numbers per series. */
export function offsetInPage(i: number, stride: number): number {
  return (i & (SERIES_PER_PAGE - 1)) * stride;
}

/** The number of series `i` in a column of one number per series. */
export function columnValue(column: PagedColumn, i: number): number {
  return column[i >>> PAGE_SHIFT][i & (SERIES_PER_PAGE - 1)];
}

/** @internal Whether series `i` is the first of its page (a writer allocates the page then). */
export function startsPage(i: number): boolean {
  return (i & (SERIES_PER_PAGE - 1)) === 0;
}

/**
 * @internal A new page for series `i` onwards of a column of `size` series, `stride` numbers
 * each (the last page is cut to fit). Filled with `NaN`: a double from the start, so V8
 * keeps it an array of unboxed doubles, and a number never written would not pass for a count.
 */
export function newPage(i: number, size: number, stride: number): number[] {
  return new Array<number>(Math.min(SERIES_PER_PAGE, size - i) * stride).fill(NaN);
}

/** @internal A column of `size` series, `stride` numbers each, every page allocated (for writers that fill it in one go). */
export function pagedColumn(size: number, stride: number): number[][] {
  const pages: number[][] = [];
  for (let i = 0; i < size; i += SERIES_PER_PAGE) pages.push(newPage(i, size, stride));
  return pages;
}

/** @internal A writer's current page before its first series: replaced at series 0, never written. */
export const NO_PAGE: number[] = [];
