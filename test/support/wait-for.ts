import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `condition` every few milliseconds until it holds; the test's own timeout bounds the wait. */
export async function waitFor(condition: () => boolean | Promise<boolean>, everyMs = 10): Promise<void> {
  while (!(await condition())) await sleep(everyMs);
}
