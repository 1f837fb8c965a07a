import type client from 'prom-client';
import { encode, type TextFormat, type Registry } from '../src/index.js';
import { measurePair, timeSlowPair, type Budget } from './harness.js';
import { countsForSeries, promClientRegistry, promkitRegistry } from './registries.js';
import type { Results } from './results.js';

const SHAPES: readonly [string, readonly number[]][] = [
  ['1x64', [64]],
  ['2x8', [8, 8]],
  ['6x2', [2, 2, 2, 2, 2, 2]],
];

async function promkitScrape(registry: Registry, format: TextFormat): Promise<string> {
  return encode((await registry.collect()).families, format);
}

/**
 * Serialization of a whole registry (prom-client's `registry.metrics()`, promkit's
 * `encode(collect())`) in both formats, at prom-client's benchmark shapes and at 10k and
 * 100k series. Checked first: both sides write the same number of lines.
 */
export async function benchSerialization(budget: Budget, results: Results): Promise<void> {
  console.log('\nserialization');
  for (const format of ['text', 'openmetrics'] as const) {
    for (const [shape, counts] of SHAPES) {
      const pk = promkitRegistry(counts);
      const pc = promClientRegistry(counts, format === 'openmetrics');
      await checkSameContent(pk, pc, format);
      const ns = await measurePair(budget, { run: () => promkitScrape(pk, format) }, { run: () => pc.metrics() });
      results.throughput(`serialize ${shape} (histogram + counter), ${format}`, ns, 1);
    }
  }
  for (const series of [10_000, 100_000]) {
    for (const format of ['text', 'openmetrics'] as const) {
      let pk: Registry | undefined = promkitRegistry(countsForSeries(series));
      let pc: client.Registry | undefined = promClientRegistry(countsForSeries(series), format === 'openmetrics');
      const bytes = await checkSameContent(pk, pc, format);
      const label = `serialize ${series / 1000}k series, ${format}`;
      if (series <= 10_000) {
        const ns = await measurePair(budget, { run: () => promkitScrape(pk!, format) }, { run: () => pc!.metrics() }, Math.min(budget.rounds, 3), budget.cpuTimeNs * 2);
        results.lower(`${label} (${(bytes.promkit / 1e6).toFixed(1)} MB)`, 'ms', { promkit: ns.promkit / 1e6, prom_client: ns.prom_client / 1e6, spread: ns.spread }, 6);
      } else {
        const pkRegistry = pk;
        const pcRegistry = pc;
        const ms = await timeSlowPair(budget.quick ? 1 : 3, budget.quick ? 0 : 1, () => promkitScrape(pkRegistry, format), () => pcRegistry.metrics());
        results.lower(`${label} (${(bytes.promkit / 1e6).toFixed(1)} MB)`, 'ms', ms, 6);
      }
      pk = undefined;
      pc = undefined;
      globalThis.gc?.();
    }
  }
}

/**
 * Fails loudly when the two registries would not serialize the same series (promkit's
 * `_created` samples aside, which prom-client does not write); returns the body sizes.
 */
async function checkSameContent(pk: Registry, pc: client.Registry, format: TextFormat): Promise<{ promkit: number; prom_client: number }> {
  const a = await promkitScrape(pk, format);
  const b = await pc.metrics();
  const samples = (s: string): number => s.split('\n').filter((l) => l !== '' && !l.startsWith('#') && !/^\w+_created[{ ]/.test(l)).length;
  if (samples(a) !== samples(b)) throw new Error(`unequal content (${format}): promkit ${samples(a)} samples, prom-client ${samples(b)}`);
  return { promkit: Buffer.byteLength(a), prom_client: Buffer.byteLength(b) };
}
