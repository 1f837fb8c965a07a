import type { Exemplar, LabelSet, MetricFamily, MetricType, NativeBucketSpan, NativeHistogram, Sample, SeriesColumns } from '../model/index.js';
import { columnValue, offsetInPage, pageOf } from '../model/index.js';
import { DEFAULT_CHUNK_SIZE } from './chunk-size.js';
import { ProtobufWriter, writeTimestamp } from './protobuf-writer.js';

/**
 * `io.prometheus.client.MetricType` of each OpenMetrics type. Info and stateset have no
 * protobuf type: like client_python's protobuf-less mapping to 0.0.4, they become gauges
 * (`x_info` with value 1; one gauge per state, labelled with the stateset's name). Unknown
 * is untyped.
 */
const PROTO_TYPE: Readonly<Record<MetricType, number>> = {
  counter: 0,
  gauge: 1,
  summary: 2,
  unknown: 3,
  histogram: 4,
  gaugehistogram: 5,
  info: 1,
  stateset: 1,
};

// Field numbers of prometheus/client_model's metrics.proto.
const FAMILY_NAME = 1;
const FAMILY_HELP = 2;
const FAMILY_TYPE = 3;
const FAMILY_METRIC = 4;
const FAMILY_UNIT = 5;
const METRIC_LABEL = 1;
const METRIC_GAUGE = 2;
const METRIC_COUNTER = 3;
const METRIC_SUMMARY = 4;
const METRIC_UNTYPED = 5;
const METRIC_TIMESTAMP_MS = 6;
const METRIC_HISTOGRAM = 7;
const COUNTER_EXEMPLAR = 2;
const COUNTER_CREATED = 3;
const SUMMARY_COUNT = 1;
const SUMMARY_SUM = 2;
const SUMMARY_QUANTILE = 3;
const SUMMARY_CREATED = 4;
const HISTOGRAM_COUNT = 1;
const HISTOGRAM_SUM = 2;
const HISTOGRAM_BUCKET = 3;
const HISTOGRAM_SCHEMA = 5;
const HISTOGRAM_ZERO_THRESHOLD = 6;
const HISTOGRAM_ZERO_COUNT = 7;
const HISTOGRAM_NEGATIVE_SPAN = 9;
const HISTOGRAM_NEGATIVE_DELTA = 10;
const HISTOGRAM_POSITIVE_SPAN = 12;
const HISTOGRAM_POSITIVE_DELTA = 13;
const HISTOGRAM_CREATED = 15;
const HISTOGRAM_EXEMPLARS = 16;
const BUCKET_COUNT = 1;
const BUCKET_UPPER_BOUND = 2;
const BUCKET_EXEMPLAR = 3;

/** The name a family has in protobuf: the name of its value series (`x_total`, `x_info`), as Prometheus's protobuf parser reads it. */
function protoName(family: MetricFamily): string {
  if (family.type === 'counter') return `${family.name}_total`;
  if (family.type === 'info') return `${family.name}_info`;
  return family.name;
}

function writeLabels(writer: ProtobufWriter, labels: LabelSet, skip: string | undefined): void {
  for (const key in labels) {
    if (key === skip) continue;
    writer.begin(METRIC_LABEL);
    writer.string(1, key);
    writer.string(2, labels[key]);
    writer.end();
  }
}

function writeExemplar(writer: ProtobufWriter, field: number, exemplar: Exemplar): void {
  writer.begin(field);
  writeLabels(writer, exemplar.labels, undefined);
  writer.double(2, exemplar.value);
  if (exemplar.timestamp !== undefined && exemplar.timestamp !== null) writeTimestamp(writer, 3, exemplar.timestamp);
  writer.end();
}

function writeSpans(writer: ProtobufWriter, field: number, spans: readonly NativeBucketSpan[]): void {
  for (const span of spans) {
    writer.begin(field);
    if (span.offset !== 0) writer.sintField(1, span.offset);
    if (span.length !== 0) writer.uint(2, span.length);
    writer.end();
  }
}

