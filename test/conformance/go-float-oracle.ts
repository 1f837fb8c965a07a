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
