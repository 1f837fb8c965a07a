import { describe, expect, it } from '@jest/globals';
import { formatTimestampMillis, formatTimestampSeconds, isWritableTimestamp } from '../../src/exposition/index.js';

describe('timestamp formatting', () => {
  it('milliseconds are rounded integers', () => {
    expect(formatTimestampMillis(1520879607.789)).toBe('1520879607789');
    expect(formatTimestampMillis(1.001)).toBe('1001');
    expect(formatTimestampMillis(-1.5)).toBe('-1500');
    expect(formatTimestampMillis(0)).toBe('0');
  });

  it('seconds are plain decimals, never exponents', () => {
    expect(formatTimestampSeconds(1520879607.789)).toBe('1520879607.789');
    expect(formatTimestampSeconds(1520879607)).toBe('1520879607');
    expect(formatTimestampSeconds(1e-7)).toBe('0.0000001');
    expect(formatTimestampSeconds(1e-10)).toBe('0');
    expect(formatTimestampSeconds(1e21)).toBe('1000000000000000000000');
    expect(formatTimestampSeconds(-2.5)).toBe('-2.5');
  });

  it('NaN and infinities are not writable', () => {
    expect(isWritableTimestamp(undefined)).toBe(false);
    expect(isWritableTimestamp(NaN)).toBe(false);
    expect(isWritableTimestamp(-Infinity)).toBe(false);
    expect(isWritableTimestamp(0)).toBe(true);
  });
});