/** Bucket counts as the deltas the format wants, packed. */
function writeDeltas(writer: ProtobufWriter, field: number, counts: readonly number[]): void {
  if (counts.length === 0) return;
  writer.begin(field);
  let previous = 0;
  for (const count of counts) {
    writer.sint(count - previous);
    previous = count;
  }
  writer.end();
}

/** The native fields of a `Histogram` message. */
function writeNative(writer: ProtobufWriter, native: NativeHistogram): void {
  writer.sintField(HISTOGRAM_SCHEMA, native.schema);
  writer.double(HISTOGRAM_ZERO_THRESHOLD, native.zeroThreshold);
  writer.uint(HISTOGRAM_ZERO_COUNT, native.zeroCount);
  writeSpans(writer, HISTOGRAM_NEGATIVE_SPAN, native.negativeSpans);
  writeDeltas(writer, HISTOGRAM_NEGATIVE_DELTA, native.negativeCounts);
  if (native.positiveSpans.length === 0 && native.negativeSpans.length === 0 && native.zeroThreshold === 0 && native.zeroCount === 0) {
    // Nothing would tell a parser this is a native histogram: an empty span does (client_golang's way).
    writer.begin(HISTOGRAM_POSITIVE_SPAN);
    writer.end();
  }
  writeSpans(writer, HISTOGRAM_POSITIVE_SPAN, native.positiveSpans);
  writeDeltas(writer, HISTOGRAM_POSITIVE_DELTA, native.positiveCounts);
  const exemplars = native.exemplars;
  if (exemplars !== undefined) for (const exemplar of exemplars) writeExemplar(writer, HISTOGRAM_EXEMPLARS, exemplar);
}

/** One series of an instrument's family, from its columns. */
function writeColumnSeries(writer: ProtobufWriter, type: MetricType, columns: SeriesColumns, i: number, upperBounds: readonly number[]): void {
  writer.begin(FAMILY_METRIC);
  if (columns.sharedLabels !== undefined) writeLabels(writer, columns.sharedLabels, undefined);
  writeLabels(writer, columns.labels[i], undefined);
  const created = columns.created;
  const exemplars = columns.exemplars;
  if (columns.kind === 'gauge') {
    writer.begin(type === 'unknown' ? METRIC_UNTYPED : METRIC_GAUGE);
    writer.double(1, columnValue(columns.values, i));
    writer.end();
  } else if (columns.kind === 'counter') {
    writer.begin(METRIC_COUNTER);
    writer.double(1, columnValue(columns.values, i));
    const exemplar = exemplars === undefined ? undefined : (exemplars[i] as Exemplar | undefined);
    if (exemplar !== undefined) writeExemplar(writer, COUNTER_EXEMPLAR, exemplar);
    if (created !== undefined) writeTimestamp(writer, COUNTER_CREATED, columnValue(created, i));
    writer.end();
  } else {
    const values = pageOf(columns.values, i);
    const offset = offsetInPage(i, columns.stride);
    const n = upperBounds.length;
    writer.begin(METRIC_HISTOGRAM);
    writer.uint(HISTOGRAM_COUNT, values[offset + n]);
    writer.double(HISTOGRAM_SUM, values[offset + n + 1]);
    const bucketExemplars = exemplars === undefined ? undefined : (exemplars[i] as readonly (Exemplar | undefined)[] | undefined);
    for (let b = 0; b < n; b++) {
      writer.begin(HISTOGRAM_BUCKET);
      writer.uint(BUCKET_COUNT, values[offset + b]);
      writer.double(BUCKET_UPPER_BOUND, upperBounds[b]);
      const exemplar = bucketExemplars === undefined ? undefined : bucketExemplars[b];
      if (exemplar !== undefined) writeExemplar(writer, BUCKET_EXEMPLAR, exemplar);
      writer.end();
    }
    if (created !== undefined) writeTimestamp(writer, HISTOGRAM_CREATED, columnValue(created, i));
    if (columns.native !== undefined) writeNative(writer, columns.native[i]);
    writer.end();
  }
  writer.end();
}

