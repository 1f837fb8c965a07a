import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import client from 'prom-client';
import { Counter, Registry } from '../src/index.js';
import { budgetFor, measurePair, type Budget, type PairResult } from './harness.js';
import { labelCombinations, labelNames } from './labels.js';
import { measureHeap } from './memory.js';
import type { Results } from './results.js';

const run = promisify(execFile);

/** A cap well above the 8x8x3 workload, so that it is set but never reached. */
const ROOMY_CAP = 10_000;

/** The timed part of the group, as the child process reports it. */
interface Timings {
  /** Capped (as `promkit`) against uncapped (as `prom_client`): both are promkit. */
  readonly self: PairResult;
  readonly versus: PairResult;
  /** Past the cap (as `promkit`) against an existing series of the same counter (as `prom_client`). */
  readonly paths: PairResult;
}

/**
 * The timings, in a process of its own (this file run as a program). Late in a full run,
 * after the groups before it, the same labelled `inc` measured at well under half the speed
 * it has in the recording group at the start of the run, for capped and uncapped counters
 * alike, while prom-client's slowed less: the ratio then said more about the groups before
 * than about `maxSeries`. A fresh process measures both sides as the recording group's
 * labelled rows are, so that the rows compare.
 */
async function measureTimings(budget: Budget): Promise<Timings> {
  const combos = labelCombinations([8, 8, 3]);
  const n = combos.length;
  const capped = new Counter({ name: 'c', help: 'c', labelNames: labelNames(3), maxSeries: ROOMY_CAP, registry: new Registry() });
  const uncapped = new Counter({ name: 'c', help: 'c', labelNames: labelNames(3), registry: new Registry() });
  const reference = new client.Counter({ name: 'c', help: 'c', labelNames: labelNames(3), registers: [new client.Registry()] });
  const calls = { capped: 0, uncapped: 0, reference: 0 };
  const cappedRun = { run: () => { for (let i = 0; i < n; i++) capped.inc(combos[i], 1); calls.capped += n; } };
  const self = await measurePair(budget, cappedRun, { run: () => { for (let i = 0; i < n; i++) uncapped.inc(combos[i], 1); calls.uncapped += n; } });
  const versus = await measurePair(budget, cappedRun, { run: () => { for (let i = 0; i < n; i++) reference.inc(combos[i], 1); calls.reference += n; } });
  // The work was done: every series got one increment per call made over it.
  for (const [name, total] of [['capped', combos.reduce((sum, labels) => sum + capped.get(labels), 0)], ['uncapped', combos.reduce((sum, labels) => sum + uncapped.get(labels), 0)]] as const) {
    if (total !== calls[name]) throw new Error(`cardinality bench: ${name} counter totals ${total}, expected ${calls[name]}`);
  }
  const referenceTotal = (await reference.get()).values.reduce((sum, v) => sum + v.value, 0);
  if (referenceTotal !== calls.reference) throw new Error(`cardinality bench: prom-client counter totals ${referenceTotal}, expected ${calls.reference}`);

  // Past the cap: every call brings a label set the counter has never seen.
  const full = new Counter({ name: 'full', help: 'c', labelNames: ['user'], maxSeries: 1, registry: new Registry() });
  process.emitWarning = () => undefined;
  full.inc({ user: 'first' });
  const fresh = Array.from({ length: 4096 }, (_, i) => ({ user: `user-${i}` }));
  let next = 0;
  const paths = await measurePair(
    budget,
    { run: () => { for (let i = 0; i < 256; i++) full.inc(fresh[next++ & 4095], 1); } },
    { run: () => { for (let i = 0; i < 256; i++) full.inc({ user: 'first' }, 1); } },
  );
  return { self, versus, paths };
}

/**
 * Bounded cardinality: what a `maxSeries` cap costs where nothing is folded (the hit path
 * must not change), what recording past the cap (the overflow path) costs, and the heap a
 * series takes against what a capped metric keeps for label sets past its cap.
 */
export async function benchCardinality(budget: Budget, results: Results): Promise<void> {
  console.log('\ncardinality (maxSeries)');
  const n = labelCombinations([8, 8, 3]).length;
  const program = fileURLToPath(import.meta.url);
  const { stdout } = await run(process.execPath, [program, ...(budget.quick ? ['--quick'] : [])], { maxBuffer: 1 << 20 });
  const { self, versus, paths } = JSON.parse(stdout.trim().split('\n').pop() as string) as Timings;
  console.log(`  counter.inc(labels) 8x8x3, maxSeries set and not reached: ${(self.promkit / n).toFixed(1)} ns vs ${(self.prom_client / n).toFixed(1)} ns without a cap: ${(self.promkit / self.prom_client).toFixed(3)}x (target <= 1.10)`);
  results.throughput('counter.inc(labels, 1), 8x8x3, maxSeries set (not reached)', versus, n, 3);
  console.log(`  counter.inc(labels) past maxSeries (folded into the overflow series): ${(paths.promkit / 256).toFixed(1)} ns; an existing series of the same counter: ${(paths.prom_client / 256).toFixed(1)} ns`);

  // Measured as the memory group measures (fresh child processes, retained heap and array
  // buffers after full collections), on this group's own shape: one label whose every value
  // is new, so each series also keeps its value string. The row is named for that shape, so
  // that it does not read as a second answer to the memory group's three-label row.
  const perSeries = await measureHeap(budget.quick ? 1 : 3, 'counter', ['promkit', 'prom_client'], { shape: 'unique' });
  const folded = await measureHeap(1, 'counter', ['promkit'], { shape: 'unique', maxSeries: 1_000 });
  console.log(`  heap per label set, 100k label sets of one unique label: ${perSeries.promkit.toFixed(0)} B uncapped, ${folded.promkit.toFixed(1)} B with maxSeries 1000 (the cap's series spread over all), prom-client ${perSeries.prom_client.toFixed(0)} B`);
  results.lower('heap bytes per series, 100k counter series of one label, every value unique', 'bytes', perSeries);
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, '/'))) {
  process.stdout.write(`${JSON.stringify(await measureTimings(budgetFor(process.argv.includes('--quick'))))}\n`);
}
