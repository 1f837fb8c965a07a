import { columnValue, formatFloat, type MetricFamily, type MetricType, type Sample, type SeriesColumns } from '../model/index.js';
import { DEFAULT_CHUNK_SIZE } from './chunk-size.js';
import { chunkParts, type EncodedPart } from './chunked-output.js';
import { escapeTextHelp, renderLabelPairs, renderLabels, seriesLabelPairs } from './escaping.js';
import { histogramLines, valueLine } from './series-lines.js';
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

/** The 0.0.4 lines of series `i` of a family's columns, `_created` aside. */
function textSeriesLines(name: string, columns: SeriesColumns, i: number, pairs: string): string {
  const values = columns.values;
  switch (columns.kind) {
    case 'counter':
      return valueLine(`${name}_total`, pairs, columnValue(values, i));
    case 'gauge':
      return valueLine(name, pairs, columnValue(values, i));
    default:
      return histogramLines(name, columns, i, pairs);
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
export function encodeTextChunks(families: Iterable<MetricFamily>, chunkSize = DEFAULT_CHUNK_SIZE): Generator<string, void, undefined> {
  return chunkParts(textParts(families), chunkSize);
}

/** The 0.0.4 output of `families`, family by family: headers, then a run of lines per block. */
function* textParts(families: Iterable<MetricFamily>): Generator<EncodedPart, void, undefined> {
  for (const family of families) {
    const help = family.help;
    const name = family.name;
    yield textHeader(textFamilyName(family), help, TEXT_TYPE[family.type] ?? 'untyped');
    const columns = family.columns;
    if (columns !== undefined) {
      // Each series' labels are rendered once, for all its lines and its `_created`.
      const shared = columns.sharedLabels === undefined ? '' : renderLabelPairs(columns.sharedLabels);
      const pairs = new Array<string>(columns.size);
      yield {
        count: columns.size,
        piece: (i) => textSeriesLines(name, columns, i, (pairs[i] = seriesLabelPairs(shared, columns.labels[i]))),
      };
      const created = columns.created;
      if (created !== undefined && columns.size > 0) {
        yield textHeader(`${name}_created`, help, 'gauge');
        yield { count: columns.size, piece: (i) => valueLine(`${name}_created`, pairs[i], columnValue(created, i)) };
      }
      continue;
    }
    const samples = family.samples;
    const created = `${name}_created`;
    const gcount = `${name}_gcount`;
    const gsum = `${name}_gsum`;
    yield {
      count: samples.length,
      piece: (i) => {
        const sampleName = samples[i].name;
        return sampleName === created || sampleName === gcount || sampleName === gsum ? '' : textSampleLine(samples[i]);
      },
    };
    for (const suffixed of [created, gcount, gsum]) {
      // A pass per suffix instead of buffering: a 100k-series counter's `_created` block is
      // as big as the family itself and must be cut into chunks too.
      if (!samples.some((sample) => sample.name === suffixed)) continue;
      yield textHeader(suffixed, help, 'gauge');
      yield { count: samples.length, piece: (i) => (samples[i].name === suffixed ? textSampleLine(samples[i]) : '') };
    }
  }
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
