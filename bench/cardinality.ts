import client from 'prom-client';
import { Counter, Registry } from '../src/index.js';
import { measurePair, type Budget, type Library } from './harness.js';
import { labelCombinations, labelNames } from './labels.js';
import { measureHeap } from './memory.js';
import type { Results } from './results.js';

/** A cap well above the 8x8x3 workload, so that it is set but never reached. */
const ROOMY_CAP = 10_000;

/**
 * Bounded cardinality: what a `maxSeries` cap costs where nothing is folded (the hit path
 * must not change), what recording past the cap (the overflow path) costs, and the heap a
 * series takes against what a capped metric keeps for label sets past its cap.
 */
export async function benchCardinality(budget: Budget, results: Results): Promise<void> {
  console.log('\ncardinality (maxSeries)');
  const combos = labelCombinations([8, 8, 3]);
  const n = combos.length;

  const capped = new Counter({ name: 'c', help: 'c', labelNames: labelNames(3), maxSeries: ROOMY_CAP, registry: new Registry() });
  const uncapped = new Counter({ name: 'c', help: 'c', labelNames: labelNames(3), registry: new Registry() });
  const cappedRun = { run: () => { for (let i = 0; i < n; i++) capped.inc(combos[i], 1); } };
  const self = await measurePair(budget, cappedRun, { run: () => { for (let i = 0; i < n; i++) uncapped.inc(combos[i], 1); } });
  // measurePair names its sides by library; here both are promkit: capped first, uncapped second.
  const slowdown = self.promkit / self.prom_client;
  console.log(`  counter.inc(labels) 8x8x3, maxSeries set and not reached: ${(self.promkit / n).toFixed(1)} ns vs ${(self.prom_client / n).toFixed(1)} ns without a cap: ${slowdown.toFixed(3)}x (target <= 1.10)`);
  const reference = new client.Counter({ name: 'c', help: 'c', labelNames: labelNames(3), registers: [new client.Registry()] });
  const versus = await measurePair(budget, cappedRun, { run: () => { for (let i = 0; i < n; i++) reference.inc(combos[i], 1); } });
  results.throughput('counter.inc(labels, 1), 8x8x3, maxSeries set (not reached)', versus, n);

  // Past the cap: every call brings a label set the counter has never seen.
  const full = new Counter({ name: 'full', help: 'c', labelNames: ['user'], maxSeries: 1, registry: new Registry() });
  const warn = process.emitWarning;
  process.emitWarning = () => undefined;
  full.inc({ user: 'first' });
  process.emitWarning = warn;
  const fresh = Array.from({ length: 4096 }, (_, i) => ({ user: `user-${i}` }));
  let next = 0;
  const paths: Record<Library, number> = await measurePair(
    budget,
    { run: () => { for (let i = 0; i < 256; i++) full.inc(fresh[next++ & 4095], 1); } },
    { run: () => { for (let i = 0; i < 256; i++) full.inc({ user: 'first' }, 1); } },
  );
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
