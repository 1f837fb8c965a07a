import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from './binaries.js';
import { runPython } from './python-parser.js';

/** Debian's official metrics.proto (client_model 0.3.0: native histograms, no created_timestamp). */
export const METRICS_PROTO_DIR = '/usr/share/gocode/src/github.com/prometheus/client_model/io/prometheus/client';
/** Debian's google/protobuf/timestamp.proto, which metrics.proto imports. */
const TIMESTAMP_PROTO = '/usr/share/gocode/src/github.com/golang/protobuf/ptypes/timestamp/timestamp.proto';
/** Debian's protoc. */
export const PROTOC = '/usr/bin/protoc';

/** A sample normalised the same way on both sides: `le`/`quantile` and numbers as Python's repr of the float. */
export interface OracleSample {
  name: string;
  labels: Record<string, string>;
  value: string;
  timestamp: string | null;
  exemplar: { labels: Record<string, string>; value: string; timestamp: string | null } | null;
}

/** One family as the oracle saw it. */
export interface OracleFamily {
  /** For a protobuf family its name; for an OpenMetrics family the protobuf name it should have. */
  name: string;
  /** A `MetricType` name (`COUNTER`...); for an OpenMetrics family the one it should have. */
  type: string;
  help: string;
  samples: OracleSample[];
}

/** One native histogram series, decoded: buckets as `[index, count]` with absolute counts. */
export interface DecodedNative {
  labels: Record<string, string>;
  schema: number;
  zeroThreshold: number;
  zeroCount: number;
  count: number;
  sum: number;
  positive: [number, number][];
  negative: [number, number][];
  exemplars: number;
}

/** What the oracle made of one (protobuf, OpenMetrics) pair of the same registry. */
export interface OracleResult {
  protobuf: OracleFamily[];
  openmetrics: OracleFamily[];
  native: DecodedNative[];
  /** Family names with the `unit` field (5, unknown to client_model 0.3.0) and its value. */
  units: Record<string, string>;
}

const SCRIPT = String.raw`
import sys, json, base64, math
sys.path.insert(0, sys.argv[1])
import metrics_pb2
from google.protobuf.internal.decoder import _DecodeVarint32
from google.protobuf import timestamp_pb2
from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse_om

def num(v):
    return repr(float(v))

def tsnum(t, digits):
    return None if t is None else repr(round(float(t), digits))

def stamp(ts):
    return ts.seconds + ts.nanos / 1e9

def unknown_stamp(msg, field):
    for f in msg.UnknownFields():
        if f.field_number == field and f.wire_type == 2:
            t = timestamp_pb2.Timestamp()
            t.ParseFromString(f.data)
            return stamp(t)
    return None

def norm_labels(labels):
    out = {}
    for k, v in labels.items():
        out[k] = repr(float(v)) if k in ('le', 'quantile') else v
    return out

def exemplar_pb(e):
    if e is None or not e.ByteSize():
        return None
    return {'labels': {l.name: l.value for l in e.label}, 'value': num(e.value), 'timestamp': tsnum(stamp(e.timestamp), 6) if e.HasField('timestamp') else None}

def exemplar_om(e):
    if e is None:
        return None
    return {'labels': dict(e.labels), 'value': num(e.value), 'timestamp': None if e.timestamp is None else tsnum(float(e.timestamp), 6)}

def sample(name, labels, value, ts=None, ex=None):
    return {'name': name, 'labels': norm_labels(labels), 'value': num(value), 'timestamp': ts, 'exemplar': ex}

TYPE_NAMES = {v: k for k, v in metrics_pb2.MetricType.items()}

def decode(body):
    fams, natives, units = [], [], {}
    pos = 0
    while pos < len(body):
        size, pos = _DecodeVarint32(body, pos)
        mf = metrics_pb2.MetricFamily()
        mf.ParseFromString(body[pos:pos + size])
        pos += size
        for f in mf.UnknownFields():
            if f.field_number == 5:
                units[mf.name] = f.data.decode('utf-8')
        t = TYPE_NAMES[mf.type]
        n = mf.name
        out = []
        for m in mf.metric:
            labels = {l.name: l.value for l in m.label}
            ts = tsnum(m.timestamp_ms / 1000, 3) if m.HasField('timestamp_ms') else None
            if t == 'COUNTER':
                out.append(sample(n, labels, m.counter.value, ts, exemplar_pb(m.counter.exemplar) if m.counter.HasField('exemplar') else None))
                c = unknown_stamp(m.counter, 3)
                if c is not None:
                    out.append(sample(n[:-len('_total')] + '_created', labels, c, ts))
            elif t in ('GAUGE', 'UNTYPED'):
                out.append(sample(n, labels, (m.gauge if t == 'GAUGE' else m.untyped).value, ts))
            elif t == 'SUMMARY':
                s = m.summary
                for q in s.quantile:
                    out.append(sample(n, dict(labels, quantile=str(q.quantile)), q.value, ts))
                if s.HasField('sample_count'):
                    out.append(sample(n + '_count', labels, s.sample_count, ts))
                if s.HasField('sample_sum'):
                    out.append(sample(n + '_sum', labels, s.sample_sum, ts))
                c = unknown_stamp(s, 4)
                if c is not None:
                    out.append(sample(n + '_created', labels, c, ts))
            else:
                h = m.histogram
                gauge = t == 'GAUGE_HISTOGRAM'
                for b in h.bucket:
                    out.append(sample(n + '_bucket', dict(labels, le=str(b.upper_bound)), b.cumulative_count, ts, exemplar_pb(b.exemplar) if b.HasField('exemplar') else None))
                if h.HasField('sample_count'):
                    out.append(sample(n + ('_gcount' if gauge else '_count'), labels, h.sample_count, ts))
                if h.HasField('sample_sum'):
                    out.append(sample(n + ('_gsum' if gauge else '_sum'), labels, h.sample_sum, ts))
                c = unknown_stamp(h, 15)
                if c is not None:
                    out.append(sample(n + '_created', labels, c, ts))
                if len(h.positive_span) or len(h.negative_span) or h.zero_threshold > 0 or h.zero_count > 0:
                    def expand(spans, deltas):
                        res, index, count, k = [], 0, 0, 0
                        for i, span in enumerate(spans):
                            index += span.offset
                            for _ in range(span.length):
                                count += deltas[k]
                                k += 1
                                res.append([index, count])
                                index += 1
                        return res
                    natives.append({'labels': labels, 'schema': h.schema, 'zeroThreshold': h.zero_threshold, 'zeroCount': h.zero_count,
                                    'count': h.sample_count, 'sum': h.sample_sum,
                                    'positive': expand(h.positive_span, h.positive_delta), 'negative': expand(h.negative_span, h.negative_delta),
                                    'exemplars': sum(1 for f in h.UnknownFields() if f.field_number == 16) + len(getattr(h, 'exemplars', []))})
        fams.append({'name': n, 'type': t, 'help': mf.help, 'samples': out})
    return fams, natives, units

PROTO_TYPE = {'counter': 'COUNTER', 'gauge': 'GAUGE', 'summary': 'SUMMARY', 'unknown': 'UNTYPED', 'histogram': 'HISTOGRAM',
              'gaugehistogram': 'GAUGE_HISTOGRAM', 'info': 'GAUGE', 'stateset': 'GAUGE'}

def openmetrics(text):
    fams = []
    for f in parse_om(text):
        name = f.name + '_total' if f.type == 'counter' else f.name + '_info' if f.type == 'info' else f.name
        samples = []
        for s in f.samples:
            samples.append(sample(s.name, s.labels, s.value, tsnum(s.timestamp, 3) if s.timestamp is not None else None, exemplar_om(s.exemplar)))
        fams.append({'name': name, 'type': PROTO_TYPE[f.type], 'help': f.documentation, 'samples': samples})
    return fams

result = []
for doc in json.load(sys.stdin):
    fams, natives, units = decode(base64.b64decode(doc['protobuf']))
    result.append({'protobuf': fams, 'openmetrics': openmetrics(doc['openmetrics']), 'native': natives, 'units': units})
json.dump(result, sys.stdout)
`;

