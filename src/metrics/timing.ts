/**
 * Seconds on a monotonic clock (`performance.now()`), for durations only: unlike
 * `Date.now()` it never jumps when the wall clock is adjusted.
 *
 * @internal
 */
export function monotonicSeconds(): number {
  return performance.now() / 1000;
}

/** Seconds elapsed since `start` (a {@link monotonicSeconds} reading); never negative. */
export function secondsSince(start: number): number {
  const elapsed = performance.now() / 1000 - start;
  return elapsed > 0 ? elapsed : 0;
}

/**
 * Runs `fn` and records how long it took. A synchronous function is timed and its result
 * (or exception) passed through synchronously; when it returns a promise (any thenable),
 * the duration is recorded when that settles and the returned (native) promise resolves
 * to the same value or rejects with the same reason.
 *
 * @internal Shared by the `time()` methods of Histogram, Summary and Gauge.
 */
export function timeCall<T>(fn: () => T, record: (seconds: number) => void): T {
  const start = monotonicSeconds();
  let result: T;
  try {
    result = fn();
  } catch (error) {
    record(secondsSince(start));
    throw error;
  }
  if (isThenable(result)) {
    // Adopted into a native promise: a bare thenable's own `then` may return anything.
    return Promise.resolve(result).then(
      (value) => {
        record(secondsSince(start));
        return value;
      },
      (reason: unknown) => {
        record(secondsSince(start));
        throw reason;
      },
    ) as T;
  }
  record(secondsSince(start));
  return result;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * The labels a timer was started with, copied: the series it records into is the one they
 * named at the start, whatever the caller does with its object before the timer ends.
 *
 * @internal Shared by the instruments' `startTimer`.
 */
export function labelsAtStart<T extends object>(labels: T | undefined): T | undefined {
  return labels === undefined ? undefined : { ...labels };
}

/**
 * Start and end labels of a timer, merged (end wins); `undefined` when neither was given.
 *
 * @internal Shared by the instruments' `startTimer`.
 */
export function mergeLabels<T extends object>(start: T | undefined, end: T | undefined): T | undefined {
  if (end === undefined) return start;
  if (start === undefined) return end;
  return { ...start, ...end };
}
