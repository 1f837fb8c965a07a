import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { transpileTree, type TranspiledTree } from '../support/transpiled.js';

const run = promisify(execFile);

// promkit where `@opentelemetry/api` cannot be found (its sources transpiled into a directory
// with no node_modules above it): every entry point loads, recording works and carries no
// exemplar but explicit ones, and turning trace exemplars on is harmless.

let parent: string;
let tree: TranspiledTree;

beforeAll(() => {
  parent = mkdtempSync(join(tmpdir(), 'promkit-no-otel-'));
  tree = transpileTree([], parent);
});

afterAll(() => {
  tree?.remove();
  rmSync(parent, { recursive: true, force: true });
});

it('loads, records and exposes without OpenTelemetry installed', async () => {
  const script = `
    const { Counter, Histogram, Registry, encode } = await import(${JSON.stringify(tree.path('src/index.ts'))});
    const otel = await import(${JSON.stringify(tree.path('src/opentelemetry/index.ts'))});
    await import(${JSON.stringify(tree.path('src/adapters/request-metrics/index.ts'))});
    let resolvable = true;
    try { (await import('node:module')).createRequire(${JSON.stringify(tree.path('src/index.ts'))}).resolve('@opentelemetry/api'); } catch { resolvable = false; }
    const activeAtImport = otel.traceExemplarsActive();
    otel.configureTraceExemplars({ enabled: true, interval: 5000 });
    const registry = new Registry();
    const counter = new Counter({ name: 'jobs', help: 'Jobs.', registry });
    const histogram = new Histogram({ name: 'job_seconds', help: 'Job time.', buckets: [1], registry });
    counter.inc(2);
    counter.inc(1, { job_id: '7' });
    histogram.observe(0.5);
    const text = encode((await registry.collect()).families, 'openmetrics');
    console.log(JSON.stringify({ resolvable, activeAtImport, activeAfterConfigure: otel.traceExemplarsActive(), total: counter.get(), exemplarLines: text.split('\\n').filter((l) => l.includes(' # {')) }));
  `;
  const { stdout, stderr } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: parent });
  expect(stderr).toBe('');
  const result = JSON.parse(stdout) as { resolvable: boolean; activeAtImport: boolean; activeAfterConfigure: boolean; total: number; exemplarLines: string[] };
  expect(result).toEqual({
    resolvable: false,
    activeAtImport: false,
    activeAfterConfigure: false,
    total: 3,
    exemplarLines: [expect.stringMatching(/^jobs_total 3(\.0)? # \{job_id="7"\} 1(\.0)? \d/)],
  });
});
