/**
 * `node --expose-gc scale-child.js <series>`: in a fresh process, builds the benchmark
 * registry (registries.ts: half histogram, half counter series, each recorded once) of
 * `series` series, timing the recording and measuring the heap it keeps; then serves it
 * with `startHttpServer` on 127.0.0.1 and measures its own event loop between the
 * parent's `start` and `stop` (the parent scrapes, so the loop under test is the server's alone).
 */
import { startHttpServer } from '../src/index.js';
import { heapUsed } from './heap-usage.js';
import { answerDelayCommands, type DelayReport } from './loop-delay-child.js';
import { countsForSeries, promkitRegistry } from './registries.js';

/** Messages to the parent. */
export type ScaleReport =
  | { readonly type: 'ready'; readonly url: string; readonly series: number; readonly recordMs: number; readonly heapBytesPerSeries: number }
  | DelayReport;

const series = Number(process.argv[2]);

const counts = countsForSeries(series);
const total = 2 * counts.reduce((p, c) => p * c, 1);
const before = heapUsed();
const started = performance.now();
const registry = promkitRegistry(counts);
const recordMs = performance.now() - started;
const heapBytesPerSeries = (heapUsed() - before) / total;
const server = await startHttpServer({ port: 0, host: '127.0.0.1', registry });
answerDelayCommands(() => server.close());
const send = (report: ScaleReport): void => void process.send?.(report);
send({ type: 'ready', url: server.url, series: total, recordMs, heapBytesPerSeries });
