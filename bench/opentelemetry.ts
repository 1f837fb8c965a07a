import { Counter, DEFAULT_BUCKETS, encode, Gauge, Histogram, Registry } from '../src/index.js';
import { measurePair, timeSlowPair, type Budget } from './harness.js';
import { labelCombinations, labelNames } from './labels.js';
import { measureHeap } from './memory.js';
import { OTEL_BUCKETS, openTelemetryRegistry, openTelemetrySide } from './opentelemetry-sdk.js';
import { countsForSeries, promkitRegistry } from './registries.js';
import type { Results } from './results.js';
import { expectWork, sampleCount, sampleSum } from './work-check.js';

const OBSERVATIONS = [0.003, 0.02, 0.07, 0.2, 0.6, 1.5, 4, 12];
const UNLABELLED_CALLS = 256;

async function promkitText(registry: Registry): Promise<string> {
  return encode((await registry.collect()).families, 'text');
}

/** Calls made by each side, counted in the workloads' loops and checked against the metrics afterwards. */
interface Calls {
  promkit: number;
  otel: number;
}

/**
 * promkit against OpenTelemetry's SDK (`@opentelemetry/sdk-metrics`) read by its
 * Prometheus exporter (`@opentelemetry/exporter-prometheus`), on every workload the SDK
 * has: counter, up-down counter (promkit's gauge `inc`), synchronous gauge (`set`),
 * histogram with attributes, serialization at 10k and 100k series (the exporter's
 * `collect()` + `PrometheusSerializer`, which is all its HTTP handler does; text only, its
 * one format), and heap per series. The SDK has no bound instruments and no summary.
 */
