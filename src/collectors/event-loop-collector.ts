import { monitorEventLoopDelay, performance, type EventLoopUtilization, type IntervalHistogram } from 'node:perf_hooks';
import { gaugeFamily, InvalidOptionsError, type MetricDescriptor, type MetricFamily } from '../model/index.js';
import type { Collector } from '../registry/index.js';
import { resolveRuntimeOptions, type ResolvedRuntimeOptions, type RuntimeCollectorOptions } from './runtime-collector-options.js';

/** Options of {@link EventLoopCollector}. */
export interface EventLoopCollectorOptions extends RuntimeCollectorOptions {
  /** The sampling interval of `monitorEventLoopDelay`, in milliseconds (default 10, as prom-client). */
  readonly eventLoopMonitoringPrecision?: number;
}

const STATS = [
  ['min', 'The minimum recorded event loop delay.'],
  ['max', 'The maximum recorded event loop delay.'],
  ['mean', 'The mean of the recorded event loop delays.'],
  ['stddev', 'The standard deviation of the recorded event loop delays.'],
  ['p50', 'The 50th percentile of the recorded event loop delays.'],
  ['p90', 'The 90th percentile of the recorded event loop delays.'],
  ['p99', 'The 99th percentile of the recorded event loop delays.'],
] as const;

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function afterTimers(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 1));
}

/**
 * Event loop health, with prom-client's names:
 *
 * - `nodejs_eventloop_lag_seconds`: how long a callback queued now waits to run
 *   (measured during the scrape, so it is this scrape's value, not the previous one's);
 * - `nodejs_eventloop_lag_{min,max,mean,stddev,p50,p90,p99}_seconds`: the distribution of
 *   `perf_hooks.monitorEventLoopDelay` samples since the previous scrape (the window is
 *   reset after each scrape). As in prom-client, a sample is the time between two ticks of
 *   the sampling timer, so an idle loop reads about the sampling interval (0.01 s by default)
 *   and a 100 ms stall reads about 0.11 s. With no sample in the window (scrapes closer
 *   together than the interval), these are absent;
 * - `nodejs_eventloop_utilization`: the share of time (0-1) the loop was busy since the
 *   previous scrape (`performance.eventLoopUtilization`).
 *
 * Call {@link close} (or unregister the collector) to stop the sampling timer.
 */
export class EventLoopCollector implements Collector {
  readonly collectorName = 'nodejs_eventloop';
  private readonly options: ResolvedRuntimeOptions;
  private readonly histogram: IntervalHistogram;
  private lastUtilization: EventLoopUtilization;
  private closed = false;

  constructor(options?: EventLoopCollectorOptions) {
    this.options = resolveRuntimeOptions('nodejs_eventloop', options, []);
    const resolution = options?.eventLoopMonitoringPrecision ?? 10;
    if (!Number.isInteger(resolution) || resolution < 1) {
      throw new InvalidOptionsError(undefined, `eventLoopMonitoringPrecision must be a whole number of milliseconds >= 1, got ${resolution}`);
    }
    // The histogram's timer does not keep the process alive (it is unref'd by Node).
    this.histogram = monitorEventLoopDelay({ resolution });
    this.histogram.enable();
    this.lastUtilization = performance.eventLoopUtilization();
  }

  describe(): MetricDescriptor[] {
    const p = this.options.prefix;
    return [
      { name: `${p}nodejs_eventloop_lag_seconds`, type: 'gauge' },
      ...STATS.map(([stat]) => ({ name: `${p}nodejs_eventloop_lag_${stat}_seconds`, type: 'gauge' as const })),
      { name: `${p}nodejs_eventloop_utilization`, type: 'gauge' },
    ];
  }

  async collect(): Promise<MetricFamily[]> {
    const { prefix: p, labels: constLabels } = this.options;
    const start = process.hrtime.bigint();
    // Not unref'd: a batch job awaiting a final push must not exit in the middle of a scrape.
    await nextTurn();
    const lag = Number(process.hrtime.bigint() - start) / 1e9;
    // The delay monitor records a stall when its timer next fires. That timer is due before
    // a 1 ms timer set now, so after this a stall that just ended is in this window.
    await afterTimers();
    const h = this.histogram;
    const families: MetricFamily[] = [gaugeFamily({ name: `${p}nodejs_eventloop_lag_seconds`, unit: 'seconds', help: 'Lag of event loop in seconds.', constLabels }).add(lag)];
    const sampled = h.count > 0;
    for (const [stat, help] of STATS) {
      const family = gaugeFamily({ name: `${p}nodejs_eventloop_lag_${stat}_seconds`, unit: 'seconds', help, constLabels });
      if (sampled) family.add(histogramStat(h, stat) / 1e9);
      families.push(family);
    }
    h.reset();
    const now = performance.eventLoopUtilization();
    const utilization = performance.eventLoopUtilization(now, this.lastUtilization).utilization;
    this.lastUtilization = now;
    families.push(
      gaugeFamily({
        name: `${p}nodejs_eventloop_utilization`,
        help: 'Event loop utilization since the previous scrape: the share of time (0-1) the event loop was busy rather than waiting for events.',
        constLabels,
      }).add(utilization),
    );
    return families.filter((f) => f.samples.length > 0);
  }

  /** Stops the delay monitor. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.histogram.disable();
  }
}

function histogramStat(h: IntervalHistogram, stat: (typeof STATS)[number][0]): number {
  switch (stat) {
    case 'min':
      return h.min;
    case 'max':
      return h.max;
    case 'mean':
      return h.mean;
    case 'stddev':
      return h.stddev;
    case 'p50':
      return h.percentile(50);
    case 'p90':
      return h.percentile(90);
    case 'p99':
      return h.percentile(99);
  }
}
