import { Readable } from 'node:stream';
import type { Middleware } from 'koa';
import { prepareScrape, type ScrapeSource } from '../../exposition/index.js';
import { defaultRegistry } from '../../registry/index.js';

/** Options of the Koa {@link metricsEndpoint}. */
export interface KoaMetricsEndpointOptions {
  /** The registry to serve; the default registry when not given. */
  readonly registry?: ScrapeSource;
  /** The path served. Default `/metrics`. */
  readonly path?: string;
}

/**
 * A Koa middleware answering `GET`/`HEAD` on `/metrics` (other requests pass through):
 * the format negotiated from `Accept` (OpenMetrics 1.0 or text 0.0.4), restricted to the
 * `name[]` query values, set as `ctx.body` (a stream of pieces: a large registry is never
 * one string). Compression is `koa-compress`'s business.
 *
 * @example
 * ```ts
 * app.use(metricsEndpoint({ registry }));
 * ```
 */
export function metricsEndpoint(options: KoaMetricsEndpointOptions = {}): Middleware {
  const source = options.registry ?? defaultRegistry;
  const path = options.path ?? '/metrics';
  return async (ctx, next) => {
    if (ctx.path !== path || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    const requested = ctx.query['name[]'];
    const names = (Array.isArray(requested) ? requested : requested === undefined ? [] : [requested]).filter((name) => name !== '');
    const scrape = await prepareScrape(source, { accept: ctx.get('Accept'), names });
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Vary', 'Accept');
    ctx.type = scrape.contentType;
    ctx.body = Readable.from(scrape.chunks());
  };
}