/** Whether `a` and `b` carry the same labels, leaving out `skip` (`le`, `quantile`). */
function sameSeries(a: LabelSet, b: LabelSet, skip: string | undefined): boolean {
  let count = 0;
  for (const key in a) {
    if (key === skip) continue;
    if (b[key] !== a[key]) return false;
    count++;
  }
  for (const key in b) if (key !== skip) count--;
  return count === 0;
}

/** A key of a series' labels (order-free), to find its native part. */
function seriesKey(labels: LabelSet): string {
  return JSON.stringify(Object.keys(labels).sort().map((key) => [key, labels[key]]));
}

/** One series of a family given as samples: `samples[start..end)`, checked and grouped by the validator's rules. */
function writeSampleSeries(writer: ProtobufWriter, family: MetricFamily, samples: readonly Sample[], start: number, end: number, native: NativeHistogram | undefined): void {
  const type = family.type;
  const name = family.name;
  const first = samples[start];
  const skip = type === 'summary' ? 'quantile' : type === 'histogram' || type === 'gaugehistogram' ? 'le' : undefined;
  writer.begin(FAMILY_METRIC);
  writeLabels(writer, first.labels, skip);
  switch (type) {
    case 'counter': {
      writer.begin(METRIC_COUNTER);
      for (let i = start; i < end; i++) {
        const sample = samples[i];
        if (sample.name === `${name}_created`) writeTimestamp(writer, COUNTER_CREATED, sample.value);
        else {
          writer.double(1, sample.value);
          if (sample.exemplar !== undefined && sample.exemplar !== null) writeExemplar(writer, COUNTER_EXEMPLAR, sample.exemplar);
        }
      }
      writer.end();
      break;
    }
    case 'summary': {
      writer.begin(METRIC_SUMMARY);
      let created: number | undefined;
      for (let i = start; i < end; i++) {
        const sample = samples[i];
        if (sample.name === name) {
          writer.begin(SUMMARY_QUANTILE);
          writer.double(1, Number(sample.labels.quantile));
          writer.double(2, sample.value);
          writer.end();
        } else if (sample.name === `${name}_count`) writer.uint(SUMMARY_COUNT, sample.value);
        else if (sample.name === `${name}_sum`) writer.double(SUMMARY_SUM, sample.value);
        else created = sample.value;
      }
      if (created !== undefined) writeTimestamp(writer, SUMMARY_CREATED, created);
      writer.end();
      break;
    }
    case 'histogram':
    case 'gaugehistogram': {
      writer.begin(METRIC_HISTOGRAM);
      let count: number | undefined;
      let created: number | undefined;
      for (let i = start; i < end; i++) {
        const sample = samples[i];
        const suffix = sample.name.slice(name.length);
        if (suffix === '_bucket') {
          const bound = upperBoundOf(sample.labels.le);
          if (bound === Infinity) count ??= sample.value;
          writer.begin(HISTOGRAM_BUCKET);
          writer.uint(BUCKET_COUNT, sample.value);
          writer.double(BUCKET_UPPER_BOUND, bound);
          if (sample.exemplar !== undefined && sample.exemplar !== null) writeExemplar(writer, BUCKET_EXEMPLAR, sample.exemplar);
          writer.end();
        } else if (suffix === '_count' || suffix === '_gcount') count = sample.value;
        else if (suffix === '_sum' || suffix === '_gsum') writer.double(HISTOGRAM_SUM, sample.value);
        else created = sample.value;
      }
      if (count !== undefined) writer.uint(HISTOGRAM_COUNT, count);
      if (native !== undefined) {
        // A native part without a classic `_sum` (negative observations) still has its sum.
        if (!samples.slice(start, end).some((s) => s.name === `${name}_sum`)) writer.double(HISTOGRAM_SUM, native.sum);
        writeNative(writer, native);
      }
      if (created !== undefined) writeTimestamp(writer, HISTOGRAM_CREATED, created);
      writer.end();
      break;
    }
    default:
      writer.begin(type === 'unknown' ? METRIC_UNTYPED : METRIC_GAUGE);
      writer.double(1, first.value);
      writer.end();
  }
  if (first.timestamp !== undefined && first.timestamp !== null) writer.int64Field(METRIC_TIMESTAMP_MS, Math.round(first.timestamp * 1000));
  writer.end();
}

