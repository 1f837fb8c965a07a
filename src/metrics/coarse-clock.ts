import { monotonicSeconds } from './timing.js';

/** The refresh interval never exceeds this, so a window's rotation is never more than a second late. */
const LONGEST_INTERVAL_MS = 1000;
/** Nor goes below this: tiny windows do not turn the timer into a busy loop. */
const SHORTEST_INTERVAL_MS = 10;

let reading = monotonicSeconds();
let timer: ReturnType<typeof setInterval> | undefined;
let intervalMs = Infinity;

function refresh(): void {
  reading = monotonicSeconds();
}

/** The last reading of {@link monotonicSeconds} taken by the refresh timer. */
function coarseMonotonicSeconds(): number {
  return reading;
}

/**
 * A monotonic clock in seconds that costs a variable read: one unref'd timer, shared by every
 * caller, refreshes the reading at least every `resolutionSeconds` (within 10 ms and 1 s).
 * For hot paths that only compare against deadlines far apart, such as a summary's window
 * rotating through its age buckets, where reading `performance.now()` on every observation
 * would cost more than the observation itself. The reading lags while the event loop is
 * blocked; what is recorded meanwhile counts in the slice that was current when it blocked.
 *
 * @internal Used by `Summary` for its quantile windows.
 */
export function coarseClock(resolutionSeconds: number): () => number {
  const wanted = Math.min(LONGEST_INTERVAL_MS, Math.max(SHORTEST_INTERVAL_MS, resolutionSeconds * 1000));
  if (wanted < intervalMs) {
    if (timer !== undefined) clearInterval(timer);
    intervalMs = wanted;
    refresh();
    timer = setInterval(refresh, wanted);
    timer.unref();
  }
  return coarseMonotonicSeconds;
}
