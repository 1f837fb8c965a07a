import client from 'prom-client';
import { AggregateState, type Contribution, type MergeModes } from '../src/cluster/aggregate-state.js';
import { snapshotOf, type WireFamily } from '../src/cluster/worker-snapshot.js';
import { encode, Registry } from '../src/index.js';
import { timeSlowPair, type Budget } from './harness.js';
import { countsForSeries, promClientRegistry, promkitRegistry } from './registries.js';
import type { Results } from './results.js';

const WORKERS = 4;
const SERIES = 10_000;
const MODES: MergeModes = { workerLabel: 'worker', info: 'consistent', quantiles: 'perWorker', gaugeMode: () => 'sum' };

/**
 * One aggregated scrape of 4 workers × 10k series (half histogram, half counter series),
 * in one process: each worker's serialization into what node:cluster's IPC carries (JSON),
 * and the primary's part — parsing the 4 payloads, merging, checking and encoding — timed
 * on its own, since that is what blocks the primary's event loop. prom-client: workers
 * send `getMetricsAsJSON()`, the primary runs `AggregatorRegistry.aggregate(...).metrics()`.
 * Also the payload one worker sends.
 */
export async function benchCluster(budget: Budget, results: Results): Promise<void> {
  console.log('\ncluster aggregation');
  const pkWorkers = Array.from({ length: WORKERS }, () => promkitRegistry(countsForSeries(SERIES)));
  const pcWorkers = Array.from({ length: WORKERS }, () => promClientRegistry(countsForSeries(SERIES)));
  const pkPayloads = async (): Promise<string[]> => Promise.all(pkWorkers.map(async (r) => JSON.stringify({ promkit: 'snapshot', id: 1, families: snapshotOf((await r.collect()).families) })));
  const pcPayloads = async (): Promise<string[]> => Promise.all(pcWorkers.map(async (r) => JSON.stringify({ type: 'prom-client:getMetricsRes', requestId: 1, metrics: await r.getMetricsAsJSON() })));

  const state = new AggregateState();
  const primary = new Registry();
  let contributions: Contribution[] = [];
  primary.register({ collectorName: 'aggregate', collect: () => state.merge(contributions, MODES) });
  const pkPrimary = async (payloads: readonly string[]): Promise<string> => {
    contributions = payloads.map((p, i) => ({ worker: String(i + 1), families: (JSON.parse(p) as { families: WireFamily[] }).families }));
    return encode((await primary.collect()).families, 'text');
  };
  const pcPrimary = async (payloads: readonly string[]): Promise<string> =>
    client.AggregatorRegistry.aggregate(payloads.map((p) => (JSON.parse(p) as { metrics: never }).metrics)).metrics();

  const pk = await pkPayloads();
  const pc = await pcPayloads();
  const pkBody = await pkPrimary(pk);
  const pcBody = await pcPrimary(pc);
  const total = (body: string, name: string): number =>
    body.split('\n').filter((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`)).reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
  if (total(pkBody, 'counter_total') !== total(pcBody, 'counter') || total(pkBody, 'counter_total') !== WORKERS * SERIES / 2) {
    throw new Error(`unequal aggregates: promkit ${total(pkBody, 'counter_total')}, prom-client ${total(pcBody, 'counter')}`);
  }
  results.lower(`cluster: one worker's payload, ${SERIES / 1000}k series`, 'bytes', { promkit: Buffer.byteLength(pk[0]), prom_client: Buffer.byteLength(pc[0]) });
  const samples = budget.quick ? 3 : 5;
  const blocked = await timeSlowPair(samples, 1, () => pkPrimary(pk), () => pcPrimary(pc));
  results.lower(`cluster: primary's work per scrape (parse + merge + encode), ${WORKERS} x ${SERIES / 1000}k series`, 'ms', blocked, 5);
  const whole = await timeSlowPair(samples, 1, async () => pkPrimary(await pkPayloads()), async () => pcPrimary(await pcPayloads()));
  results.lower(`cluster: whole aggregated scrape (workers' serialization too), ${WORKERS} x ${SERIES / 1000}k series`, 'ms', whole, 5);
}
