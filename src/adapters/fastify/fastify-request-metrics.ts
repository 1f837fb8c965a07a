import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import { HttpRequestMetrics, trackRequest, type HttpRequestMetricsOptions, type RequestExchange } from '../request-metrics/index.js';

/**
 * Starts measuring one Fastify request (see {@link requestMetrics}); for integrations that
 * own the hooks, such as `promkit/inversify-http`.
 */
export function trackFastifyRequest(metrics: HttpRequestMetrics, request: FastifyRequest, reply: FastifyReply): RequestExchange | undefined {
  const exchange = trackRequest(metrics, request.raw, reply.raw);
  // Fastify's 404 handler has a routeOptions.url of its own (undefined or the wildcard).
  if (exchange !== undefined && request.is404 !== true) exchange.route = request.routeOptions.url;
  return exchange;
}

/** A Fastify plugin measuring requests, with the {@link HttpRequestMetrics} it records into. */
export type FastifyRequestMetrics = FastifyPluginCallback & { readonly metrics: HttpRequestMetrics };

/**
 * Request metrics for Fastify 5: `app.register(requestMetrics())`. The plugin's `onRequest`
 * hook applies to the whole application (it is not encapsulated, like plugins wrapped by
 * `fastify-plugin`), and labels each request with `request.routeOptions.url`, the
 * declared route (prefixes included); requests no route matched (404) share the
 * `unmatched` route.
 *
 * @param options - the metrics' options, or an {@link HttpRequestMetrics} to share.
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { metricsEndpoint, requestMetrics } from 'promkit/fastify';
 *
 * const app = Fastify();
 * await app.register(requestMetrics());
 * await app.register(metricsEndpoint());
 * app.get('/orders/:id', async (request) => ({ id: (request.params as { id: string }).id }));
 * ```
 */
export function requestMetrics(options: HttpRequestMetricsOptions | HttpRequestMetrics = {}): FastifyRequestMetrics {
  const metrics = options instanceof HttpRequestMetrics ? options : new HttpRequestMetrics(options);
  const plugin: FastifyPluginCallback = (instance, _options, done) => {
    instance.addHook('onRequest', (request, reply, next) => {
      trackFastifyRequest(metrics, request, reply);
      next();
    });
    done();
  };
  // What fastify-plugin does: the hook applies to the application, not to a child context.
  Object.defineProperty(plugin, Symbol.for('skip-override'), { value: true });
  Object.defineProperty(plugin, Symbol.for('fastify.display-name'), { value: 'promkit-request-metrics' });
  return Object.assign(plugin, { metrics });
}
