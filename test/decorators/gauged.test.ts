import { describe, expect, it, jest } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { Registry } from '../../src/registry/index.js';
import { bindMetricsRuntime, Gauged, GAUGED_METRICS, MetricsRuntime } from '../../src/decorators/index.js';
import { valueOf } from './series.js';

class Worker {
  @Gauged()
  async run(ms: number, fail = false): Promise<void> {
    await sleep(ms);
    if (fail) throw new Error('job failed');
  }

  @Gauged({ mode: 'lastDuration' })
  async step(ms: number, fail = false): Promise<void> {
    await sleep(ms);
    if (fail) throw new Error('step failed');
  }

  @Gauged({ mode: 'lastSuccess' })
  sync(fail: boolean): void {
    if (fail) throw new Error('sync failed');
  }

  @Gauged({ mode: 'value', name: 'queue_depth' })
  depth(n: unknown): unknown {
    return n;
  }

  @Gauged({ mode: 'value', name: 'pending_jobs' })
  async pending(n: number): Promise<number> {
    await Promise.resolve();
    return n;
  }
}

function bound(): { registry: Registry; worker: Worker } {
  const registry = new Registry();
  return { registry, worker: bindMetricsRuntime(new Worker(), new MetricsRuntime({ registry })) };
}

describe('@Gauged()', () => {
  it('inProgress (default): +1 on entry, -1 when the call settles, on failure too', async () => {
    const { registry, worker } = bound();
    const name = GAUGED_METRICS.inProgress;
    expect(name).toBe('method_in_progress');
    const a = worker.run(30);
    const b = worker.run(30, true);
    expect(await valueOf(registry, name, { class: 'Worker', method: 'run' })).toBe(2);
    await a;
    await expect(b).rejects.toThrow('job failed');
    expect(await valueOf(registry, name, { class: 'Worker', method: 'run' })).toBe(0);
  });

  it('lastDuration: the seconds of the latest call, successful or not', async () => {
    const { registry, worker } = bound();
    const name = GAUGED_METRICS.lastDuration;
    await worker.step(60);
    const first = await valueOf(registry, name, { method: 'step' });
    expect(first).toBeGreaterThanOrEqual(0.055);
    await expect(worker.step(1, true)).rejects.toThrow('step failed');
    const second = await valueOf(registry, name, { method: 'step' });
    expect(second).toBeLessThan(first!);
    expect(second).toBeGreaterThanOrEqual(0);
  });

  it('lastSuccess: no series before the first success, then the unix time of the latest success, untouched by failures', async () => {
    const { registry, worker } = bound();
    const name = GAUGED_METRICS.lastSuccess;
    // A 0 would read as "last success in 1970": `time() - x > 3600` would fire at every restart.
    expect(await valueOf(registry, name, { method: 'sync' })).toBeUndefined();
    expect(() => worker.sync(true)).toThrow('sync failed');
    expect(await valueOf(registry, name, { method: 'sync' })).toBeUndefined();
    const before = Date.now() / 1000;
    worker.sync(false);
    const after = Date.now() / 1000;
    const stamp = await valueOf(registry, name, { method: 'sync' });
    expect(stamp).toBeGreaterThanOrEqual(before);
    expect(stamp).toBeLessThanOrEqual(after);
    await sleep(20);
    expect(() => worker.sync(true)).toThrow('sync failed');
    expect(await valueOf(registry, name, { method: 'sync' })).toBe(stamp);
  });

  it('value: the numeric result, resolved values included; non-numbers leave it as it was', async () => {
    const { registry, worker } = bound();
    worker.depth(17);
    expect(await valueOf(registry, 'queue_depth', { method: 'depth' })).toBe(17);
    const warnings: string[] = [];
    const spy = jest.spyOn(process, 'emitWarning').mockImplementation(((w: string) => void warnings.push(w)) as typeof process.emitWarning);
    try {
      expect(worker.depth('not a number')).toBe('not a number');
      expect(worker.depth(null)).toBeNull();
    } finally {
      spy.mockRestore();
    }
    expect(await valueOf(registry, 'queue_depth', { method: 'depth' })).toBe(17);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"queue_depth" failed (value)');
    expect(await valueOf(registry, 'promkit_decorator_errors_total', { metric: 'queue_depth', reason: 'value' })).toBe(2);
    expect(await worker.pending(5)).toBe(5);
    expect(await valueOf(registry, 'pending_jobs', { method: 'pending' })).toBe(5);
  });

  it('rejects an unknown mode at definition time', () => {
    expect(() => Gauged({ mode: 'average' as 'value' })).toThrow(/mode "average" is not one of/);
  });
});
