import { describe, expect, it } from '@jest/globals';
import { coarseClock } from '../../src/metrics/coarse-clock.js';
import { monotonicSeconds } from '../../src/metrics/timing.js';
import { waitFor } from '../support/wait-for.js';

describe('coarseClock', () => {
  it('reads a past monotonic reading that the shared timer moves forward', async () => {
    const clock = coarseClock(0.01);
    const first = clock();
    expect(first).toBeLessThanOrEqual(monotonicSeconds());
    // Polls (never asserts a duration): a refresh timer that never fires fails the test by timing out.
    await waitFor(() => clock() !== first, 5);
    const later = clock();
    expect(later).toBeGreaterThan(first);
    expect(later).toBeLessThanOrEqual(monotonicSeconds());
  });

  it('is one function for every caller, so the hot path stays monomorphic', () => {
    expect(coarseClock(120)).toBe(coarseClock(0.5));
  });
});
