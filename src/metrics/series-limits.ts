import { InvalidOptionsError } from '../model/index.js';

/**
 * The bounds of a labelled metric's series: how many it may hold and how long an idle one
 * is kept. Given per metric (`MetricOptions`), or as a registry-wide default
 * (`RegistryOptions`) for the labelled metrics that give none.
 */
export interface SeriesLimits {
  /**
   * The most series (label sets) the metric holds, an integer >= 1. Past it, each new label
   * set is folded into one overflow series whose every label value is
   * {@link OVERFLOW_LABEL_VALUE}, so that `sum()` over the metric stays exact; series that
   * exist keep recording. Each folded record is counted in
   * `promkit_series_overflow_total{metric}` and the first one warned about
   * (`PROMKIT_SERIES_OVERFLOW`). Default: no limit.
   */
  readonly maxSeries?: number;
  /**
   * Seconds after which a series nobody records into is dropped, at the next scrape (a
   * number > 0). PromQL sees the series go stale; recorded into again (a child kept from
   * `labels(...)` keeps working), it comes back as a new series. Default: kept forever.
   */
  readonly seriesTtlSeconds?: number;
}

/**
 * The label value every label of the overflow series has: the series that label sets past
 * `maxSeries` are folded into.
 */
export const OVERFLOW_LABEL_VALUE = '__promkit_overflow__';

/**
 * `limits` checked: `InvalidOptionsError` for a `maxSeries` that is not an integer >= 1 or
 * a `seriesTtlSeconds` that is not a finite number > 0. `where` names the metric, or
 * `undefined` for a registry's defaults.
 *
 * @internal
 */
export function checkedSeriesLimits(where: string | undefined, limits: SeriesLimits): SeriesLimits {
  const { maxSeries, seriesTtlSeconds } = limits;
  if (maxSeries !== undefined && (typeof maxSeries !== 'number' || !Number.isSafeInteger(maxSeries) || maxSeries < 1)) {
    throw new InvalidOptionsError(where, `maxSeries must be an integer >= 1, got ${String(maxSeries)}`);
  }
  if (seriesTtlSeconds !== undefined && (typeof seriesTtlSeconds !== 'number' || !(seriesTtlSeconds > 0) || !Number.isFinite(seriesTtlSeconds))) {
    throw new InvalidOptionsError(where, `seriesTtlSeconds must be a finite number of seconds > 0, got ${String(seriesTtlSeconds)}`);
  }
  return { maxSeries, seriesTtlSeconds };
}
