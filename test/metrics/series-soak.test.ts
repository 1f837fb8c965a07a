import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { transpileTree, type TranspiledTree } from '../support/transpiled.js';
import type { SoakReport } from './fixtures/cardinality-soak.js';

let tree: TranspiledTree;
let report: SoakReport;

beforeAll(async () => {
  tree = transpileTree(['test/metrics/fixtures']);
  const child = fork(tree.path('test/metrics/fixtures/cardinality-soak.ts'), [], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const reported = new Promise<SoakReport>((resolve) => child.once('message', (m) => resolve(m as SoakReport)));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the soak child exited with ${String(code)}`);
  report = await reported;
}, 60_000);
afterAll(() => tree?.remove());

describe('bounded memory under label explosion (soak, in a child with --expose-gc)', () => {
  it('keeps a million distinct label sets through a capped counter within the cap’s budget', () => {
    expect(report.bytesPerSeries).toBeGreaterThan(50);
    // The cap's series and the overflow one, twice over, plus room for the collector's slack.
    const budget = 2 * (report.cap + 1) * report.bytesPerSeries + 1024 * 1024;
    expect(report.cappedGrowth).toBeLessThan(budget);
    expect(report.cappedSeries).toBe(report.cap + 1);
    expect(report.cappedSum).toBe(1_000_000);
  });

  it('returns a TTL metric fed a rotating set to the same heap level after each cycle', () => {
    expect(report.cycleSeries.every((n) => n === 20_000)).toBe(true);
    // One cycle's series take 20_000 * bytesPerSeries (megabytes); what stays must be far less.
    const tolerance = 0.1 * 20_000 * report.bytesPerSeries;
    for (const level of report.cycleHeap) expect(level - report.cycleBaseline).toBeLessThan(tolerance);
  });
});
