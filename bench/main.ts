import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { budgetFor } from './harness.js';
import { benchRecording } from './recording.js';
import { previousRows, Results } from './results.js';
import { benchSerialization } from './serialization.js';
import { benchDecorators } from './decorators.js';
import { benchConcurrentScrapers, benchEventLoopBlock, benchHttpThroughput } from './http-workloads.js';
import { benchHttpAdapters } from './http-adapters.js';
import { benchMemory } from './memory.js';
import { benchCluster } from './cluster.js';
import { benchCardinality } from './cardinality.js';
import { benchExemplars } from './exemplars.js';
import { benchOpenTelemetry } from './opentelemetry.js';
import { benchFloor } from './floor.js';
import { benchScaling } from './scaling.js';
import { benchProtobuf } from './protobuf.js';

const quick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);

function promClientVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../node_modules/prom-client/package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

async function main(): Promise<void> {
  const started = performance.now();
  const budget = budgetFor(quick);
  const results = new Results(previousRows(new URL('../../bench/results.json', import.meta.url)));
  const machine = `${cpus()[0]?.model ?? 'unknown CPU'} x${cpus().length}, ${process.platform} ${process.arch}`;
  console.log(`promkit vs prom-client ${promClientVersion()} on Node ${process.version}, ${machine}${quick ? ' (--quick)' : ''}`);
  const groups: [string, () => Promise<void>][] = [
    ['recording', () => benchRecording(budget, results)],
    ['serialization', () => benchSerialization(budget, results)],
    ['floor', () => benchFloor(budget, results)],
    ['memory', () => benchMemory(budget, results)],
    ['event-loop', () => benchEventLoopBlock(budget, results)],
    ['scaling', () => benchScaling(budget, results)],
    ['http', () => benchHttpThroughput(budget, results)],
    ['adapters', () => benchHttpAdapters(budget, results)],
    ['concurrent', () => benchConcurrentScrapers(budget, results)],
    ['decorators', () => benchDecorators(budget, results)],
    ['cluster', () => benchCluster(budget, results)],
    ['cardinality', () => benchCardinality(budget, results)],
    ['exemplars', () => benchExemplars(budget, results)],
    ['opentelemetry', () => benchOpenTelemetry(budget, results)],
    ['protobuf', () => benchProtobuf(budget, results)],
  ];
  for (const [name, run] of groups) {
    if (only !== undefined && !only.split(',').includes(name)) continue;
    const groupStarted = performance.now();
    await run();
    console.log(`  (${name}: ${((performance.now() - groupStarted) / 1000).toFixed(0)} s)`);
  }
  console.log(`\n${results.table()}\n`);
  if (results.scaling.length > 0) console.log(`${results.scalingTable()}\n`);
  if (only === undefined) {
    // A quick run has smaller budgets: it goes beside the committed full-run results, not over them.
    const file = quick ? 'results-quick.json' : 'results.json';
    results.write(new URL(`../../bench/${file}`, import.meta.url), { node: process.version, prom_client: promClientVersion(), quick, machine });
    console.log(`wrote bench/${file}`);
  }
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

await main();
