/**
 * The time source of exemplars from traces: the wall clock their timestamps and the histogram
 * bucket retention read, and the timer that ticks several times per interval of the rate
 * limit (each tick lets series that found no span look again; every few, a new interval
 * begins). The default is `Date.now` and an unref'd `setInterval`; a test passes its own to
 * move time by hand.
 */
export interface ExemplarClock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /**
   * Calls `tick` every `intervalMs` milliseconds from now on, without keeping the process
   * alive; returns what stops it.
   */
  every(intervalMs: number, tick: () => void): () => void;
}

/** `Date.now` and an unref'd `setInterval`. */
export const SYSTEM_CLOCK: ExemplarClock = Object.freeze({
  now: Date.now,
  every(intervalMs: number, tick: () => void): () => void {
    const timer = setInterval(tick, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  },
});
