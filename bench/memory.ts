import { fork } from 'node:child_process';
import { once } from 'node:events';
import { median, type Budget, type Library } from './harness.js';
import type { Results } from './results.js';

async function measureIn(library: Library, series: number): Promise<number> {
  const child = fork(new URL('./memory-child.js', import.meta.url), [library, String(series)], { execArgv: ['--expose-gc'] });
  const [message] = (await once(child, 'message')) as [{ bytesPerSeries: number }];
  await once(child, 'exit');
  return message.bytesPerSeries;
}

/** Heap bytes per series for 100k labelled histogram series, each library in fresh child processes, alternating. */
export async function benchMemory(budget: Budget, results: Results): Promise<void> {
  console.log('\nmemory (100k labelled histogram series, fresh process each)');
  const rounds = budget.quick ? 1 : 3;
  const bytes: Record<Library, number[]> = { promkit: [], prom_client: [] };
  for (let round = 0; round < rounds; round++) {
    for (const library of (round % 2 === 0 ? ['promkit', 'prom_client'] : ['prom_client', 'promkit']) as Library[]) {
      bytes[library].push(await measureIn(library, 100_000));
    }
  }
  console.log(`  promkit ${bytes.promkit.map((b) => b.toFixed(0)).join(', ')}; prom-client ${bytes.prom_client.map((b) => b.toFixed(0)).join(', ')}`);
  results.lower('heap bytes per series, 100k labelled histogram series', 'bytes', { promkit: median(bytes.promkit), prom_client: median(bytes.prom_client) }, 2);
}
