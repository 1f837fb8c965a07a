import { startsPage, type MetricFamily } from '../model/index.js';
import type { Steps } from '../model/steps.js';

/**
 * An instrument's collection in progress. It yields (with no value) after every page of
 * `SERIES_PER_PAGE` series it has read (so a step allocates one page of each column), so
 * that a caller may give the event loop a turn between steps, and returns the families
 * when every series is read.
 *
 * The series are the ones that existed when the collection began (the series list is only
 * ever appended to, so it is read without a copy); each series is read whole within one
 * step, so a series is never exposed half before and half after a record.
 */
export type CollectSteps = Steps<MetricFamily[]>;

/** True after the last series of a step (a page): `i` is the index of the series just read. */
export function endsStep(i: number): boolean {
  return startsPage(i + 1);
}
