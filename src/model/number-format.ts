/**
 * Formats a float the way client_golang's OpenMetrics encoder (and client_python's
 * `floatToGoString`) do: Go's shortest `'g'` form, with `.0` appended to integral values
 * and `+Inf`/`-Inf`/`NaN` spelled out. Examples: `0.005`, `1.0`, `10.0`, `100000.0`,
 * `1e+06`, `1.5e-05`, `+Inf`.
 *
 * This is the canonical spelling of `le` and `quantile` label values: Prometheus 2.x does
 * not normalise them, so every client must write them alike or one series splits in two.
 * Sample values use it too, so the output reads the same as the reference clients'.
 */
export function formatFloat(value: number): string {
  // Counts are mostly small integers: their spellings are made once, not on every line
  // (`1 / value > 0` keeps -0 out, which is spelled `-0.0`).
  if ((value | 0) === value && value >= 0 && value < SMALL_INTEGERS && 1 / value > 0) return SMALL_INTEGER_TEXT[value];
  if (Number.isInteger(value)) {
    if (value < 1e6 && value > -1e6) {
      return value === 0 && 1 / value < 0 ? '-0.0' : `${value}.0`;
    }
    return goExponent(value);
  }
  if (value !== value) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  const magnitude = value < 0 ? -value : value;
  // Go uses %f for decimal exponents in [-4, 6); JS's String() uses fixed notation for
  // [1e-7, 1e21) with the same shortest digits, so the two agree on [1e-4, 1e6).
  if (magnitude >= 1e-4 && magnitude < 1e6) return String(value);
  return goExponent(value);
}

/** How many non-negative integers have their spelling made in advance. */
const SMALL_INTEGERS = 1024;
const SMALL_INTEGER_TEXT: readonly string[] = Array.from({ length: SMALL_INTEGERS }, (_, i) => `${i}.0`);

/** The last value {@link goExponent} spelled, and its spelling. */
let lastExponentValue = NaN;
let lastExponentText = '';

/** `1.5e+7` -> `1.5e+07`: shortest digits, an exponent of at least two digits. */
function goExponent(value: number): string {
  // Series created in the same millisecond share their `_created` value: spelled once for a run of them.
  if (value === lastExponentValue) return lastExponentText;
  lastExponentText = spellExponent(value);
  lastExponentValue = value;
  return lastExponentText;
}

function spellExponent(value: number): string {
  const s = value.toExponential();
  const e = s.indexOf('e');
  const sign = s[e + 1];
  const digits = s.slice(e + 2);
  return `${s.slice(0, e)}e${sign}${digits.length < 2 ? `0${digits}` : digits}`;
}