/**
 * Compiles the official metrics.proto for Python (protoc) into one directory per user,
 * reused by later runs; returns it. Compiled beside it and renamed into place, so that
 * test workers compiling at once never see a half-written module.
 */
function compiledProto(): string {
  const target = join(tmpdir(), `promkit-metrics-proto-${process.getuid?.() ?? 'user'}`);
  if (existsSync(join(target, 'metrics_pb2.py'))) return target;
  const dir = mkdtempSync(join(tmpdir(), 'promkit-proto-'));
  mkdirSync(join(dir, 'google', 'protobuf'), { recursive: true });
  symlinkSync(TIMESTAMP_PROTO, join(dir, 'google', 'protobuf', 'timestamp.proto'));
  const run = spawnSync(PROTOC, [`-I${dir}`, `-I${METRICS_PROTO_DIR}`, `--python_out=${dir}`, 'metrics.proto'], { encoding: 'utf8' });
  if (run.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`protoc failed: ${run.stderr}`);
  }
  try {
    renameSync(dir, target);
  } catch {
    // Another worker got there first: its copy is the same.
    rmSync(dir, { recursive: true, force: true });
  }
  return target;
}

/**
 * Decodes protobuf bodies with Debian's python3-protobuf and the official metrics.proto
 * (compiled by protoc), parses the OpenMetrics text of the same registry with
 * python3-prometheus-client, and hands back both normalised to OpenMetrics-style samples,
 * in one Python process for all pairs.
 */
export function decodeWithOracle(pairs: readonly { protobuf: Uint8Array; openmetrics: string }[]): Promise<OracleResult[]> {
  const dir = compiledProto();
  return runPython<OracleResult[]>(SCRIPT, pairs.map((p) => ({ protobuf: Buffer.from(p.protobuf).toString('base64'), openmetrics: p.openmetrics })), [dir]);
}

/** `protoc --decode_raw` of one delimited message (the first of `body`): the fields as protoc sees them, by number. */
export function decodeRaw(body: Uint8Array): string {
  let size = 0;
  let shift = 0;
  let at = 0;
  for (;;) {
    const byte = body[at++];
    size += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) break;
  }
  const run = spawnSync(PROTOC, ['--decode_raw'], { input: Buffer.from(body.subarray(at, at + size)), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`protoc --decode_raw failed: ${run.stderr}`);
  return run.stdout;
}

/** The binaries the oracle needs. */
export const PROTOBUF_ORACLE_BINARIES: readonly string[] = [BIN.python3, PROTOC];
