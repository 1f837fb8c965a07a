/**
 * A sample timestamp (seconds since the epoch) as the 0.0.4 format writes it: integer
 * milliseconds. Rounded, not truncated: `1.789` seconds is `1788.9999999999998` ms in
 * binary floating point and must still read `1789`.
 */
export function formatTimestampMillis(seconds: number): string {
  return String(Math.round(seconds * 1000));
}

/**
 * A timestamp in seconds as OpenMetrics writes it: plain decimal (`1520879607.789`), never
 * an exponent, since the spec asks for full precision and the reference parsers read
 * `a.b` as seconds and nanoseconds.
 */
export function formatTimestampSeconds(seconds: number): string {
  const s = String(seconds);
  if (s.indexOf('e') === -1) return s;
  // Only below 1e-6 or from 1e21 on does JS switch to exponents; neither is a real clock.
  return Math.abs(seconds) >= 1 ? BigInt(Math.round(seconds)).toString() : seconds.toFixed(9).replace(/\.?0+$/, '');
}

/** True when a timestamp can be written at all: NaN and infinities cannot. */
export function isWritableTimestamp(seconds: number | undefined): seconds is number {
  return seconds !== undefined && seconds !== null && Number.isFinite(seconds);
}
