import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { formatFloat } from '../../src/model/index.js';

/**
 * Go's strconv.FormatFloat(v, 'g', -1, 64), written out independently of the implementation:
 * shortest round-trip digits; %e notation when the decimal exponent is < -4 or >= 6 (for the
 * shortest form Go fixes the precision threshold at 6), with at least two exponent digits.
 */
function goG(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const [mantissa, expText] = v.toExponential().split('e');
  const exp = Number(expText);
  const digits = mantissa.replace('-', '').replace('.', '');
  const eprec = 6;
  const sign = v < 0 ? '-' : '';
  if (exp < -4 || exp >= eprec) {
    const e = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : String(Math.abs(exp));
    return `${sign}${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${exp < 0 ? '-' : '+'}${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const frac = digits.slice(exp + 1);
  return `${sign}${intPart}${frac.length > 0 ? `.${frac}` : ''}`;
}

/** client_golang's OpenMetrics float: Go's %g plus `.0` on integral values. */
function openMetricsFloat(v: number): string {
  const s = goG(v);
  return /^[-+]?\d+$/.test(s) ? `${s}.0` : s;
}

describe('formatFloat', () => {
  it.each([
    [0.005, '0.005'],
    [0.1, '0.1'],
    [1, '1.0'],
    [10, '10.0'],
    [2.5, '2.5'],
    [100000, '100000.0'],
    [1e6, '1e+06'],
    [1234567, '1.234567e+06'],
    [1.5e-5, '1.5e-05'],
    [0.0001, '0.0001'],
    [1e21, '1e+21'],
    [1e-7, '1e-07'],
    [1.7274026703582432e9, '1.7274026703582432e+09'],
    [-3, '-3.0'],
    [0, '0.0'],
    [-0, '-0.0'],
    [1, '1.0'],
    [1023, '1023.0'],
    [1024, '1024.0'],
    [1023.5, '1023.5'],
    [2 ** 31, '2.147483648e+09'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [NaN, 'NaN'],
    [Number.MAX_VALUE, '1.7976931348623157e+308'],
    [Number.MIN_VALUE, '5e-324'],
  ])('formats %p as %p (client_golang / client_python spelling)', (value, expected) => {
    expect(formatFloat(value)).toBe(expected);
  });

  it('agrees with Go-style formatting for every double', () => {
    fc.assert(
      fc.property(fc.double(), (v) => {
        expect(formatFloat(v)).toBe(openMetricsFloat(v));
      }),
      { numRuns: 20_000, seed: 42 },
    );
  });

  it('round-trips every finite double exactly', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (v) => {
        expect(Object.is(Number(formatFloat(v)), v)).toBe(true);
      }),
      { numRuns: 20_000, seed: 7 },
    );
  });
});
