import { spawn } from 'node:child_process';
import { BIN } from '../support/binaries.js';

/**
 * Runs a Python program with Debian's `/usr/bin/python3` (where `python3-prometheus-client`
 * is importable): `input` goes to its stdin as JSON, and whatever it prints to stdout is
 * parsed as JSON. Rejects with its stderr when it exits non-zero.
 */
export function runPython<T>(program: string, input: unknown = null): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN.python3, ['-c', program], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`python3 exited ${code}: ${err}`));
        return;
      }
      try {
        resolve(JSON.parse(out) as T);
      } catch (error) {
        reject(new Error(`python3 printed no JSON (${String(error)}): ${out.slice(0, 500)}`));
      }
    });
    child.stdin.end(JSON.stringify(input));
  });
}

/**
 * Python: `go_float(x)` is Go's `strconv.FormatFloat(x, 'g', -1, 64)` with `.0` appended when
 * it has neither `.` nor an exponent — client_golang's OpenMetrics rendering and the target
 * OpenMetrics names for canonical `le`/`quantile` values. Built on `repr()`, which gives the
 * same shortest round-trip digits as Go; only the layout rule (exponent when the decimal
 * exponent is < -4 or >= 6, at least two exponent digits) is Go's.
 */
export const PY_GO_FLOAT = String.raw`
import math
from decimal import Decimal

def go_float(x):
    if math.isnan(x): return 'NaN'
    if math.isinf(x): return '+Inf' if x > 0 else '-Inf'
    if x == 0: return '-0.0' if math.copysign(1.0, x) < 0 else '0.0'
    sign, digits, exponent = Decimal(repr(x)).normalize().as_tuple()
    ds = ''.join(str(d) for d in digits)
    e10 = len(ds) - 1 + exponent
    neg = '-' if sign else ''
    if e10 < -4 or e10 >= 6:
        mantissa = ds[0] + ('.' + ds[1:] if len(ds) > 1 else '')
        return f"{neg}{mantissa}e{'-' if e10 < 0 else '+'}{abs(e10):02d}"
    if e10 < 0:
        s = '0.' + '0' * (-e10 - 1) + ds
    elif len(ds) <= e10 + 1:
        s = ds + '0' * (e10 + 1 - len(ds))
    else:
        s = ds[:e10 + 1] + '.' + ds[e10 + 1:]
    if '.' not in s: s += '.0'
    return neg + s
`;
