import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create, createFileRegistry, fromBinary, toJson, type DescMessage } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { sizeDelimitedDecodeStream, sizeDelimitedEncode } from '@bufbuild/protobuf/wire';
import { columnValue, encode, encodeProtobuf, Histogram, offsetInPage, pageOf, Registry, type MetricFamily } from '../src/index.js';
import { measurePair, type Budget } from './harness.js';
import { countsForSeries, promkitRegistry } from './registries.js';
import type { Results } from './results.js';

/** Observed values cycled through by the observe workloads: latencies from 1 ms to 12 s. */
const OBSERVATIONS = [0.003, 0.02, 0.07, 0.2, 0.6, 1.5, 4, 12, 0.001, 0.045, 0.33, 2.2];
const CALLS = 256;

/** The official metrics.proto (Debian's client_model 0.3.0), as a runtime schema for @bufbuild/protobuf, compiled by protoc. */
function metricFamilySchema(): DescMessage {
  const dir = mkdtempSync(join(tmpdir(), 'promkit-bench-proto-'));
  try {
    const out = join(dir, 'metrics.pb');
    // metrics.proto imports google/protobuf/timestamp.proto; Debian ships it with the Go sources.
    mkdirSync(join(dir, 'google', 'protobuf'), { recursive: true });
    symlinkSync('/usr/share/gocode/src/github.com/golang/protobuf/ptypes/timestamp/timestamp.proto', join(dir, 'google', 'protobuf', 'timestamp.proto'));
    const run = spawnSync(
      'protoc',
      [`-I${dir}`, '-I/usr/share/gocode/src/github.com/prometheus/client_model', '--include_imports', `--descriptor_set_out=${out}`, 'io/prometheus/client/metrics.proto'],
      { encoding: 'utf8' },
    );
    if (run.status !== 0) throw new Error(`protoc failed: ${run.stderr}`);
    const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, readFileSync(out)));
    const schema = registry.getMessage('io.prometheus.client.MetricFamily');
    if (schema === undefined) throw new Error('metrics.proto has no MetricFamily');
    return schema;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const TYPE: Readonly<Record<string, number>> = { counter: 0, gauge: 1, summary: 2, unknown: 3, histogram: 4, gaugehistogram: 5 };

/**
 * What a library with generated code does: one message object per family, series, label
 * and bucket, then its serializer. Written for the instruments' columns (counters and
 * histograms), the bench registry's two families.
 */
function encodeWithBufbuild(schema: DescMessage, families: readonly MetricFamily[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const family of families) {
    const columns = family.columns;
    if (columns === undefined) continue;
    const metric: object[] = [];
    const bounds = columns.le.map((le) => (le === '+Inf' ? Infinity : Number(le)));
    for (let i = 0; i < columns.size; i++) {
      const labels = columns.labels[i];
      const label = Object.keys(labels).map((name) => ({ name, value: labels[name] }));
      if (columns.kind === 'counter') {
        metric.push({ label, counter: { value: columnValue(columns.values, i) } });
      } else {
        const values = pageOf(columns.values, i);
        const offset = offsetInPage(i, columns.stride);
        const n = bounds.length;
        const bucket = bounds.map((upperBound, b) => ({ cumulativeCount: BigInt(values[offset + b]), upperBound }));
        metric.push({ label, histogram: { sampleCount: BigInt(values[offset + n]), sampleSum: values[offset + n + 1], bucket } });
      }
    }
    const name = family.type === 'counter' ? `${family.name}_total` : family.name;
    // The init shape of a runtime schema is not known to the type checker.
    const message = create(schema, { name, help: family.help, type: TYPE[family.type], metric } as never);
    parts.push(sizeDelimitedEncode(schema, message));
  }
  return Buffer.concat(parts);
}

/** The two encodings carry the same messages: both decoded by @bufbuild/protobuf, compared as JSON. */
async function checkSameMessages(schema: DescMessage, a: Uint8Array, b: Uint8Array): Promise<void> {
  const decode = async (bytes: Uint8Array): Promise<string[]> => {
    const out: string[] = [];
    for await (const message of sizeDelimitedDecodeStream(schema, (async function* () {
      yield bytes;
    })())) out.push(JSON.stringify(toJson(schema, message)));
    return out;
  };
  const [x, y] = await Promise.all([decode(a), decode(b)]);
  if (x.length !== y.length || x.some((m, i) => m !== y[i])) throw new Error('the hand-written encoder and @bufbuild/protobuf do not write the same messages');
}

/**
 * Native histograms and the protobuf exposition, promkit against itself (the table's
 * "prom-client" column holds the baseline named in each row):
 * - a native `observe` against a classic one (target: at most 1.5x the cost);
 * - encoding 10k series as protobuf against text 0.0.4;
 * - the hand-written protobuf encoder against @bufbuild/protobuf with metrics.proto.
 */
export async function benchProtobuf(budget: Budget, results: Results): Promise<void> {
  console.log('\nnative histograms and protobuf');

  {
    const registry = new Registry();
    const classic = new Histogram({ name: 'classic_seconds', help: 'h', registry }).labels();
    const native = new Histogram({ name: 'native_seconds', help: 'h', native: true, registry }).labels();
    const both = new Histogram({ name: 'both_seconds', help: 'h', native: true, buckets: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10], registry }).labels();
    const run = (child: { observe(v: number): void }) => () => {
      for (let i = 0; i < CALLS; i++) child.observe(OBSERVATIONS[i % OBSERVATIONS.length]);
    };
    const nativeNs = await measurePair(budget, { run: run(native) }, { run: run(classic) });
    results.throughput('native-only observe (bound child) [baseline: classic, default buckets]', nativeNs, CALLS, 0.67);
    const bothNs = await measurePair(budget, { run: run(both) }, { run: run(classic) });
    results.throughput('native + classic observe (bound child) [baseline: classic only]', bothNs, CALLS, 0.67);
  }

  const registry = promkitRegistry(countsForSeries(10_000));
  const collect = async (): Promise<readonly MetricFamily[]> => (await registry.collect()).families;
  const families = await collect();
  const protobufBytes = encodeProtobuf(families).length;
  const textBytes = Buffer.byteLength(encode(families, 'text'));
  {
    const ns = await measurePair(budget, { run: async () => encodeProtobuf(await collect()) }, { run: async () => encode(await collect(), 'text') }, Math.min(budget.rounds, 3), budget.cpuTimeNs * 2);
    results.lower(`collect + encode 10k series: protobuf (${(protobufBytes / 1e6).toFixed(1)} MB) [baseline: text 0.0.4, ${(textBytes / 1e6).toFixed(1)} MB]`, 'ms', { promkit: ns.promkit / 1e6, prom_client: ns.prom_client / 1e6 });
  }
  {
    const schema = metricFamilySchema();
    await checkSameMessages(schema, encodeProtobuf(families), encodeWithBufbuild(schema, families));
    const ns = await measurePair(budget, { run: async () => encodeProtobuf(await collect()) }, { run: async () => encodeWithBufbuild(schema, await collect()) }, Math.min(budget.rounds, 3), budget.cpuTimeNs * 2);
    results.lower('collect + encode 10k series as protobuf: hand-written [baseline: @bufbuild/protobuf 2, metrics.proto]', 'ms', { promkit: ns.promkit / 1e6, prom_client: ns.prom_client / 1e6 });
  }
}
