import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Steps } from '../model/steps.js';

/** How long a scrape holds the event loop, by default, before it lets other work run. */
export const DEFAULT_SLICE_MILLISECONDS = 10;

/**
 * One scrape's share of the event loop. The scrape runs the instruments' collections and
 * the checks of the collectors' families step by step (generators that yield between
 * pages of series or samples) and, once it has held the loop for `sliceMilliseconds`, waits for a turn
 * (`setImmediate`) so that requests, timers and I/O waiting behind it run; then it goes on
 * with a fresh slice. A registry of a million series is then collected in many short
 * stretches instead of one long block, and a small one, finished within its first slice,
 * never waits at all.
 */
export class CollectTurns {
  private deadline: number;

  constructor(private readonly sliceMilliseconds: number) {
    this.deadline = performance.now() + sliceMilliseconds;
  }

  /**
   * Runs `steps` to their end, pausing before a step whenever the slice is used up.
   * Rejects with the abort reason when `signal` aborts (before a step, never inside one).
   */
  async run<T>(steps: Steps<T>, signal: AbortSignal | undefined): Promise<T> {
    signal?.throwIfAborted();
    for (;;) {
      // Also before the first step: many small instruments add up to a long block too.
      await this.pause(signal);
      const step = steps.next();
      if (step.done === true) return step.value;
    }
  }

  /** Waits for a turn if the slice is used up; resolves at once otherwise. */
  async pause(signal: AbortSignal | undefined): Promise<void> {
    if (performance.now() < this.deadline) return;
    try {
      await nextTurn(undefined, signal === undefined ? undefined : { signal });
    } catch (error) {
      // The scrape's own reason (e.g. "the scraper closed the connection"), not a generic AbortError.
      throw signal?.aborted === true ? signal.reason : error;
    }
    this.deadline = performance.now() + this.sliceMilliseconds;
  }
}
