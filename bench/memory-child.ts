/**
 * `node --expose-gc memory-child.js <promkit|prom_client|opentelemetry> <series> [histogram|counter|gauge] [three|unique] [maxSeries]`:
 * creates `series` labelled series of that kind, one recording each, in a fresh heap and
 * sends the retained heap bytes per series to the parent. The label shape is `three`
 * (default: three labels whose values repeat across series, as an application's routes and
 * status codes do) or `unique` (one label whose every value is new: the cardinality
 * bench's shape, where the value strings themselves are a good part of each series). A
 * `maxSeries` (promkit only) caps the metric, so that the label sets past it are folded.
 * A fresh process per measurement, so nothing from other workloads is collected (or kept)
 * in between. Before reporting, it reads the metrics back and checks every series is there.
 */
import client from 'prom-client';
import { Counter, DEFAULT_BUCKETS, encode, Gauge, Histogram, Registry } from '../src/index.js';
import { heapUsed } from './heap-usage.js';
import { countsFor, labelNames } from './labels.js';
import { OTEL_BUCKETS, openTelemetrySide } from './opentelemetry-sdk.js';
import { sampleCount } from './work-check.js';

/** Which instrument the series belong to. */
export type SeriesKind = 'histogram' | 'counter' | 'gauge';
/** The labels of the series (see the file's comment). */
export type LabelShape = 'three' | 'unique';

const [library, seriesArg, kindArg, shapeArg, maxSeriesArg] = process.argv.slice(2);
const series = Number(seriesArg);
const kind = (kindArg ?? 'histogram') as SeriesKind;
const shape = (shapeArg ?? 'three') as LabelShape;
const maxSeries = maxSeriesArg === undefined ? undefined : Number(maxSeriesArg);
if (maxSeries !== undefined && library !== 'promkit') throw new Error('memory child: maxSeries is a promkit option');

/** Records once into every label set of the shape. */
function eachSeries(record: (labels: Record<string, string>) => void): void {
  if (shape === 'unique') {
    for (let i = 0; i < series; i++) record({ user: `user-${i}` });
    return;
  }
  const [first, second, third] = countsFor(series);
  for (let a = 0; a < first; a++) for (let b = 0; b < second; b++) for (let c = 0; c < third; c++) record({ a: `a${a}`, b: `b${b}`, c: `c${c}` });
}

const names = shape === 'unique' ? ['user'] : labelNames(3);
const total = shape === 'unique' ? series : countsFor(series).reduce((p, c) => p * c, 1);
// Past a cap, the scrape holds the cap's series and the overflow one.
const exposed = maxSeries === undefined ? total : Math.min(total, maxSeries + 1);
if (maxSeries !== undefined) process.emitWarning = () => undefined;
const before = heapUsed();
let scrape: () => Promise<string>;
if (library === 'promkit') {
  const registry = new Registry();
  if (kind === 'histogram') {
    const histogram = new Histogram({ name: 'm', help: 'm', labelNames: names, buckets: DEFAULT_BUCKETS, maxSeries, registry });
    eachSeries((labels) => histogram.observe(labels, 1));
  } else if (kind === 'counter') {
    const counter = new Counter({ name: 'm', help: 'm', labelNames: names, maxSeries, registry });
    eachSeries((labels) => counter.inc(labels, 1));
  } else {
    const gauge = new Gauge({ name: 'm', help: 'm', labelNames: names, maxSeries, registry });
    eachSeries((labels) => gauge.set(labels, 1));
  }
  scrape = async () => encode((await registry.collect()).families, 'text');
} else if (library === 'prom_client') {
  const registry = new client.Registry();
  if (kind === 'histogram') {
    const histogram = new client.Histogram({ name: 'm', help: 'm', labelNames: names, buckets: DEFAULT_BUCKETS.filter(Number.isFinite), registers: [registry] });
    eachSeries((labels) => histogram.observe(labels, 1));
  } else if (kind === 'counter') {
    const counter = new client.Counter({ name: 'm', help: 'm', labelNames: names, registers: [registry] });
    eachSeries((labels) => counter.inc(labels, 1));
  } else {
    const gauge = new client.Gauge({ name: 'm', help: 'm', labelNames: names, registers: [registry] });
    eachSeries((labels) => gauge.set(labels, 1));
  }
  scrape = () => registry.metrics();
} else {
  const otel = openTelemetrySide();
  if (kind === 'histogram') {
    const histogram = otel.meter.createHistogram('m', { advice: { explicitBucketBoundaries: [...OTEL_BUCKETS] } });
    eachSeries((labels) => histogram.record(1, labels));
  } else if (kind === 'counter') {
    const counter = otel.meter.createCounter('m');
    eachSeries((labels) => counter.add(1, labels));
  } else {
    const gauge = otel.meter.createGauge('m');
    eachSeries((labels) => gauge.record(1, labels));
  }
  scrape = () => otel.scrape();
}
const after = heapUsed();
// Read back after measuring (a scrape allocates): every series must be there.
const text = await scrape();
const lines = sampleCount(text, kind === 'histogram' ? 'm_count' : kind === 'counter' ? (library === 'prom_client' ? 'm' : 'm_total') : 'm');
if (lines !== exposed) throw new Error(`${library} ${kind}: ${lines} series in the scrape, expected ${exposed}`);
process.send?.({ bytesPerSeries: (after - before) / total, series: total });
