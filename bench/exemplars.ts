import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Budget, Library } from './harness.js';
import type { Results } from './results.js';
import { CALLS, SCENARIOS, type Scenario } from './exemplars-child.js';

const run = promisify(execFile);

const LABELS: Record<Scenario, string> = {
  absent: 'OpenTelemetry absent',
  loaded: 'OpenTelemetry API loaded, tracing not set up',
  idle: 'tracing set up, no active span',
  span: 'in a sampled span (exemplar at most 1/s)',
  every: 'in a sampled span, a new exemplar on every call (prom-client: explicit ids)',
};

/**
 * What exemplars from traces cost on the recording path of a bound counter and histogram
 * series: without OpenTelemetry, with the API loaded but no tracing, with tracing but no
 * active span, and inside a sampled span of the real SDK (rate-limited as by default, and
 * with an exemplar on every record). Each scenario runs in a fresh process
 * (exemplars-child.ts), against prom-client's bound series doing the same.
 */
export async function benchExemplars(budget: Budget, results: Results): Promise<void> {
  console.log('\nexemplars');
  const child = fileURLToPath(new URL('./exemplars-child.js', import.meta.url));
  const perRecord: string[] = [];
  for (const scenario of SCENARIOS) {
    const { stdout } = await run(process.execPath, [child, scenario, ...(budget.quick ? ['--quick'] : [])], { maxBuffer: 1 << 20 });
    const ns = JSON.parse(stdout.trim().split('\n').pop() as string) as Record<'counter' | 'histogram', Record<Library, number>>;
    results.throughput(`bound counter.inc(), ${LABELS[scenario]}`, ns.counter, CALLS);
    results.throughput(`bound histogram.observe(), ${LABELS[scenario]}`, ns.histogram, CALLS);
    perRecord.push(`${scenario} ${(ns.counter.promkit / CALLS).toFixed(2)} / ${(ns.histogram.promkit / CALLS).toFixed(2)}`);
  }
  console.log(`  promkit ns per record (counter / histogram): ${perRecord.join(', ')}`);
}
