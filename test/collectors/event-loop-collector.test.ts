import { afterEach, describe, expect, it } from '@jest/globals';
import { EventLoopCollector } from '../../src/collectors/index.js';
import { InvalidOptionsError } from '../../src/model/index.js';
import { valueOf } from './collected.js';

function block(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    /* stall the event loop on purpose */
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('EventLoopCollector', () => {
  let collector: EventLoopCollector | undefined;
  afterEach(() => collector?.close());

  it('describes what it collects, with prom-client names', async () => {
    collector = new EventLoopCollector();
    await sleep(50);
    const families = await collector.collect();
    expect(families.map((f) => [f.name, f.type])).toEqual(collector.describe().map((d) => [d.name, d.type]));
    expect(families.map((f) => f.name)).toEqual([
      'nodejs_eventloop_lag_seconds',
      'nodejs_eventloop_lag_min_seconds',
      'nodejs_eventloop_lag_max_seconds',
      'nodejs_eventloop_lag_mean_seconds',
      'nodejs_eventloop_lag_stddev_seconds',
      'nodejs_eventloop_lag_p50_seconds',
      'nodejs_eventloop_lag_p90_seconds',
      'nodejs_eventloop_lag_p99_seconds',
      'nodejs_eventloop_utilization',
    ]);
  });

  it('a 400 ms stall right before the scrape is in this scrape, and the next window starts afresh', async () => {
    collector = new EventLoopCollector();
    await sleep(50);
    await collector.collect();
    await sleep(30);
    block(400);
    const stalled = await collector.collect();
    expect(valueOf(stalled, 'nodejs_eventloop_lag_max_seconds')).toBeGreaterThanOrEqual(0.39);
    expect(valueOf(stalled, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0.39);
    await sleep(60);
    const calm = await collector.collect();
    // A window that kept the stall would report its max again (or more); a fresh one holds
    // only idle samples of about one sampling interval (10 ms). Compared with the stall
    // itself, not with a fixed ceiling, so a busy machine that stretches both still passes.
    const stalledMax = valueOf(stalled, 'nodejs_eventloop_lag_max_seconds');
    expect(valueOf(calm, 'nodejs_eventloop_lag_max_seconds')).toBeLessThan(stalledMax);
    expect(valueOf(calm, 'nodejs_eventloop_lag_min_seconds')).toBeGreaterThan(0.005);
  });

  it('lag is measured during this scrape: a stall while it waits shows up in it', async () => {
    collector = new EventLoopCollector();
    const pending = collector.collect();
    block(400);
    const stalledLag = valueOf(await pending, 'nodejs_eventloop_lag_seconds');
    expect(stalledLag).toBeGreaterThanOrEqual(0.39);
    // Measured afresh, without a stall: below the stalled reading (a reused one would equal it).
    expect(valueOf(await collector.collect(), 'nodejs_eventloop_lag_seconds')).toBeLessThan(stalledLag);
  });

  it('utilization is the busy share since the previous scrape', async () => {
    collector = new EventLoopCollector();
    await collector.collect();
    block(150);
    const busy = valueOf(await collector.collect(), 'nodejs_eventloop_utilization');
    // An idle interval: polled, since on a loaded machine one interval may still be busy
    // (the worker descheduled, a GC); the busy reading above already rules out a
    // utilization averaged since start.
    let idle = 1;
    for (let attempt = 0; attempt < 20 && idle >= 0.5; attempt++) {
      await sleep(150);
      idle = valueOf(await collector.collect(), 'nodejs_eventloop_utilization');
    }
    expect(busy).toBeGreaterThan(0.8);
    expect(busy).toBeLessThanOrEqual(1);
    expect(idle).toBeLessThan(0.5);
  });

  it('without a completed sampling interval the distribution is absent, not garbage', async () => {
    collector = new EventLoopCollector({ eventLoopMonitoringPrecision: 1000 });
    const names = (await collector.collect()).map((f) => f.name);
    expect(names).toEqual(['nodejs_eventloop_lag_seconds', 'nodejs_eventloop_utilization']);
  });

  it('rejects a bad precision', () => {
    expect(() => new EventLoopCollector({ eventLoopMonitoringPrecision: 0 })).toThrow(InvalidOptionsError);
  });
});
