import client from 'prom-client';
import { bindMetricsRuntime, DEFAULT_BUCKETS, encode, Histogram, MetricsRuntime, Registry, Timed } from '../src/index.js';
import { measurePair, type Budget } from './harness.js';
import type { Results } from './results.js';
import { expectWork } from './work-check.js';

/** What every variant's method does: too little to hide the instrumentation's cost. */
function work(x: number): number {
  return (x * 31 + 7) & 0xffff;
}

class Decorated {
  @Timed()
  sync(x: number): number {
    return work(x);
  }

  @Timed()
  async async(x: number): Promise<number> {
    return work(x);
  }
}

/** A bound histogram child's timer (promkit's or prom-client's): what one writes by hand. */
interface TimerSeries {
  startTimer(): () => unknown;
}

/** The same methods timed by hand, with the same metric shape (labels class, method, exception). */
class HandWritten {
  constructor(
    readonly registry: Registry | client.Registry,
    private readonly syncSeries: TimerSeries,
    private readonly asyncSeries: TimerSeries,
  ) {}

  sync(x: number): number {
    const end = this.syncSeries.startTimer();
    try {
      return work(x);
    } finally {
      end();
    }
  }

  async async(x: number): Promise<number> {
    const end = this.asyncSeries.startTimer();
    try {
      return await Promise.resolve(work(x));
    } finally {
      end();
    }
  }
}

function promkitHandWritten(): HandWritten {
  const registry = new Registry();
  const histogram = new Histogram({ name: 'method_timed_seconds', help: 'h', labelNames: ['class', 'method', 'exception'], buckets: DEFAULT_BUCKETS, registry });
  return new HandWritten(
    registry,
    histogram.labels({ class: 'HandWritten', method: 'sync', exception: 'none' }),
    histogram.labels({ class: 'HandWritten', method: 'async', exception: 'none' }),
  );
}

function promClientHandWritten(): HandWritten {
  const registry = new client.Registry();
  const histogram = new client.Histogram({ name: 'method_timed_seconds', help: 'h', labelNames: ['class', 'method', 'exception'], buckets: DEFAULT_BUCKETS.filter(Number.isFinite), registers: [registry] });
  return new HandWritten(
    registry,
    histogram.labels({ class: 'HandWritten', method: 'sync', exception: 'none' }),
    histogram.labels({ class: 'HandWritten', method: 'async', exception: 'none' }),
  );
}

const CALLS = 64;

/**
 * `@Timed()` on a sync and an async method against the same method timed by hand with a
 * bound histogram child's `startTimer()`: promkit's (the decorator's overhead, target
 * decorated / hand-written <= 1.2) and prom-client's (what a prom-client user writes).
 */
export async function benchDecorators(budget: Budget, results: Results): Promise<void> {
  console.log('\ndecorators');
  const decoratedRegistry = new Registry();
  const decorated = bindMetricsRuntime(new Decorated(), new MetricsRuntime({ registry: decoratedRegistry }));
  const promkitHand = promkitHandWritten();
  const promClientHand = promClientHandWritten();
  let sink = 0;
  // Calls made on each target, checked against its histograms' counts at the end.
  const calls = new Map<object, number>([[decorated, 0], [promkitHand, 0], [promClientHand, 0]]);
  const syncOf = (target: { sync(x: number): number }) => () => {
    for (let i = 0; i < CALLS; i++) sink ^= target.sync(i);
    calls.set(target, calls.get(target)! + CALLS);
  };
  const asyncOf = (target: { async(x: number): Promise<number> }) => async () => {
    for (let i = 0; i < CALLS; i++) sink ^= await target.async(i);
    calls.set(target, calls.get(target)! + CALLS);
  };

  const syncOwn = await measurePair(budget, { run: syncOf(decorated) }, { run: syncOf(promkitHand) });
  results.addOverhead({ name: '@Timed() sync method: decorated / hand-written promkit timer', decorated_ns: syncOwn.promkit / CALLS, hand_written_ns: syncOwn.prom_client / CALLS, ratio: syncOwn.promkit / syncOwn.prom_client, target: 1.2 });
  const asyncOwn = await measurePair(budget, { run: asyncOf(decorated) }, { run: asyncOf(promkitHand) });
  results.addOverhead({ name: '@Timed() async method: decorated / hand-written promkit timer', decorated_ns: asyncOwn.promkit / CALLS, hand_written_ns: asyncOwn.prom_client / CALLS, ratio: asyncOwn.promkit / asyncOwn.prom_client, target: 1.2 });

  const syncVs = await measurePair(budget, { run: syncOf(decorated) }, { run: syncOf(promClientHand) });
  results.throughput('@Timed() sync method vs prom-client hand-written timer', syncVs, CALLS);
  const asyncVs = await measurePair(budget, { run: asyncOf(decorated) }, { run: asyncOf(promClientHand) });
  results.throughput('@Timed() async method vs prom-client hand-written timer', asyncVs, CALLS);
  if (sink === 0.5) console.log(sink); // keeps `sink` observable
  const countsIn = (text: string): number => text.split('\n').filter((l) => /^\w+_count[{ ]/.test(l)).reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
  const text = async (registry: Registry | client.Registry): Promise<string> => (registry instanceof Registry ? encode((await registry.collect()).families, 'text') : registry.metrics());
  expectWork('@Timed()', 'decorated calls timed', countsIn(await text(decoratedRegistry)), calls.get(decorated)!);
  expectWork('@Timed()', 'promkit hand-written calls timed', countsIn(await text(promkitHand.registry)), calls.get(promkitHand)!);
  expectWork('@Timed()', 'prom-client hand-written calls timed', countsIn(await text(promClientHand.registry)), calls.get(promClientHand)!);
}
