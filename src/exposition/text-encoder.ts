import { formatFloat, type MetricFamily, type MetricType, type Sample } from '../model/index.js';
import { escapeTextHelp, renderLabelPairs, renderLabels, seriesLabelPairs } from './escaping.js';
import { seriesViewOf, type SeriesView } from '../model/series-view.js';
import { DEFAULT_CHUNK_SIZE } from './chunk-size.js';
import { histogramLines, valueLine } from './series-lines.js';
import { flattenString } from './string-flattening.js';
import { formatTimestampMillis, isWritableTimestamp } from './timestamp-format.js';

/** The 0.0.4 `# TYPE` for each OpenMetrics type (0.0.4 knows only five). */
const TEXT_TYPE: Readonly<Record<MetricType, string>> = {
  counter: 'counter',
  gauge: 'gauge',
  histogram: 'histogram',
  gaugehistogram: 'histogram',
  summary: 'summary',
  info: 'gauge',
  stateset: 'gauge',
  unknown: 'untyped',
};

/** The name 0.0.4 exposes a family under: counters gain `_total`, info metrics `_info`. */
function textFamilyName(family: MetricFamily): string {
  if (family.type === 'counter') return `${family.name}_total`;
  if (family.type === 'info') return `${family.name}_info`;
  return family.name;
}

/** One sample line, exemplar dropped (0.0.4 has none), timestamp in milliseconds. */
function textSampleLine(sample: Sample): string {
  const ts = sample.timestamp;
  return isWritableTimestamp(ts)
    ? `${sample.name}${renderLabels(sample.labels)} ${formatFloat(sample.value)} ${formatTimestampMillis(ts)}\n`
    : `${sample.name}${renderLabels(sample.labels)} ${formatFloat(sample.value)}\n`;
}

/** The 0.0.4 lines of series `i` of an instrument's snapshot, `_created` aside. */
function textSeriesLines(family: MetricFamily, view: SeriesView, i: number, pairs: string): string {
  const values = view.values;
  switch (view.kind) {
    case 'counter':
      return valueLine(`${family.name}_total`, pairs, values[i]);
    case 'gauge':
      return valueLine(family.name, pairs, values[i]);
    default:
      return histogramLines(family.name, view, i, pairs);
  }
}

/** `# HELP` + `# TYPE` lines; no HELP line for an empty help (parsers differ on `# HELP x `). */
function textHeader(name: string, help: string, type: string): string {
  return help === '' ? `# TYPE ${name} ${type}\n` : `# HELP ${name} ${escapeTextHelp(help)}\n# TYPE ${name} ${type}\n`;
}

/**
 * The 0.0.4 text of `families`, in pieces of about `chunkSize` characters (cut at line
 * ends). Joined, the pieces are exactly {@link encodeText}'s output.
 *
 * Like client_python's `generate_latest`: the OpenMetrics-only samples `_created` (of
 * counters, histograms and summaries) and `_gcount`/`_gsum` (of gauge histograms) move
 * into gauge families of their own right after their family, in that suffix order.
 */
export function* encodeTextChunks(families: Iterable<MetricFamily>, chunkSize = DEFAULT_CHUNK_SIZE): Generator<string, void, undefined> {
  let out = '';
  for (const family of families) {
    const help = family.help;
    out += textHeader(textFamilyName(family), help, TEXT_TYPE[family.type] ?? 'untyped');
    const view = seriesViewOf(family);
    if (view !== undefined) {
      // An instrument's snapshot: each series' labels rendered once for all its lines.
      const shared = view.sharedLabels === undefined ? '' : renderLabelPairs(view.sharedLabels);
      const pairs = new Array<string>(view.size);
      for (let i = 0; i < view.size; i++) {
        pairs[i] = seriesLabelPairs(shared, view.labels[i]);
        out += textSeriesLines(family, view, i, pairs[i]);
        if (out.length >= chunkSize) {
          yield flattenString(out);
          out = '';
        }
      }
      const createdValues = view.created;
      if (createdValues !== undefined && view.size > 0) {
        const created = `${family.name}_created`;
        out += textHeader(created, help, 'gauge');
        for (let i = 0; i < view.size; i++) {
          out += valueLine(created, pairs[i], createdValues[i]);
          if (out.length >= chunkSize) {
            yield flattenString(out);
            out = '';
          }
        }
      }
      continue;
    }
    const created = `${family.name}_created`;
    const gcount = `${family.name}_gcount`;
    const gsum = `${family.name}_gsum`;
    let deferred = false;
    const samples = family.samples;
    for (let i = 0; i < samples.length; i++) {
      const sample = samples[i];
      const name = sample.name;
      if (name === created || name === gcount || name === gsum) {
        deferred = true;
        continue;
      }
      out += textSampleLine(sample);
      if (out.length >= chunkSize) {
        yield flattenString(out);
        out = '';
      }
    }
    if (deferred) {
      // A second pass per suffix instead of buffering: a 100k-series counter's `_created`
      // block is as big as the family itself and must be cut into chunks too.
      for (const suffixed of [created, gcount, gsum]) {
        let seen = false;
        for (let i = 0; i < samples.length; i++) {
          const sample = samples[i];
          if (sample.name !== suffixed) continue;
          if (!seen) {
            out += textHeader(suffixed, help, 'gauge');
            seen = true;
          }
          out += textSampleLine(sample);
          if (out.length >= chunkSize) {
            yield flattenString(out);
            out = '';
          }
        }
      }
    }
    if (out.length >= chunkSize) {
      yield flattenString(out);
      out = '';
    }
  }
  if (out !== '') yield flattenString(out);
}

/**
 * Encodes families in the Prometheus text format 0.0.4 (`text/plain; version=0.0.4`).
 *
 * Mapping from the OpenMetrics model, as client_python does it: a counter `c` is exposed
 * as `# TYPE c_total counter`; info `i` as the gauge `i_info`; stateset as gauge;
 * gaugehistogram as histogram; unknown as untyped. `_created`, `_gcount` and `_gsum`
 * samples become gauge families of their own. Units and exemplars are not part of 0.0.4
 * and are dropped; timestamps are written as integer milliseconds.
 *
 * @example
 * ```ts
 * encodeText([{ name: 'up', type: 'gauge', help: 'Up.', unit: '', samples: [{ name: 'up', labels: {}, value: 1 }] }]);
 * // '# HELP up Up.\n# TYPE up gauge\nup 1.0\n'
 * ```
 */
export function encodeText(families: Iterable<MetricFamily>): string {
  let out = '';
  for (const chunk of encodeTextChunks(families)) out += chunk;
  return out;
}
