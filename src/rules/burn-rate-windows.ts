/**
 * One alert of the multi-window, multi-burn-rate method: it fires while the error ratio
 * over both windows is above `burnRate` times the error budget.
 */
export interface BurnRateWindow {
  /** The window that measures how much budget the burn has cost. */
  readonly long: string;
  /** The window that checks the burn is still going on, so the alert stops soon after it does. */
  readonly short: string;
  /** How many times faster than "exactly the budget over the period" the errors come. */
  readonly burnRate: number;
  /** `page` wakes someone; `ticket` can wait for working hours. */
  readonly severity: 'page' | 'ticket';
}

/**
 * The objective's period: the error budget is `1 - target` of the calls over 30 days.
 *
 * Why these four windows. An error ratio of `burnRate × (1 - target)` kept up for a window
 * `w` spends `burnRate × w / 30d` of the budget. Choosing how much spent budget is worth an
 * alert fixes the burn rate of each long window:
 * - 2 % of the budget within 1 hour is urgent: 0.02 × 720 h / 1 h = 14.4;
 * - 5 % within 6 hours is urgent too: 0.05 × 720 h / 6 h = 6;
 * - 10 % within a day deserves a ticket: 0.10 × 720 h / 24 h = 3;
 * - 10 % within 3 days, a slow leak, also a ticket: 0.10 × 720 h / 72 h = 1.
 * A long window alone would keep firing long after the errors stopped (the bad minutes stay
 * in the window for an hour, or three days); each alert therefore also requires the short
 * window, a twelfth of the long one, to burn as fast, which ends the alert a few minutes
 * after the burn ends. Two long windows per severity let a fast burn page within minutes
 * while a slower one still pages before too much of the budget is gone.
 */
export const SLO_PERIOD = '30d';

/** {@link SLO_PERIOD} in days. */
export const SLO_PERIOD_DAYS = 30;

/** The four alerts of every objective (see {@link SLO_PERIOD} for where the numbers come from). */
export const BURN_RATE_WINDOWS: readonly BurnRateWindow[] = [
  { long: '1h', short: '5m', burnRate: 14.4, severity: 'page' },
  { long: '6h', short: '30m', burnRate: 6, severity: 'page' },
  { long: '1d', short: '2h', burnRate: 3, severity: 'ticket' },
  { long: '3d', short: '6h', burnRate: 1, severity: 'ticket' },
];

/** Every window an error ratio is recorded over: the long and short windows of the alerts. */
export function recordedWindows(): string[] {
  const seconds = (window: string): number => Number(window.slice(0, -1)) * { m: 60, h: 3600, d: 86400 }[window.slice(-1) as 'm' | 'h' | 'd'];
  const windows = new Set(BURN_RATE_WINDOWS.flatMap((w) => [w.short, w.long]));
  return [...windows].sort((a, b) => seconds(a) - seconds(b));
}
