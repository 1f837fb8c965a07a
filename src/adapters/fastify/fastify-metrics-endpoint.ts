import { Readable } from 'node:stream';
import type { FastifyPluginCallback } from 'fastify';
import { prepareScrape, type ScrapeSource } from '../../exposition/index.js';
import { defaultRegistry } from '../../registry/index.js';

/** Options of the Fastify {@link metricsEndpoint}. */
export interface FastifyMetricsEndpointOptions {
  /** The registry to serve; the default registry when not given. */
  readonly registry?: ScrapeSource;
  /** The route's path. Default `/metrics`. */
  readonly path?: string;
}

/** The `name[]` values of a parsed query (Fastify's parser gives a string or an array). */
function requestedNames(query: unknown): string[] {
  const value = typeof query === 'object' && query !== null ? (query as Record<string, unknown>)['name[]'] : undefined;
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.filter((name): name is string => typeof name === 'string' && name !== '');
}

/**
 * A Fastify plugin serving the registry on `GET /metrics` (and `HEAD`) as a native route:
 * the format negotiated from `Accept` (OpenMetrics 1.0 or text 0.0.4), restricted to the
 * `name[]` query values, sent with `reply` as a stream of pieces (a large registry is never
 * one string). Compression is `@fastify/compress`'s business.
 *
 * @example
 * ```ts
 * await app.register(metricsEndpoint({ registry }));
 * ```
 */
export function metricsEndpoint(options: FastifyMetricsEndpointOptions = {}): FastifyPluginCallback {
  const source = options.registry ?? defaultRegistry;
  const plugin: FastifyPluginCallback = (instance, _options, done) => {
    instance.get(options.path ?? '/metrics', async (request, reply) => {
      const scrape = await prepareScrape(source, { accept: request.headers.accept, names: requestedNames(request.query) });
      return reply.header('Content-Type', scrape.contentType).header('Cache-Control', 'no-store').header('Vary', 'Accept').send(Readable.from(scrape.chunks()));
    });
    done();
  };
  Object.defineProperty(plugin, Symbol.for('skip-override'), { value: true });
  return plugin;
}
