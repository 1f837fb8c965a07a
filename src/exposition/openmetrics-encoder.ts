import { columnValue, formatFloat, type Exemplar, type MetricFamily, type Sample, type SeriesColumns } from '../model/index.js';
import { DEFAULT_CHUNK_SIZE } from './chunk-size.js';
import { chunkParts, type EncodedPart } from './chunked-output.js';
import { escapeOpenMetricsHelp, renderLabelPairs, renderLabels, seriesLabelPairs } from './escaping.js';
import { exemplarText, histogramLines, valueLine } from './series-lines.js';
import { formatTimestampSeconds, isWritableTimestamp } from './timestamp-format.js';

/** The terminating line of every OpenMetrics exposition. */
const EOF_LINE = '# EOF\n';

/** One sample line; `exemplarName` is the one sample name of the family that may carry one. */
function openMetricsSampleLine(sample: Sample, exemplarName: string | undefined): string {
  const ts = sample.timestamp;
  const line = isWritableTimestamp(ts)
    ? `${sample.name}${renderLabels(sample.labels)} ${formatFloat(sample.value)} ${formatTimestampSeconds(ts)}`
    : `${sample.name}${renderLabels(sample.labels)} ${formatFloat(sample.value)}`;
  return sample.name === exemplarName ? `${line}${exemplarText(sample.exemplar)}\n` : `${line}\n`;
}

/** The OpenMetrics lines of series `i` of a family's columns, in the order its samples have. */
function openMetricsSeriesLines(name: string, view: SeriesColumns, i: number, pairs: string): string {
  const values = view.values;
  const exemplars = view.exemplars;
  switch (view.kind) {
    case 'gauge':
      return valueLine(name, pairs, columnValue(values, i));
    case 'counter': {
      const exemplar = exemplars === undefined ? undefined : (exemplars[i] as Exemplar | undefined);
      const total = valueLine(`${name}_total`, pairs, columnValue(values, i), exemplarText(exemplar));
      return view.created === undefined ? total : total + valueLine(`${name}_created`, pairs, columnValue(view.created, i));
    }
    default: {
      const bucketExemplars = exemplars === undefined ? undefined : (exemplars[i] as readonly (Exemplar | undefined)[] | undefined);
      let out = histogramLines(name, view, i, pairs, bucketExemplars);
      if (view.created !== undefined) out += valueLine(`${name}_created`, pairs, columnValue(view.created, i));
      return out;
    }
  }
}

/**
 * `# TYPE`, `# UNIT`, `# HELP`, in the order the spec recommends. An empty UNIT or HELP
 * "MUST be treated as if no metadata line existed", so none is written.
 */
function openMetricsHeader(family: MetricFamily): string {
  let out = `# TYPE ${family.name} ${family.type}\n`;
  if (family.unit !== '' && family.unit !== undefined) out += `# UNIT ${family.name} ${family.unit}\n`;
  if (family.help !== '') out += `# HELP ${family.name} ${escapeOpenMetricsHelp(family.help)}\n`;
  return out;
}

/** The sample name allowed an exemplar in this family: counter `_total`, histogram `_bucket`. */
function exemplarSampleName(family: MetricFamily): string | undefined {
  switch (family.type) {
    case 'counter':
      return `${family.name}_total`;
    case 'histogram':
    case 'gaugehistogram':
      return `${family.name}_bucket`;
    default:
      return undefined;
  }
}

/**
 * The OpenMetrics text of `families`, in pieces of about `chunkSize` characters (cut at
 * line ends); the last piece ends with the one `# EOF` line. Joined, the pieces are
 * exactly {@link encodeOpenMetrics}'s output.
 */
export function encodeOpenMetricsChunks(families: Iterable<MetricFamily>, chunkSize = DEFAULT_CHUNK_SIZE): Generator<string, void, undefined> {
  return chunkParts(openMetricsParts(families), chunkSize);
}

/** The OpenMetrics output of `families`, family by family: its header, then a run of lines. */
function* openMetricsParts(families: Iterable<MetricFamily>): Generator<EncodedPart, void, undefined> {
  for (const family of families) {
    const name = family.name;
    yield openMetricsHeader(family);
    const columns = family.columns;
    if (columns !== undefined) {
      // Each series' labels are rendered once, for all its lines.
      const shared = columns.sharedLabels === undefined ? '' : renderLabelPairs(columns.sharedLabels);
      yield { count: columns.size, piece: (i) => openMetricsSeriesLines(name, columns, i, seriesLabelPairs(shared, columns.labels[i])) };
    } else {
      const exemplarName = exemplarSampleName(family);
      const samples = family.samples;
      yield { count: samples.length, piece: (i) => openMetricsSampleLine(samples[i], exemplarName) };
    }
  }
  yield EOF_LINE;
}

/**
 * Encodes families in OpenMetrics 1.0.0 text (`application/openmetrics-text; version=1.0.0`).
 *
 * Family names are written as the model holds them (a counter `c` is `# TYPE c counter`
 * with samples `c_total`, `c_created`); `# UNIT` only when the unit is set; HELP escapes
 * `\`, `"` and line feed. Exemplars are written only where the spec allows them (counter
 * `_total`, histogram and gauge histogram `_bucket` samples) and only when their labels
 * fit in 128 code points; others are dropped rather than making the exposition invalid.
 * Timestamps are seconds. The output ends with exactly one `# EOF`.
 *
 * @example
 * ```ts
 * encodeOpenMetrics([{ name: 'jobs', type: 'counter', help: 'Jobs.', unit: '', samples: [{ name: 'jobs_total', labels: {}, value: 3 }] }]);
 * // '# TYPE jobs counter\n# HELP jobs Jobs.\njobs_total 3.0\n# EOF\n'
 * ```
 */
export function encodeOpenMetrics(families: Iterable<MetricFamily>): string {
  let out = '';
  for (const chunk of encodeOpenMetricsChunks(families)) out += chunk;
  return out;
}
