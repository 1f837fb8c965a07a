import client from 'prom-client';
import { Counter, DEFAULT_BUCKETS, encode, Gauge, Histogram, Registry, Summary } from '../src/index.js';
import { measurePair, type Budget } from './harness.js';
import { labelCombinations, labelNames, positional } from './labels.js';
import type { Results } from './results.js';
import { expectWork, sampleSum } from './work-check.js';

/** Calls made by each side, counted in the workloads' loops and checked against the metrics afterwards. */
interface Calls {
  promkit: number;
  prom_client: number;
}

/** Reads both registries back: `sample` summed must equal `expected(calls)` on each side. */
async function checkWork(row: string, pk: Registry, pc: client.Registry, samples: { promkit: string; prom_client: string }, calls: Calls, expected: (calls: number) => number = (c) => c): Promise<void> {
  expectWork(row, `promkit ${samples.promkit}`, sampleSum(encode((await pk.collect()).families, 'text'), samples.promkit), expected(calls.promkit));
  expectWork(row, `prom-client ${samples.prom_client}`, sampleSum(await pc.metrics(), samples.prom_client), expected(calls.prom_client));
}

/** Observed values cycled through by the histogram and summary workloads (same for both libraries). */
const OBSERVATIONS = [0.003, 0.02, 0.07, 0.2, 0.6, 1.5, 4, 12];

/** Calls per iteration of the unlabelled workloads (the labelled ones do one call per label combination). */
const UNLABELLED_CALLS = 256;

const QUANTILES = [0.5, 0.9, 0.99];

/**
 * Recording on the hot path: `counter.inc`, `gauge.set`, `histogram.observe`,
 * `summary.observe`, with the label shapes of prom-client's benchmarks. Each iteration
 * records once per label combination (prom-client's `labelCombinationFactory`), so the
 * lookup of every series is exercised, not one cached series.
 */
