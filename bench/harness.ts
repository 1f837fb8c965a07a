import { measure } from 'mitata';

/**
 * Which side of a pairwise measurement a number belongs to: promkit, or what a row
 * measures it against (prom-client unless the row names another rival, see `Rival` in
 * results.ts; the key stays `prom_client` for the second contender).
 */
export type Library = 'promkit' | 'prom_client';

/**
 * Two medians plus how far each side moved within the run: the largest over the smallest
 * of its per-round (or per-sample) timings. A spread above 2 marks the row as unsteady.
 */
export type PairResult = Record<Library, number> & { readonly spread?: Record<Library, number> };

/** Largest over smallest of `values` (1 for fewer than two). */
export function spreadOf(values: readonly number[]): number {
  if (values.length < 2) return 1;
  return Math.max(...values) / Math.max(Number.MIN_VALUE, Math.min(...values));
}

/** How hard to measure: `--quick` shrinks every budget so the whole run stays under 2 minutes. */
export interface Budget {
  readonly quick: boolean;
  /** Rounds per pair of workloads; the two libraries alternate (and swap who goes first) every round. */
  readonly rounds: number;
  /** mitata's minimum CPU time per measurement, in nanoseconds. */
  readonly cpuTimeNs: number;
}

export function budgetFor(quick: boolean): Budget {
  return quick ? { quick, rounds: 3, cpuTimeNs: 25e6 } : { quick, rounds: 7, cpuTimeNs: 150e6 };
}

/** The median of `values` (mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** One side of a pairwise measurement: a function run many times by mitata. */
export interface Contender {
  /** One iteration; may do several operations (see `opsPerCall`). Async when it returns a promise. */
  readonly run: () => unknown;
}

/**
 * Median nanoseconds per call of each contender. Each round measures both (mitata: warm-up,
 * batching for nanosecond bodies, at least `cpuTimeNs` of samples, the p50 of those samples);
 * the libraries alternate and swap who goes first each round, so that a neighbour stealing
 * the CPU (the machine has two cores shared with other workers) hits both alike. The
 * result is the median over rounds of the per-round p50s.
 */
export async function measurePair(
  budget: Budget,
  promkit: Contender,
  promClient: Contender,
  rounds: number = budget.rounds,
  cpuTimeNs: number = budget.cpuTimeNs,
): Promise<PairResult> {
  const samples: Record<Library, number[]> = { promkit: [], prom_client: [] };
  for (let round = 0; round < rounds; round++) {
    const order: [Library, Contender][] = round % 2 === 0 ? [['promkit', promkit], ['prom_client', promClient]] : [['prom_client', promClient], ['promkit', promkit]];
    for (const [library, contender] of order) {
      // Batches of 256 calls per sample (mitata's default 4096 makes 12 samples of a 20 µs
      // body take a second); a body of 256 nanosecond calls still gives ~0.1 ms samples.
      const stats = await measure(contender.run, { min_cpu_time: cpuTimeNs, min_samples: 12, warmup_samples: 4, batch_samples: 256 });
      samples[library].push(stats.p50);
    }
  }
  return { promkit: median(samples.promkit), prom_client: median(samples.prom_client), spread: { promkit: spreadOf(samples.promkit), prom_client: spreadOf(samples.prom_client) } };
}

/**
 * Median milliseconds of a slow async operation (a whole-registry scrape), timed one call
 * at a time: `samples` alternated calls per library after `warmup` untimed ones each.
 */
export async function timeSlowPair(
  samples: number,
  warmup: number,
  promkit: () => Promise<unknown>,
  promClient: () => Promise<unknown>,
): Promise<PairResult> {
  for (let i = 0; i < warmup; i++) {
    await promkit();
    await promClient();
  }
  const times: Record<Library, number[]> = { promkit: [], prom_client: [] };
  for (let i = 0; i < samples; i++) {
    const first: Library = i % 2 === 0 ? 'promkit' : 'prom_client';
    for (const library of first === 'promkit' ? (['promkit', 'prom_client'] as const) : (['prom_client', 'promkit'] as const)) {
      const fn = library === 'promkit' ? promkit : promClient;
      const start = performance.now();
      await fn();
      times[library].push(performance.now() - start);
    }
  }
  return { promkit: median(times.promkit), prom_client: median(times.prom_client), spread: { promkit: spreadOf(times.promkit), prom_client: spreadOf(times.prom_client) } };
}
