import { formatFloat, offsetInPage, pageOf, type Exemplar, type SeriesColumns } from '../model/index.js';
import { codePointCount, EXEMPLAR_MAX_CHARACTERS } from '../model/exemplar-budget.js';
import { renderLabels } from './escaping.js';
import { flattenString } from './string-flattening.js';
import { formatTimestampSeconds, isWritableTimestamp } from './timestamp-format.js';

/**
 * An exemplar as OpenMetrics appends it to a sample line, ` # {labels} value [timestamp]`
 * (an empty label set is written `{}`, as the spec asks), or `''` when there is none or
 * its labels exceed the spec's 128-code-point budget.
 */
export function exemplarText(exemplar: Exemplar | null | undefined): string {
  if (exemplar === undefined || exemplar === null) return '';
  let characters = 0;
  for (const name in exemplar.labels) characters += codePointCount(name) + codePointCount(String(exemplar.labels[name]));
  if (characters > EXEMPLAR_MAX_CHARACTERS) return '';
  const labels = renderLabels(exemplar.labels);
  const ts = exemplar.timestamp;
  return isWritableTimestamp(ts)
    ? ` # ${labels === '' ? '{}' : labels} ${formatFloat(exemplar.value)} ${formatTimestampSeconds(ts)}`
    : ` # ${labels === '' ? '{}' : labels} ${formatFloat(exemplar.value)}`;
}

/** `name{pairs} value`, then `suffix` (an exemplar, in OpenMetrics) and a line feed; `pairs` is a label set rendered without braces. */
export function valueLine(name: string, pairs: string, value: number, suffix = ''): string {
  return pairs === '' ? `${name} ${formatFloat(value)}${suffix}\n` : `${name}{${pairs}} ${formatFloat(value)}${suffix}\n`;
}

/** The `le` values of the last family written, and each one's `X"} ` (one family's series all share them). */
let lastLe: readonly string[] = [];
let lastTails: readonly string[] = [];

function bucketTails(le: readonly string[]): readonly string[] {
  if (le !== lastLe) {
    lastTails = le.map((bound) => flattenString(`${bound}"} `));
    lastLe = le;
  }
  return lastTails;
}

/**
 * The `_bucket` lines of histogram series `i` of a family's columns, then its `_count`
 * and `_sum` when the columns have them. The two formats write them alike; OpenMetrics passes
 * the series' bucket `exemplars`, which the text format has none of.
 */
export function histogramLines(name: string, columns: SeriesColumns, i: number, pairs: string, exemplars?: readonly (Exemplar | undefined)[]): string {
  const le = columns.le;
  const values = pageOf(columns.values, i);
  const offset = offsetInPage(i, columns.stride);
  // Flat once here, the prefix is copied into each of the series' lines instead of walked.
  const prefix = flattenString(pairs === '' ? `${name}_bucket{le="` : `${name}_bucket{${pairs},le="`);
  const tails = bucketTails(le);
  let out = '';
  for (let b = 0; b < le.length; b++) {
    out += exemplars === undefined
      ? `${prefix}${tails[b]}${formatFloat(values[offset + b])}\n`
      : `${prefix}${tails[b]}${formatFloat(values[offset + b])}${exemplarText(exemplars[b])}\n`;
  }
  if (columns.hasSum) {
    out += valueLine(`${name}_count`, pairs, values[offset + le.length]);
    out += valueLine(`${name}_sum`, pairs, values[offset + le.length + 1]);
  }
  return out;
}
