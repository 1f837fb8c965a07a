import type { LabelSet } from '../model/index.js';
import { flattenString } from './string-flattening.js';

// Label values (both formats) and OpenMetrics HELP escape backslash, double quote and line
// feed; the 0.0.4 HELP escapes only backslash and line feed (its parsers reject `\"` there).
const LABEL_VALUE_SPECIALS = /[\\"\n]/;
const LABEL_VALUE_SPECIALS_ALL = /[\\"\n]/g;
const TEXT_HELP_SPECIALS = /[\\\n]/;
const TEXT_HELP_SPECIALS_ALL = /[\\\n]/g;

function escapeChar(c: string): string {
  return c === '\n' ? '\\n' : `\\${c}`;
}

/**
 * Escapes a label value (or an OpenMetrics HELP text): `\` -> `\\`, `"` -> `\"`,
 * line feed -> `\n`. Values needing nothing are returned as they are, without copying.
 */
export function escapeLabelValue(value: string): string {
  return LABEL_VALUE_SPECIALS.test(value) ? value.replace(LABEL_VALUE_SPECIALS_ALL, escapeChar) : value;
}

/** Escapes a HELP text for the 0.0.4 format: `\` -> `\\`, line feed -> `\n` (quotes stay). */
export function escapeTextHelp(help: string): string {
  return TEXT_HELP_SPECIALS.test(help) ? help.replace(TEXT_HELP_SPECIALS_ALL, escapeChar) : help;
}

/** Escapes a HELP text for OpenMetrics, whose ABNF escapes `"` there as in label values. */
export const escapeOpenMetricsHelp: (help: string) => string = escapeLabelValue;

/**
 * Renders a label set as `{a="x",b="y"}` (in the object's own order), or `''` when it is
 * empty. Both formats escape label values alike, so one rendering serves both.
 *
 * Not cached: measured on 100k series, a `WeakMap` from label object to rendering cost
 * as much as rendering (three labels, no escaping) once output chunks are flattened, and
 * would serve stale text to a collector that mutates a label object between scrapes.
 */
export function renderLabels(labels: LabelSet): string {
  const pairs = renderLabelPairs(labels);
  return pairs === '' ? pairs : `{${pairs}}`;
}

/**
 * A label set rendered without braces (`a="x",b="y"`), or `''`: what the encoders compute
 * once per series and share between all of its lines.
 */
export function renderLabelPairs(labels: LabelSet): string {
  let out = '';
  for (const name in labels) {
    const value = labels[name];
    out += `${out === '' ? '' : ','}${name}="${escapeLabelValue(typeof value === 'string' ? value : String(value))}"`;
  }
  return out;
}

/**
 * One series' label pairs: `shared` (labels common to a family's series, rendered once
 * per family by the caller) followed by the series' own `labels`.
 */
export function seriesLabelPairs(shared: string, labels: LabelSet): string {
  const own = renderLabelPairs(labels);
  // Flat once here: every line of the series copies the pairs rather than walking their pieces.
  return flattenString(shared === '' ? own : own === '' ? shared : `${shared},${own}`);
}
