import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../support/ports.js';
import { BIN, describeWithBinaries } from '../support/binaries.js';
import { parseWithPython } from '../support/python-parser.js';
import { transpileTree, type TranspiledTree } from '../support/transpiled.js';

let tree: TranspiledTree;
beforeAll(() => {
  tree = transpileTree(['samples/cluster-service']);
});
afterAll(() => tree.remove());

describeWithBinaries([BIN.python3], 'samples/cluster-service', () => {
  let child: ChildProcess | undefined;
  afterAll(async () => {
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  });

  it('serves a job total that never goes down while workers are recycled', async () => {
    const port = await freePort();
    child = spawn(process.execPath, [tree.path('samples/cluster-service/main.ts')], {
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', RECYCLE_SECONDS: '0.5' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      child!.stdout!.on('data', (chunk: Buffer) => {
        const match = /metrics at (\S+)/.exec(chunk.toString());
        if (match !== null) resolve(match[1]);
      });
      child!.once('exit', (code) => reject(new Error(`the sample exited with ${code}`)));
    });
    expect(url).toBe(`http://127.0.0.1:${port}/metrics`);
    let last = 0;
    let exits = 0;
    let scrapes = 0;
    let body = '';
    // Scrape until several workers have been recycled; the total must only grow.
    while (exits < 3 && scrapes < 200) {
      body = await (await fetch(url)).text();
      scrapes++;
      const total = [...body.matchAll(/^cluster_sample_jobs_total\{[^}]*\} (\S+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
      expect(total).toBeGreaterThanOrEqual(last);
      last = total;
      exits = Number(/^promkit_cluster_worker_exits_total (\S+)$/m.exec(body)?.[1] ?? 0);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(exits).toBeGreaterThanOrEqual(3);
    expect(last).toBeGreaterThan(0);
    // The workers' own collector health travels under its own name: no clash with the primary's.
    expect(body).toMatch(/^promkit_collector_success\{collector="cluster_aggregator"\} 1(\.0)?$/m);
    expect(body).toMatch(/^promkit_cluster_worker_collector_success\{collector="[a-z_]+"\} 1(\.0)?$/m);
    const families = await parseWithPython(body, 'text');
    // The workers' default runtime metrics, aggregated: one start time (the oldest), summed memory.
    expect(families.find((f) => f.name === 'process_start_time_seconds')?.samples.length).toBe(1);
    expect(families.find((f) => f.name === 'process_resident_memory_bytes')?.samples.length).toBe(1);
  }, 60_000);
});
