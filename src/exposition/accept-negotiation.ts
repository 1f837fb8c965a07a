import { EXPOSITION_FORMATS, type ExpositionFormat } from './content-type.js';

/** One media range of an `Accept` header. */
export interface MediaRange {
  /** Lower-cased type, e.g. `application`, or `*`. */
  readonly type: string;
  /** Lower-cased subtype, e.g. `openmetrics-text`, or `*`. */
  readonly subtype: string;
  /** Parameters other than `q`, names lower-cased, values unquoted. */
  readonly params: Readonly<Record<string, string>>;
  /** The weight, 0..1 (1 when not given). */
  readonly q: number;
  /** Position in the header, for breaking ties in the client's order. */
  readonly index: number;
}

/** Splits `s` on `separator` outside of double-quoted strings. */
function splitOutsideQuotes(s: string, separator: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') {
      quoted = true;
    } else if (c === separator) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(s.slice(start));
  return parts;
}

function unquote(value: string): string {
  if (value.length >= 2 && value[0] === '"' && value[value.length - 1] === '"') {
    return value.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return value;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/**
 * Parses an `Accept` header into its media ranges (RFC 9110 §12.5.1): comma-separated
 * ranges with `;`-separated parameters, optional whitespace, quoted parameter values,
 * case-insensitive names. Malformed ranges (no `type/subtype`, a `q` that is not a
 * qvalue) are skipped rather than failing the whole header.
 */
export function parseAccept(header: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  let index = 0;
  for (const element of splitOutsideQuotes(header, ',')) {
    const [mediaType, ...rawParams] = splitOutsideQuotes(element, ';');
    const slash = mediaType.indexOf('/');
    if (slash < 0) continue;
    const type = mediaType.slice(0, slash).trim().toLowerCase();
    const subtype = mediaType.slice(slash + 1).trim().toLowerCase();
    if (!TOKEN.test(type) || !TOKEN.test(subtype) || (type === '*' && subtype !== '*')) continue;
    const params: Record<string, string> = Object.create(null) as Record<string, string>;
    let q = 1;
    let valid = true;
    for (const raw of rawParams) {
      const eq = raw.indexOf('=');
      if (eq < 0) {
        if (raw.trim() === '') continue;
        valid = false;
        break;
      }
      const name = raw.slice(0, eq).trim().toLowerCase();
      const value = unquote(raw.slice(eq + 1).trim());
      if (name === 'q') {
        if (!QVALUE.test(value)) {
          valid = false;
          break;
        }
        q = Number(value);
      } else if (!Object.hasOwn(params, name)) {
        params[name] = value;
      }
    }
    if (valid) ranges.push({ type, subtype, params, q, index: index++ });
  }
  return ranges;
}

/** OpenMetrics versions we answer with our 1.0.0 output, by how precisely they name it. */
const OPENMETRICS_VERSION_PRECEDENCE: Readonly<Record<string, number>> = { '1.0.0': 3, '': 2, '0.0.1': 1 };

interface Match {
  precedence: number;
  q: number;
  index: number;
}

function consider(best: Match | undefined, precedence: number, range: MediaRange): Match | undefined {
  if (precedence < 0) return best;
  if (best !== undefined && best.precedence >= precedence) return best;
  return { precedence, q: range.q, index: range.index };
}

/** How precisely `range` names the 0.0.4 text format, or -1 when it does not match it. */
function textPrecedence(range: MediaRange): number {
  if (range.type === '*') return 0;
  if (range.type !== 'text') return -1;
  if (range.subtype === '*') return 1;
  if (range.subtype !== 'plain') return -1;
  const version = range.params.version;
  if (version === undefined) return 2;
  return version === '0.0.4' ? 3 : 1;
}

/** How precisely `range` names OpenMetrics 1.0.0, or -1 when it does not match it. */
function openMetricsPrecedence(range: MediaRange): number {
  if (range.type !== 'application' || range.subtype !== 'openmetrics-text') return -1;
  const version = range.params.version ?? '';
  return Object.hasOwn(OPENMETRICS_VERSION_PRECEDENCE, version) ? OPENMETRICS_VERSION_PRECEDENCE[version] : -1;
}

/** The message and encoding of the protobuf format: the only ones promkit writes. */
const PROTOBUF_MESSAGE = 'io.prometheus.client.metricfamily';

/**
 * How precisely `range` names the delimited protobuf format, or -1 when it does not:
 * `application/vnd.google.protobuf` with `proto=io.prometheus.client.MetricFamily` and
 * `encoding=delimited` (a missing or other message or encoding is not what we write).
 * Never matched by a wildcard: a client that does not name it may not parse it.
 */
function protobufPrecedence(range: MediaRange): number {
  if (range.type !== 'application' || range.subtype !== 'vnd.google.protobuf') return -1;
  return range.params.proto?.toLowerCase() === PROTOBUF_MESSAGE && range.params.encoding?.toLowerCase() === 'delimited' ? 3 : -1;
}

const PRECEDENCE: Readonly<Record<ExpositionFormat, (range: MediaRange) => number>> = {
  text: textPrecedence,
  openmetrics: openMetricsPrecedence,
  protobuf: protobufPrecedence,
};

/**
 * Chooses the exposition format for an `Accept` header, among the formats the caller can
 * send (`offered`, default all three).
 *
 * Each format's weight comes from the most specific range that names it: for the text
 * format `text/plain;version=0.0.4`, `text/plain`, `text/*` or `*\/*`; for OpenMetrics
 * `application/openmetrics-text` (version 1.0.0, 0.0.1 or none; we always write 1.0.0);
 * for protobuf only `application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited`.
 * The format with the highest weight above 0 wins; a tie goes to the range listed first,
 * so `q=0` turns a format off. Everything else (no header, `*\/*`, garbage, an unsupported
 * version, nothing acceptable) gets the text format, the format every Prometheus
 * understands: a 406 would only lose the scrape.
 *
 * @example
 * ```ts
 * negotiateFormat('application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*\/*;q=0.1');
 * // 'openmetrics' (Prometheus 2.42's header)
 * negotiateFormat('application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8,text/plain;version=0.0.4;q=0.5,*\/*;q=0.1');
 * // 'protobuf' (Prometheus 2.42 with --enable-feature=native-histograms)
 * ```
 */
export function negotiateFormat(accept: string | undefined | null, offered: readonly ExpositionFormat[] = EXPOSITION_FORMATS): ExpositionFormat {
  if (accept === undefined || accept === null || accept === '') return 'text';
  const matches = offered.map((): Match | undefined => undefined);
  for (const range of parseAccept(accept)) {
    for (let f = 0; f < offered.length; f++) matches[f] = consider(matches[f], PRECEDENCE[offered[f]](range), range);
  }
  let best: ExpositionFormat = 'text';
  let bestMatch: Match | undefined;
  for (let f = 0; f < offered.length; f++) {
    const match = matches[f];
    if (match === undefined || match.q <= 0) continue;
    if (bestMatch === undefined || match.q > bestMatch.q || (match.q === bestMatch.q && match.index < bestMatch.index)) {
      best = offered[f];
      bestMatch = match;
    }
  }
  return best;
}
