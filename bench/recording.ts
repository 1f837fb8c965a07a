import client from 'prom-client';
import { Counter, DEFAULT_BUCKETS, Gauge, Histogram, Registry, Summary } from '../src/index.js';
import { measurePair, type Budget } from './harness.js';
import { labelCombinations, labelNames, positional } from './labels.js';
import type { Results } from './results.js';

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
    const pk = new Counter({ name: 'c', help: 'c', registry: new Registry() });
    const pc = new client.Counter({ name: 'c', help: 'c', registers: [new client.Registry()] });
    const ns = await measurePair(
      budget,
      { run: () => { for (let i = 0; i < UNLABELLED_CALLS; i++) pk.inc(); } },
      { run: () => { for (let i = 0; i < UNLABELLED_CALLS; i++) pc.inc(); } },
    );
    results.throughput('counter.inc(), no labels', ns, UNLABELLED_CALLS, 1);
  }

  const combos = labelCombinations([8, 8, 3]);
  // prom-client's typings want strings for positional values; at run time both take numbers.
  const values = positional(combos) as unknown as string[][];
  const n = combos.length;

  // counter.inc with a labels object, 8x8x3
  {
    const pk = new Counter({ name: 'c', help: 'c', labelNames: labelNames(3), registry: new Registry() });
    const pc = new client.Counter({ name: 'c', help: 'c', labelNames: labelNames(3), registers: [new client.Registry()] });
    const ns = await measurePair(
      budget,
      { run: () => { for (let i = 0; i < n; i++) pk.inc(combos[i], 1); } },
      { run: () => { for (let i = 0; i < n; i++) pc.inc(combos[i], 1); } },
    );
    results.throughput('counter.inc(labels, 1), 8x8x3 labels object', ns, n, 3);
  }

  // counter.labels(...values).inc() per call, 8x8x3
  {
    const pk = new Counter({ name: 'c', help: 'c', labelNames: labelNames(3), registry: new Registry() });
    const pc = new client.Counter({ name: 'c', help: 'c', labelNames: labelNames(3), registers: [new client.Registry()] });
    const ns = await measurePair(
      budget,
      { run: () => { for (let i = 0; i < n; i++) { const v = values[i]; pk.labels(v[0], v[1], v[2]).inc(); } } },
      { run: () => { for (let i = 0; i < n; i++) { const v = values[i]; pc.labels(v[0], v[1], v[2]).inc(); } } },
    );
    results.throughput('counter.labels(a, b, c).inc() per call, 8x8x3 positional', ns, n, 3);
  }

  // bound children: labels(...) once, then inc()
  {
    const pk = new Counter({ name: 'c', help: 'c', labelNames: labelNames(3), registry: new Registry() });
    const pc = new client.Counter({ name: 'c', help: 'c', labelNames: labelNames(3), registers: [new client.Registry()] });
    const pkChildren = combos.map((l) => pk.labels(l));
    const pcChildren = combos.map((l) => pc.labels(l));
    const ns = await measurePair(
      budget,
      { run: () => { for (let i = 0; i < n; i++) pkChildren[i].inc(); } },
      { run: () => { for (let i = 0; i < n; i++) pcChildren[i].inc(); } },
    );
    results.throughput('bound child .inc(), 8x8x3 children', ns, n, 1);
  }

  // gauge.set with labels, 8x8x3
  {
    const pk = new Gauge({ name: 'g', help: 'g', labelNames: labelNames(3), registry: new Registry() });
    const pc = new client.Gauge({ name: 'g', help: 'g', labelNames: labelNames(3), registers: [new client.Registry()] });
    const ns = await measurePair(
      budget,
      { run: () => { for (let i = 0; i < n; i++) pk.set(combos[i], i); } },
      { run: () => { for (let i = 0; i < n; i++) pc.set(combos[i], i); } },
    );
    results.throughput('gauge.set(labels, v), 8x8x3 labels object', ns, n, 3);
  }

  // histogram.observe over 64 series (1x64) and over 6x2 labels
  for (const [shape, counts] of [['1x64', [64]], ['6x2', [2, 2, 2, 2, 2, 2]]] as const) {
    const hCombos = labelCombinations(counts);
    const m = hCombos.length;
    const pk = new Histogram({ name: 'h', help: 'h', labelNames: labelNames(counts.length), buckets: DEFAULT_BUCKETS, registry: new Registry() });
    const pc = new client.Histogram({ name: 'h', help: 'h', labelNames: labelNames(counts.length), buckets: DEFAULT_BUCKETS.filter(Number.isFinite), registers: [new client.Registry()] });
    const ns = await measurePair(
      budget,
      { run: () => { for (let i = 0; i < m; i++) pk.observe(hCombos[i], OBSERVATIONS[i & 7]); } },
      { run: () => { for (let i = 0; i < m; i++) pc.observe(hCombos[i], OBSERVATIONS[i & 7]); } },
    );
    results.throughput(`histogram.observe(labels, v), ${shape} labels object`, ns, m, 3);
  }

  // summary.observe with quantiles, 2x8 labels; both with the same 3 quantiles over a 10 min / 5 bucket window
  {
    const sCombos = labelCombinations([8, 8]);
    const m = sCombos.length;
    const pk = new Summary({ name: 's', help: 's', labelNames: labelNames(2), percentiles: QUANTILES, maxAgeSeconds: 600, ageBuckets: 5, registry: new Registry() });
    const pc = new client.Summary({ name: 's', help: 's', labelNames: labelNames(2), percentiles: QUANTILES, maxAgeSeconds: 600, ageBuckets: 5, registers: [new client.Registry()] });
    const ns = await measurePair(
      budget,
      { run: () => { for (let i = 0; i < m; i++) pk.observe(sCombos[i], OBSERVATIONS[i & 7]); } },
      { run: () => { for (let i = 0; i < m; i++) pc.observe(sCombos[i], OBSERVATIONS[i & 7]); } },
    );
    results.throughput('summary.observe(labels, v), 2x8, quantiles 0.5/0.9/0.99', ns, m, 3);
  }
}