export async function benchRecording(budget: Budget, results: Results): Promise<void> {
  console.log('\nrecording');

  // counter.inc without labels
  {
    const name = 'counter.inc(), no labels';
    const pkRegistry = new Registry();
    const pcRegistry = new client.Registry();
    const pk = new Counter({ name: 'c', help: 'c', registry: pkRegistry });
    const pc = new client.Counter({ name: 'c', help: 'c', registers: [pcRegistry] });
    const calls: Calls = { promkit: 0, prom_client: 0 };
    const ns = await measurePair(
      budget,
      { run: () => { for (let i = 0; i < UNLABELLED_CALLS; i++) pk.inc(); calls.promkit += UNLABELLED_CALLS; } },
      { run: () => { for (let i = 0; i < UNLABELLED_CALLS; i++) pc.inc(); calls.prom_client += UNLABELLED_CALLS; } },
    );
    await checkWork(name, pkRegistry, pcRegistry, { promkit: 'c_total', prom_client: 'c' }, calls);
    results.throughput(name, ns, UNLABELLED_CALLS, 1);
  }

  const combos = labelCombinations([8, 8, 3]);
  // prom-client's typings want strings for positional values; at run time both take numbers.
  const values = positional(combos) as unknown as string[][];
  const n = combos.length;

  // counter.inc with a labels object, 8x8x3
  {
    const name = 'counter.inc(labels, 1), 8x8x3 labels object';
    const pkRegistry = new Registry();
    const pcRegistry = new client.Registry();
    const pk = new Counter({ name: 'c', help: 'c', labelNames: labelNames(3), registry: pkRegistry });
    const pc = new client.Counter({ name: 'c', help: 'c', labelNames: labelNames(3), registers: [pcRegistry] });
    const calls: Calls = { promkit: 0, prom_client: 0 };
    const ns = await measurePair(
      budget,
      { run: () => { for (let i = 0; i < n; i++) pk.inc(combos[i], 1); calls.promkit += n; } },
      { run: () => { for (let i = 0; i < n; i++) pc.inc(combos[i], 1); calls.prom_client += n; } },
    );
    await checkWork(name, pkRegistry, pcRegistry, { promkit: 'c_total', prom_client: 'c' }, calls);
    results.throughput(name, ns, n, 3);
  }

  // counter.labels(...values).inc() per call, 8x8x3
  {
    const name = 'counter.labels(a, b, c).inc() per call, 8x8x3 positional';
    const pkRegistry = new Registry();
    const pcRegistry = new client.Registry();
    const pk = new Counter({ name: 'c', help: 'c', labelNames: labelNames(3), registry: pkRegistry });
    const pc = new client.Counter({ name: 'c', help: 'c', labelNames: labelNames(3), registers: [pcRegistry] });
    const calls: Calls = { promkit: 0, prom_client: 0 };
    const ns = await measurePair(
      budget,
      { run: () => { for (let i = 0; i < n; i++) { const v = values[i]; pk.labels(v[0], v[1], v[2]).inc(); } calls.promkit += n; } },
      { run: () => { for (let i = 0; i < n; i++) { const v = values[i]; pc.labels(v[0], v[1], v[2]).inc(); } calls.prom_client += n; } },
    );
    await checkWork(name, pkRegistry, pcRegistry, { promkit: 'c_total', prom_client: 'c' }, calls);
    results.throughput(name, ns, n, 3);
  }

  // bound children: labels(...) once, then inc()
  {
    const name = 'bound child .inc(), 8x8x3 children';
    const pkRegistry = new Registry();
    const pcRegistry = new client.Registry();
    const pk = new Counter({ name: 'c', help: 'c', labelNames: labelNames(3), registry: pkRegistry });
    const pc = new client.Counter({ name: 'c', help: 'c', labelNames: labelNames(3), registers: [pcRegistry] });
    const pkChildren = combos.map((l) => pk.labels(l));
    const pcChildren = combos.map((l) => pc.labels(l));
    const calls: Calls = { promkit: 0, prom_client: 0 };
    const ns = await measurePair(
      budget,
      { run: () => { for (let i = 0; i < n; i++) pkChildren[i].inc(); calls.promkit += n; } },
      { run: () => { for (let i = 0; i < n; i++) pcChildren[i].inc(); calls.prom_client += n; } },
    );
    await checkWork(name, pkRegistry, pcRegistry, { promkit: 'c_total', prom_client: 'c' }, calls);
    results.throughput(name, ns, n, 1);
  }

  // gauge.set with labels, 8x8x3; each call sets the next number, so afterwards series i holds `calls - n + 1 + i`
  {
    const name = 'gauge.set(labels, v), 8x8x3 labels object';
    const pkRegistry = new Registry();
    const pcRegistry = new client.Registry();
    const pk = new Gauge({ name: 'g', help: 'g', labelNames: labelNames(3), registry: pkRegistry });
    const pc = new client.Gauge({ name: 'g', help: 'g', labelNames: labelNames(3), registers: [pcRegistry] });
    const calls: Calls = { promkit: 0, prom_client: 0 };
    const ns = await measurePair(
      budget,
      { run: () => { for (let i = 0; i < n; i++) pk.set(combos[i], ++calls.promkit); } },
      { run: () => { for (let i = 0; i < n; i++) pc.set(combos[i], ++calls.prom_client); } },
    );
    await checkWork(name, pkRegistry, pcRegistry, { promkit: 'g', prom_client: 'g' }, calls, (total) => n * total - (n * (n - 1)) / 2);
    results.throughput(name, ns, n, 3);
  }

  // histogram.observe over 64 series (1x64) and over 6x2 labels
  for (const [shape, counts] of [['1x64', [64]], ['6x2', [2, 2, 2, 2, 2, 2]]] as const) {
    const name = `histogram.observe(labels, v), ${shape} labels object`;
    const hCombos = labelCombinations(counts);
    const m = hCombos.length;
    const pkRegistry = new Registry();
    const pcRegistry = new client.Registry();
    const pk = new Histogram({ name: 'h', help: 'h', labelNames: labelNames(counts.length), buckets: DEFAULT_BUCKETS, registry: pkRegistry });
    const pc = new client.Histogram({ name: 'h', help: 'h', labelNames: labelNames(counts.length), buckets: DEFAULT_BUCKETS.filter(Number.isFinite), registers: [pcRegistry] });
    const calls: Calls = { promkit: 0, prom_client: 0 };
    const ns = await measurePair(
      budget,
      { run: () => { for (let i = 0; i < m; i++) pk.observe(hCombos[i], OBSERVATIONS[i & 7]); calls.promkit += m; } },
      { run: () => { for (let i = 0; i < m; i++) pc.observe(hCombos[i], OBSERVATIONS[i & 7]); calls.prom_client += m; } },
    );
    await checkWork(name, pkRegistry, pcRegistry, { promkit: 'h_count', prom_client: 'h_count' }, calls);
    results.throughput(name, ns, m, 3);
  }

  // summary.observe with quantiles, 2x8 labels; both with the same 3 quantiles over a 10 min / 5 bucket window
  {
    const name = 'summary.observe(labels, v), 2x8, quantiles 0.5/0.9/0.99';
    const sCombos = labelCombinations([8, 8]);
    const m = sCombos.length;
    const pkRegistry = new Registry();
    const pcRegistry = new client.Registry();
    const pk = new Summary({ name: 's', help: 's', labelNames: labelNames(2), percentiles: QUANTILES, maxAgeSeconds: 600, ageBuckets: 5, registry: pkRegistry });
    const pc = new client.Summary({ name: 's', help: 's', labelNames: labelNames(2), percentiles: QUANTILES, maxAgeSeconds: 600, ageBuckets: 5, registers: [pcRegistry] });
    const calls: Calls = { promkit: 0, prom_client: 0 };
    const ns = await measurePair(
      budget,
      { run: () => { for (let i = 0; i < m; i++) pk.observe(sCombos[i], OBSERVATIONS[i & 7]); calls.promkit += m; } },
      { run: () => { for (let i = 0; i < m; i++) pc.observe(sCombos[i], OBSERVATIONS[i & 7]); calls.prom_client += m; } },
    );
    await checkWork(name, pkRegistry, pcRegistry, { promkit: 's_count', prom_client: 's_count' }, calls);
    results.throughput(name, ns, m, 3);
  }
}
