import { scrape, type ScrapeResult } from '../exposition/index.js';
import type { CollectOptions, CollectResult, Registry } from '../registry/index.js';

/**
 * Scrapes the container's registry: collects, checks and encodes it for whatever serves it: your own HTTP framework's
 * route, a message bus, a test. The format follows the scraper's `Accept` header (OpenMetrics
 * 1.0.0 or text 0.0.4).
 *
 * @example
 * ```ts
 * const metrics = container.get(METRICS_SCRAPER);
 * app.get('/metrics', async (req, reply) => {
 *   const { contentType, body } = await metrics.scrape(req.headers.accept);
 *   reply.header('Content-Type', contentType).send(body);
 * });
 * ```
 */
export class MetricsScraper {
  constructor(readonly registry: Registry) {}

  /**
   * Collects and encodes the registry: `contentType` is the header to send with `body`.
   * `names` restricts the output like Prometheus's `name[]` parameter.
   */
  scrape(accept?: string | null, names?: readonly string[]): Promise<ScrapeResult> {
    return scrape(this.registry, names === undefined ? { accept } : { accept, names });
  }

  /** The registry's families (and the collectors that failed), unencoded. */
  collect(options?: CollectOptions): Promise<CollectResult> {
    return this.registry.collect(options);
  }
}

/** @deprecated Renamed {@link MetricsScraper} (it scrapes); this alias goes in the next major version. */
export const CollectorService = MetricsScraper;
/** @deprecated Renamed {@link MetricsScraper}. */
export type CollectorService = MetricsScraper;
