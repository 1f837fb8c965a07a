import { Metric } from './metric.js';
import type { LabelValues, TimerEnd, UnlabelledArgs } from './metric.js';
import { labelsAtStart, mergeLabels, monotonicSeconds, secondsSince } from './timing.js';
import type { ExpiringSeries } from './series-expiry.js';

/** What a series of a {@link ObservingMetric} offers its timing methods. */
export interface ObservingChild extends ExpiringSeries {
  observe(value: number): void;
  time<T>(fn: () => T): T;
}

/**
 * The timing methods histograms and summaries share: both record durations as
 * observations, in seconds, from a monotonic clock.
 *
 * @typeParam L - the label names.
 * @typeParam C - the series type.
 */
export abstract class ObservingMetric<L extends string, C extends ObservingChild> extends Metric<L, C> {
  /**
   * Starts a timer. The returned function observes the elapsed seconds and returns them;
   * label values may be given at the start, at the end, or split between both.
   */
  startTimer(labels?: Partial<LabelValues<L>>): TimerEnd<L> {
    const atStart = labelsAtStart(labels);
    const start = monotonicSeconds();
    return (endLabels) => {
      const seconds = secondsSince(start);
      const merged = mergeLabels(atStart, endLabels);
      (merged === undefined ? this.defaultChild() : this.childFor(merged as LabelValues<L>)).observe(seconds);
      return seconds;
    };
  }

  /**
   * Runs `fn` and observes its duration in seconds in the unlabelled series. A returned
   * promise is passed through (same value or rejection) and observed when it settles; a
   * synchronous function stays synchronous.
   */
  time<T>(...args: UnlabelledArgs<L, [fn: () => T]>): T;
  /** Runs `fn` and observes its duration in the series of `labels` (Promise-aware). */
  time<T>(labels: LabelValues<L>, fn: () => T): T;
  time<T>(first: LabelValues<L> | (() => T), second?: () => T): T {
    return typeof first === 'function' ? this.defaultChild().time(first) : this.childFor(first).time(second as () => T);
  }
}
