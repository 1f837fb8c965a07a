import type { MetricFamily } from '../model/index.js';
import { Registry, type Collector } from '../registry/index.js';
import type { ScrapeSource } from '../exposition/index.js';

/** Why a scrape was turned away. */
export type ScrapeRejection = 'in_flight' | 'too_many_names';

/**
 * The handler's own metrics (promhttp's `promhttp_metric_handler_*`), kept per registry:
 * every handler serving one registry adds to the same counts, exposed by one collector.
 */
export class HandlerMetrics implements Collector {
  /** The name this collector reports in `promkit_collector_*`. */
  readonly collectorName = 'promkit_http';
  private readonly responses = new Map<string, number>();
  private readonly rejections = new Map<ScrapeRejection, number>([
    ['in_flight', 0],
    ['too_many_names', 0],
  ]);
  private inFlight = 0;

  /** A scrape began (it ends with {@link scrapeEnded}). */
  scrapeStarted(): void {
    this.inFlight++;
  }

  /** A scrape begun with {@link scrapeStarted} ended, answered or not. */
  scrapeEnded(): void {
    this.inFlight--;
  }

  /** A response with this status code was sent. */
  responded(status: number): void {
    const code = String(status);
    this.responses.set(code, (this.responses.get(code) ?? 0) + 1);
  }

  /** A scrape was turned away. */
  rejected(reason: ScrapeRejection): void {
    this.rejections.set(reason, (this.rejections.get(reason) ?? 0) + 1);
  }

  /** The families of the counts so far. */
  collect(): MetricFamily[] {
    return [
      {
        name: 'promkit_http_requests',
        type: 'counter',
        help: 'Requests the metrics handler answered, by HTTP status code.',
        unit: '',
        samples: [...this.responses].map(([code, value]) => ({ name: 'promkit_http_requests_total', labels: { code }, value })),
      },
      { name: 'promkit_http_scrapes_in_flight', type: 'gauge', help: 'Scrapes being served now.', unit: '', samples: [{ name: 'promkit_http_scrapes_in_flight', labels: {}, value: this.inFlight }] },
      {
        name: 'promkit_http_scrapes_rejected',
        type: 'counter',
        help: 'Scrapes turned away: too many in flight (503), too many name[] values (400).',
        unit: '',
        samples: [...this.rejections].map(([reason, value]) => ({ name: 'promkit_http_scrapes_rejected_total', labels: { reason }, value })),
      },
    ];
  }

  /** The names this collector exposes. */
  describe(): { name: string; type: 'counter' | 'gauge' }[] {
    return [
      { name: 'promkit_http_requests', type: 'counter' },
      { name: 'promkit_http_scrapes_in_flight', type: 'gauge' },
      { name: 'promkit_http_scrapes_rejected', type: 'counter' },
    ];
  }
}

const registered = new WeakMap<Registry, HandlerMetrics>();

/** The handler metrics of `source`, registered in it on first use; `undefined` when it is not a `Registry`. */
export function handlerMetricsOf(source: ScrapeSource): HandlerMetrics | undefined {
  if (!(source instanceof Registry)) return undefined;
  let metrics = registered.get(source);
  if (metrics === undefined) {
    metrics = new HandlerMetrics();
    source.register(metrics);
    registered.set(source, metrics);
  }
  return metrics;
}
