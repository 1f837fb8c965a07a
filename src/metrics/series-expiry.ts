/**
 * Idle-series expiry (`seriesTtlSeconds`) without a clock read on the record path: each
 * scrape reads the clock once and hands every series it finds recorded into since the
 * previous scrape the same {@link IdleMark}; a record clears the mark again. A series still
 * marked `seriesTtlSeconds` after the scrape that marked it has been idle at least that
 * long and is dropped from its metric.
 */

/**
 * What every series (an instrument's child class) carries for idle-series expiry; the
 * constraint on `Metric`'s series type. Nothing in it is for use outside promkit.
 */
export interface ExpiringSeries {
  /** @internal See {@link IdleMark}. */
  idle: IdleMark | undefined;
}

/**
 * Puts an expired series back into its metric when it is recorded into again.
 *
 * @internal Implemented by the series store.
 */
export interface SeriesReattacher {
  /** Re-lists `series` (expired under `key`) unless it was removed or the metric reset since. */
  reattach(series: ExpiringSeries, key: string): void;
}

/**
 * The mark a scrape leaves on an idle series. One object is shared by every series a scrape
 * finds idle; an expired series gets its own, naming the store it left and its key there.
 *
 * @internal
 */
export class IdleMark {
  constructor(
    /** The scrape's monotonic time, in seconds. */
    readonly since: number,
    /** The store an expired series left, `undefined` while it is still listed. */
    readonly store: SeriesReattacher | undefined = undefined,
    /** The expired series' key in `store`. */
    readonly key = '',
  ) {}
}

/**
 * Called by a child's record methods when its `idle` mark is set (rarely: at most once per
 * scrape interval): clears the mark, and re-lists the series if it had expired, so that a
 * child held by user code keeps recording into an exposed series.
 *
 * @internal
 */
export function wakeSeries(series: ExpiringSeries): void {
  const mark = series.idle;
  series.idle = undefined;
  if (mark !== undefined && mark.store !== undefined) mark.store.reattach(series, mark.key);
}
