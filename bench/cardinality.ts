import client from 'prom-client';
import { Counter, Registry } from '../src/index.js';
import { measurePair, type Budget, type Library } from './harness.js';
import { labelCombinations, labelNames } from './labels.js';
import type { Results } from './results.js';

/** A cap well above the 8x8x3 workload, so that it is set but never reached. */
const ROOMY_CAP = 10_000;

/** Retained heap after full collections (`npm run bench` runs with `--expose-gc`). */
function retainedHeap(): number {
  const gc = globalThis.gc;
  if (gc === undefined) throw new Error('run the benchmarks with node --expose-gc');
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

/** Heap bytes per label set recorded once into a fresh counter `make` returns. */
function heapPerLabelSet(labelSets: number, make: () => { inc(labels: Record<string, string>): void }): number {
  const before = retainedHeap();
  const counter = make();
  for (let i = 0; i < labelSets; i++) counter.inc({ user: `user-${i}` });
  const after = retainedHeap();
  if (counter === undefined) throw new Error('unreachable: keeps the counter alive until measured');
  return (after - before) / labelSets;
}

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

  const labelSets = budget.quick ? 20_000 : 100_000;
  const perSeries = heapPerLabelSet(labelSets, () => new Counter({ name: 'm', help: 'm', labelNames: ['user'], registry: new Registry() }));
  const perFolded = heapPerLabelSet(labelSets, () => new Counter({ name: 'm', help: 'm', labelNames: ['user'], maxSeries: 1_000, registry: new Registry() }));
  const perSeriesPc = heapPerLabelSet(labelSets, () => new client.Counter({ name: 'm', help: 'm', labelNames: ['user'], registers: [new client.Registry()] }));
  console.log(`  heap per label set, ${labelSets} label sets: ${perSeries.toFixed(0)} B uncapped, ${perFolded.toFixed(1)} B with maxSeries 1000 (the cap's series spread over all), prom-client ${perSeriesPc.toFixed(0)} B`);
  results.lower(`heap bytes per series, ${labelSets / 1000}k labelled counter series`, 'bytes', { promkit: perSeries, prom_client: perSeriesPc });
}