/** Every series of a family given as samples (one `Metric` per series; per state for a stateset, per sample for gauge-like types). */
function writeSamples(writer: ProtobufWriter, family: MetricFamily): void {
  const samples = family.samples;
  const type = family.type;
  const grouped = type === 'counter' || type === 'summary' || type === 'histogram' || type === 'gaugehistogram';
  const skip = type === 'summary' ? 'quantile' : grouped && type !== 'counter' ? 'le' : undefined;
  let natives: Map<string, NativeHistogram> | undefined;
  if (family.nativeHistograms !== undefined && family.nativeHistograms.length > 0) {
    natives = new Map(family.nativeHistograms.map((n) => [seriesKey(n.labels), n.histogram]));
  }
  let start = 0;
  while (start < samples.length) {
    let end = start + 1;
    if (grouped) while (end < samples.length && sameSeries(samples[start].labels, samples[end].labels, skip)) end++;
    const native = natives === undefined ? undefined : natives.get(seriesKey(withoutLabel(samples[start].labels, skip)));
    writeSampleSeries(writer, family, samples, start, end, native);
    start = end;
  }
}

function withoutLabel(labels: LabelSet, skip: string | undefined): LabelSet {
  if (skip === undefined || !(skip in labels)) return labels;
  const copy: Record<string, string> = { ...labels };
  delete copy[skip];
  return copy;
}

/** An `le` value as a number (`Number` does not read `+Inf`). */
function upperBoundOf(le: string): number {
  return le === '+Inf' ? Infinity : Number(le);
}

function writeFamily(writer: ProtobufWriter, family: MetricFamily): void {
  writer.begin();
  writer.string(FAMILY_NAME, protoName(family));
  if (family.help !== '') writer.string(FAMILY_HELP, family.help);
  writer.uint(FAMILY_TYPE, PROTO_TYPE[family.type]);
  const columns = family.columns;
  if (columns !== undefined) {
    const upperBounds = columns.le.map(upperBoundOf);
    for (let i = 0; i < columns.size; i++) writeColumnSeries(writer, family.type, columns, i, upperBounds);
  } else {
    writeSamples(writer, family);
  }
  if (family.unit !== '' && family.unit !== undefined) writer.string(FAMILY_UNIT, family.unit);
  writer.end();
}

/**
 * Encodes families in the protobuf exposition
 * (`application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited`):
 * each family a `MetricFamily` message of prometheus/client_model's `metrics.proto`,
 * preceded by its length as a varint. Yields pieces of at least `chunkSize` bytes (the
 * last may be shorter), each ending at a family's end.
 *
 * What goes where: a counter `x` is the family `x_total` with its exemplar and created
 * timestamp; a histogram carries its classic buckets (with exemplars), count, sum,
 * created timestamp and, when it has them, its native buckets (schema, zero bucket,
 * spans and deltas, exemplars); a gauge histogram is `GAUGE_HISTOGRAM`; a summary its
 * quantiles, count, sum and created timestamp; info `x` the gauge `x_info`; a stateset
 * one gauge per state; unknown untyped. A sample timestamp becomes `timestamp_ms`.
 */
export function* encodeProtobufChunks(families: Iterable<MetricFamily>, chunkSize: number = DEFAULT_CHUNK_SIZE): Generator<Uint8Array, void, undefined> {
  const writer = new ProtobufWriter(Math.max(1024, Math.min(chunkSize * 2, 1 << 20)));
  for (const family of families) {
    writeFamily(writer, family);
    if (writer.position >= chunkSize) yield writer.take();
  }
  if (writer.position > 0) yield writer.take();
}

/**
 * Encodes families in the protobuf exposition, as one byte array (see
 * {@link encodeProtobufChunks}).
 *
 * @example
 * ```ts
 * const body = encodeProtobuf(await registry.collect().then((r) => r.families));
 * ```
 */
export function encodeProtobuf(families: Iterable<MetricFamily>): Uint8Array {
  const pieces = [...encodeProtobufChunks(families)];
  if (pieces.length === 1) return pieces[0];
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}
