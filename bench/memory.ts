import { fork } from 'node:child_process';
import { once } from 'node:events';
import { median, type Budget } from './harness.js';
import type { LabelShape, SeriesKind } from './memory-child.js';
import type { Results } from './results.js';

/** A library the memory child can build series in. */
export type HeapLibrary = 'promkit' | 'prom_client' | 'opentelemetry';

/** How the series of a heap measurement are labelled, and the cap of promkit's metric (see memory-child.ts). */
export interface HeapWorkload {
  readonly shape?: LabelShape;
  readonly maxSeries?: number;
}

async function measureIn(library: HeapLibrary, series: number, kind: SeriesKind, workload: HeapWorkload): Promise<number> {
  const args = [library, String(series), kind, workload.shape ?? 'three', ...(workload.maxSeries === undefined ? [] : [String(workload.maxSeries)])];
  const child = fork(new URL('./memory-child.js', import.meta.url), args, { execArgv: ['--expose-gc'] });
  const exited = once(child, 'exit') as Promise<[number | null]>;
  const message = await Promise.race([once(child, 'message') as Promise<[{ bytesPerSeries: number }]>, exited.then(([code]) => Promise.reject(new Error(`memory child (${library} ${kind}) exited with ${code}`)))]);
  await exited;
  return message[0].bytesPerSeries;
}

/**
 * Median heap bytes per series of 100k labelled `kind` series (three labels unless
 * `workload` says otherwise) for each of `libraries`, over `rounds` fresh child processes
 * each, the libraries alternating (and reversing order every round).
 */
export async function measureHeap<L extends HeapLibrary>(rounds: number, kind: SeriesKind, libraries: readonly L[], workload: HeapWorkload = {}): Promise<Record<L, number>> {
  const bytes = new Map<L, number[]>(libraries.map((l) => [l, []]));
  for (let round = 0; round < rounds; round++) {
    for (const library of round % 2 === 0 ? libraries : [...libraries].reverse()) bytes.get(library)!.push(await measureIn(library, 100_000, kind, workload));
  }
  const described = `${kind}${workload.shape === 'unique' ? ', one label of unique values' : ''}${workload.maxSeries === undefined ? '' : `, maxSeries ${workload.maxSeries}`}`;
  console.log(`  ${described}: ${libraries.map((l) => `${l} ${bytes.get(l)!.map((b) => b.toFixed(0)).join(', ')}`).join('; ')}`);
  return Object.fromEntries(libraries.map((l) => [l, median(bytes.get(l)!)])) as Record<L, number>;
}

/** Heap bytes per series for 100k labelled histogram, counter and gauge series, each library in fresh child processes, alternating. */
export async function benchMemory(budget: Budget, results: Results): Promise<void> {
  console.log('\nmemory (100k labelled series, fresh process each)');
  const histogram = await measureHeap(budget.quick ? 1 : 3, 'histogram', ['promkit', 'prom_client']);
  results.lower('heap bytes per series, 100k labelled histogram series', 'bytes', histogram, 2);
  for (const kind of ['counter', 'gauge'] as const) {
    const bytes = await measureHeap(1, kind, ['promkit', 'prom_client']);
    results.lower(`heap bytes per series, 100k labelled ${kind} series`, 'bytes', bytes);
  }
}
