import { Readable } from 'node:stream';
import { Controller, Get, Headers, OkHttpResponse, Query } from '@inversifyjs/http-core';
import { inject } from 'inversify';
import { METRICS_REGISTRY } from '../../di/metrics-tokens.js';
import { prepareScrape, type ScrapeSource } from '../../exposition/index.js';

/** The `name[]` values of a parsed query (a string or an array, depending on the framework). */
function requestedNames(value: unknown): string[] {
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.filter((name): name is string => typeof name === 'string' && name !== '');
}

/**
 * An `@inversifyjs/http-core` controller serving the container's registry (the one
 * `MetricsModule` binds under `METRICS_REGISTRY`) on `GET /metrics`, in the format
 * negotiated from `Accept`, restricted to the `name[]` query values. It answers through
 * the framework (Express or Fastify), so it shares the application's port, middleware and
 * request metrics. Bound by {@link HttpMetricsModule}.
 */
@Controller('/metrics')
export class MetricsController {
  /** @param registry - the container's registry. */
  constructor(@inject(METRICS_REGISTRY) private readonly registry: ScrapeSource) {}

  /** One scrape. */
  @Get()
  async scrape(@Headers({ name: 'accept' }) accept: string | undefined, @Query({ name: 'name[]' }) names: unknown): Promise<OkHttpResponse> {
    const scrape = await prepareScrape(this.registry, { accept, names: requestedNames(names) });
    // A stream of pieces: a large registry is never one string.
    return new OkHttpResponse(Readable.from(scrape.chunks()), { 'Content-Type': scrape.contentType, 'Cache-Control': 'no-store', Vary: 'Accept' });
  }
}
