/**
 * `node --expose-gc memory-child.js <promkit|prom_client> <series>`: creates `series`
 * labelled histogram series (three labels, one observation each) in a fresh heap and sends
 * the retained heap bytes per series to the parent. A fresh process per measurement, so
 * nothing from other workloads is collected (or kept) in between.
 */
import client from 'prom-client';
import { DEFAULT_BUCKETS, Histogram, Registry } from '../src/index.js';
import { countsFor, labelNames } from './labels.js';

const [library, seriesArg] = process.argv.slice(2);
const series = Number(seriesArg);
const gc = globalThis.gc;
if (gc === undefined) throw new Error('run with --expose-gc');

/**
 * JS heap plus ArrayBuffer memory: typed arrays larger than 64 bytes keep their contents
 * outside the V8 heap, and a histogram's bucket counts must count wherever they live.
 */
function heapUsed(): number {
  for (let i = 0; i < 3; i++) gc!();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

const names = labelNames(3);
const [first, second, third] = countsFor(series);
const before = heapUsed();
let keep: unknown;
if (library === 'promkit') {
  const registry = new Registry();
  const histogram = new Histogram({ name: 'h', help: 'h', labelNames: names, buckets: DEFAULT_BUCKETS, registry });
  for (let a = 0; a < first; a++) for (let b = 0; b < second; b++) for (let c = 0; c < third; c++) histogram.observe({ a: `a${a}`, b: `b${b}`, c: `c${c}` }, 1);
  keep = registry;
} else {
  const registry = new client.Registry();
  const histogram = new client.Histogram({ name: 'h', help: 'h', labelNames: names, buckets: DEFAULT_BUCKETS.filter(Number.isFinite), registers: [registry] });
  for (let a = 0; a < first; a++) for (let b = 0; b < second; b++) for (let c = 0; c < third; c++) histogram.observe({ a: `a${a}`, b: `b${b}`, c: `c${c}` }, 1);
  keep = registry;
}
const after = heapUsed();
process.send?.({ bytesPerSeries: (after - before) / (first * second * third), series: first * second * third, kept: keep !== undefined });