export async function benchOpenTelemetry(budget: Budget, results: Results): Promise<void> {
  console.log('\nOpenTelemetry SDK + Prometheus exporter');
  const combos = labelCombinations([8, 8, 3]);
  const n = combos.length;

  {
    const name = 'OTel: counter, no labels: inc() vs add(1)';
    const registry = new Registry();
    const pk = new Counter({ name: 'c', help: 'c', registry });
    const otel = openTelemetrySide();
    const oc = otel.meter.createCounter('c');
    const calls: Calls = { promkit: 0, otel: 0 };
    const ns = await measurePair(
      budget,
      { run: () => { for (let i = 0; i < UNLABELLED_CALLS; i++) pk.inc(); calls.promkit += UNLABELLED_CALLS; } },
      { run: () => { for (let i = 0; i < UNLABELLED_CALLS; i++) oc.add(1); calls.otel += UNLABELLED_CALLS; } },
    );
    expectWork(name, 'promkit c_total', sampleSum(await promkitText(registry), 'c_total'), calls.promkit);
    expectWork(name, 'OpenTelemetry c_total', sampleSum(await otel.scrape(), 'c_total'), calls.otel);
    results.throughput(name, ns, UNLABELLED_CALLS, 1, 'opentelemetry');
  }

  {
    const name = 'OTel: counter, 8x8x3 labels object: inc(labels, 1) vs add(1, attributes)';
    const registry = new Registry();
    const pk = new Counter({ name: 'c', help: 'c', labelNames: labelNames(3), registry });
    const otel = openTelemetrySide();
    const oc = otel.meter.createCounter('c');
    const calls: Calls = { promkit: 0, otel: 0 };
    const ns = await measurePair(
      budget,
      { run: () => { for (let i = 0; i < n; i++) pk.inc(combos[i], 1); calls.promkit += n; } },
      { run: () => { for (let i = 0; i < n; i++) oc.add(1, combos[i]); calls.otel += n; } },
    );
    expectWork(name, 'promkit c_total', sampleSum(await promkitText(registry), 'c_total'), calls.promkit);
    expectWork(name, 'OpenTelemetry c_total', sampleSum(await otel.scrape(), 'c_total'), calls.otel);
    results.throughput(name, ns, n, 1, 'opentelemetry');
  }

  {
    const name = 'OTel: up-down, 8x8x3 labels object: gauge.inc(labels, 1) vs upDownCounter.add(1, attributes)';
    const registry = new Registry();
    const pk = new Gauge({ name: 'g', help: 'g', labelNames: labelNames(3), registry });
    const otel = openTelemetrySide();
    const og = otel.meter.createUpDownCounter('g');
    const calls: Calls = { promkit: 0, otel: 0 };
    const ns = await measurePair(
      budget,
      { run: () => { for (let i = 0; i < n; i++) pk.inc(combos[i], 1); calls.promkit += n; } },
      { run: () => { for (let i = 0; i < n; i++) og.add(1, combos[i]); calls.otel += n; } },
    );
    expectWork(name, 'promkit g', sampleSum(await promkitText(registry), 'g'), calls.promkit);
    expectWork(name, 'OpenTelemetry g', sampleSum(await otel.scrape(), 'g'), calls.otel);
    results.throughput(name, ns, n, 1, 'opentelemetry');
  }

  {
    // Each call sets the next number: afterwards series i holds `calls - n + 1 + i`.
    const name = 'OTel: gauge, 8x8x3 labels object: set(labels, v) vs gauge.record(v, attributes)';
    const registry = new Registry();
    const pk = new Gauge({ name: 'g', help: 'g', labelNames: labelNames(3), registry });
    const otel = openTelemetrySide();
    const og = otel.meter.createGauge('g');
    const calls: Calls = { promkit: 0, otel: 0 };
    const ns = await measurePair(
      budget,
      { run: () => { for (let i = 0; i < n; i++) pk.set(combos[i], ++calls.promkit); } },
      { run: () => { for (let i = 0; i < n; i++) og.record(++calls.otel, combos[i]); } },
    );
    const lastRound = (total: number): number => n * total - (n * (n - 1)) / 2;
    expectWork(name, 'promkit sum of g', sampleSum(await promkitText(registry), 'g'), lastRound(calls.promkit));
    expectWork(name, 'OpenTelemetry sum of g', sampleSum(await otel.scrape(), 'g'), lastRound(calls.otel));
    results.throughput(name, ns, n, 1, 'opentelemetry');
  }

  for (const [shape, counts] of [['1x64', [64]], ['6x2', [2, 2, 2, 2, 2, 2]]] as const) {
    const name = `OTel: histogram, ${shape} labels object: observe(labels, v) vs record(v, attributes)`;
    const hCombos = labelCombinations(counts);
    const m = hCombos.length;
    const registry = new Registry();
    const pk = new Histogram({ name: 'h', help: 'h', labelNames: labelNames(counts.length), buckets: DEFAULT_BUCKETS, registry });
    const otel = openTelemetrySide();
    const oh = otel.meter.createHistogram('h', { advice: { explicitBucketBoundaries: [...OTEL_BUCKETS] } });
    const calls: Calls = { promkit: 0, otel: 0 };
    const ns = await measurePair(
      budget,
      { run: () => { for (let i = 0; i < m; i++) pk.observe(hCombos[i], OBSERVATIONS[i & 7]); calls.promkit += m; } },
      { run: () => { for (let i = 0; i < m; i++) oh.record(OBSERVATIONS[i & 7], hCombos[i]); calls.otel += m; } },
    );
    expectWork(name, 'promkit h_count', sampleSum(await promkitText(registry), 'h_count'), calls.promkit);
    expectWork(name, 'OpenTelemetry h_count', sampleSum(await otel.scrape(), 'h_count'), calls.otel);
    results.throughput(name, ns, m, 1, 'opentelemetry');
  }

  for (const series of [10_000, 100_000]) {
    let pk: Registry | undefined = promkitRegistry(countsForSeries(series));
    let otel: ReturnType<typeof openTelemetryRegistry> | undefined = openTelemetryRegistry(countsForSeries(series));
    const name = `OTel: serialize ${series / 1000}k series, text`;
    const pkRegistry = pk;
    const otelSide = otel;
    // The last body of each side, checked after the timing: same series, same values.
    let pkText = '';
    let otelText = '';
    // One OpenTelemetry scrape of 10k series takes most of a second: timed call by call;
    // the 10k pass warms both sides up for the 100k one.
    const samples = budget.quick ? 1 : series <= 10_000 ? 3 : 2;
    const ms = await timeSlowPair(samples, series <= 10_000 ? 1 : 0, async () => (pkText = await promkitText(pkRegistry)), async () => (otelText = await otelSide.scrape()));
    for (const sample of ['histogram_bucket', 'histogram_count', 'counter_total']) {
      expectWork(name, `OpenTelemetry ${sample} lines`, sampleCount(otelText, sample), sampleCount(pkText, sample));
      expectWork(name, `OpenTelemetry sum of ${sample}`, sampleSum(otelText, sample), sampleSum(pkText, sample));
    }
    if (sampleCount(pkText, 'histogram_count') !== series / 2) throw new Error(`${name}: promkit wrote ${sampleCount(pkText, 'histogram_count')} histogram series, expected ${series / 2}`);
    results.lower(`${name} (promkit ${(Buffer.byteLength(pkText) / 1e6).toFixed(1)} MB, OTel ${(Buffer.byteLength(otelText) / 1e6).toFixed(1)} MB)`, 'ms', ms, 1, 'opentelemetry');
    pk = undefined;
    otel = undefined;
    globalThis.gc?.();
  }

  for (const kind of ['histogram', 'counter', 'gauge'] as const) {
    const bytes = await measureHeap(1, kind, ['promkit', 'opentelemetry']);
    results.lower(`OTel: heap bytes per series, 100k labelled ${kind} series`, 'bytes', { promkit: bytes.promkit, prom_client: bytes.opentelemetry }, 1, 'opentelemetry');
  }
}
