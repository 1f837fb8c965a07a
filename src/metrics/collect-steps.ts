import { SERIES_PER_PAGE, type MetricFamily } from '../model/index.js';

/**
 * An instrument's collection in progress. It yields (with no value) after every page of
 * {@link SERIES_PER_PAGE} series it has read, so that a caller may give the event loop a
 * turn between steps, and returns the families when every series is read.
 *
 * The series are the ones that existed when the collection began (the series list is only
 * ever appended to, so it is read without a copy); each series is read whole within one
 * step, so a series is never exposed half before and half after a record.
 */
export type CollectSteps = Generator<undefined, MetricFamily[], undefined>;

/**
 * How many series a step reads: a page of the columns (`PagedColumn`), so a step
 * allocates one page of each column; far less than a millisecond of work.
 */
export const SERIES_PER_STEP = SERIES_PER_PAGE;

/** True after the last series of a step: `i` is the index of the series just read. */
export function endsStep(i: number): boolean {
  return (i & (SERIES_PER_STEP - 1)) === SERIES_PER_STEP - 1;
}

/** Runs a collection to its end at once (the synchronous `collect()`). */
export function finishSteps(steps: CollectSteps): MetricFamily[] {
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}
