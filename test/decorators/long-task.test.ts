import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Registry } from '../../src/registry/index.js';
import { adoptInstance, bindMetricsRuntime, LONG_TASK_METRIC, MetricsRuntime, noteContainerRuntime, Timed } from '../../src/decorators/index.js';
import { InvalidOptionsError } from '../../src/model/index.js';
import { samplesOf, valueOf } from './series.js';

/** A call that settles when the test says so. */
function held(): { promise: Promise<void>; finish(): void; fail(): void } {
  let finish!: () => void;
  let fail!: () => void;
  const promise = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = () => reject(new Error('job failed'));
  });
  return { promise, finish, fail };
}

class Importer {
  @Timed({ longTask: true })
  async importFile(job: Promise<void>): Promise<void> {
    await job;
  }

  @Timed({ longTask: true, name: 'region_sync_tasks', labelNames: ['region'], labelsFrom: ([region]: [string, Promise<void>]) => ({ region }) })
  async sync(_region: string, job: Promise<void>): Promise<void> {
    await job;
  }
}

function bound(): { registry: Registry; importer: Importer } {
  const registry = new Registry();
  return { registry, importer: bindMetricsRuntime(new Importer(), new MetricsRuntime({ registry })) };
}

const labels = { class: 'Importer', method: 'importFile' };
const active = `${LONG_TASK_METRIC}_active`;
const running = `${LONG_TASK_METRIC}_running_seconds`;
const maxRunning = `${LONG_TASK_METRIC}_max_running_seconds`;

describe('@Timed({ longTask: true })', () => {
  it('shows no running call, at zero, once an instance is bound', async () => {
    const { registry } = bound();
    expect(LONG_TASK_METRIC).toBe('method_long_tasks');
    expect(await valueOf(registry, active, labels)).toBe(0);
    expect(await valueOf(registry, running, labels)).toBe(0);
    expect(await valueOf(registry, maxRunning, labels)).toBe(0);
  });

  it('counts the calls running now, their running times added up and the longest, until each settles (failed or not)', async () => {
    const { registry, importer } = bound();
    const a = held();
    const b = held();
    const first = importer.importFile(a.promise);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = importer.importFile(b.promise);
    expect(await valueOf(registry, active, labels)).toBe(2);
    const total = (await valueOf(registry, running, labels))!;
    const longest = (await valueOf(registry, maxRunning, labels))!;
    expect(longest).toBeGreaterThan(0);
    // The longest is the first call's: at least half of the two added up.
    expect(longest).toBeGreaterThanOrEqual(total / 2);
    a.finish();
    await first;
    expect(await valueOf(registry, active, labels)).toBe(1);
    b.fail();
    await expect(second).rejects.toThrow('job failed');
    expect(await valueOf(registry, active, labels)).toBe(0);
    expect(await valueOf(registry, running, labels)).toBe(0);
    expect(await valueOf(registry, maxRunning, labels)).toBe(0);
  });

  it('grows between two scrapes while a call runs: computed when collected', async () => {
    const { registry, importer } = bound();
    const a = held();
    const call = importer.importFile(a.promise);
    const before = (await valueOf(registry, maxRunning, labels))!;
    await new Promise((resolve) => setTimeout(resolve, 15));
    expect((await valueOf(registry, maxRunning, labels))!).toBeGreaterThan(before);
    a.finish();
    await call;
  });

  it('keeps per-call labels apart', async () => {
    const { registry, importer } = bound();
    const eu = held();
    const us = held();
    const calls = [importer.sync('eu', eu.promise), importer.sync('eu', held().promise), importer.sync('us', us.promise)];
    expect(await valueOf(registry, 'region_sync_tasks_active', { region: 'eu' })).toBe(2);
    expect(await valueOf(registry, 'region_sync_tasks_active', { region: 'us' })).toBe(1);
    us.finish();
    await calls[2];
    expect(await valueOf(registry, 'region_sync_tasks_active', { region: 'us' })).toBe(0);
  });

  it('shows exactly the calls started and not settled, whatever the order they settle in', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat({ max: 5 }), { minLength: 1, maxLength: 20 }), async (ops) => {
        const { registry, importer } = bound();
        const open: { finish(): void; call: Promise<void> }[] = [];
        for (const op of ops) {
          if (op < 3 || open.length === 0) {
            const h = held();
            open.push({ finish: h.finish, call: importer.importFile(h.promise) });
          } else {
            const [done] = open.splice(op % open.length, 1);
            done.finish();
            await done.call;
          }
          expect(await valueOf(registry, active, labels)).toBe(open.length);
        }
        for (const { finish } of open) finish();
        await Promise.all(open.map((o) => o.call));
        expect(await valueOf(registry, active, labels)).toBe(0);
        expect(await samplesOf(registry, maxRunning, { ...labels })).toEqual([expect.objectContaining({ value: 0 })]);
      }),
      { seed: 18, numRuns: 40 },
    );
  });

  it('refuses buckets and percentiles: it shows running calls, not completed ones', () => {
    expect(() => Timed({ longTask: true, buckets: [1] })).toThrow(InvalidOptionsError);
    expect(() => Timed({ longTask: true, percentiles: [0.5] })).toThrow(InvalidOptionsError);
  });

  // Last: it tells the decorators a container runtime exists, for the rest of this file.
  it('takes over a call started before the instance was activated, and lets it go when it settles', async () => {
    noteContainerRuntime();
    const registry = new Registry();
    const importer = new Importer();
    const settled = held();
    const running = held();
    const done = importer.importFile(settled.promise);
    const call = importer.importFile(running.promise);
    settled.finish();
    await done;
    adoptInstance(importer, () => new MetricsRuntime({ registry }));
    expect(await valueOf(registry, active, labels)).toBe(1);
    running.finish();
    await call;
    expect(await valueOf(registry, active, labels)).toBe(0);
  });
});
