/**
 * Work done in steps: a generator that yields (with no value) between slices of its work
 * and returns its result at the end, so that a caller may let the event loop run between
 * slices (the registry does, see its `CollectTurns`) or run it straight through
 * (the synchronous `collect()` and `familyProblem` do).
 */
export type Steps<T> = Generator<undefined, T, undefined>;

/** Runs `steps` to their end at once and returns the result. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

/** How many samples a family's check or copy goes through between two steps. */
export const SAMPLES_PER_STEP = 1024;
