import type { Middleware, ParameterizedContext } from 'koa';
import { HttpRequestMetrics, trackRequest, type HttpRequestMetricsOptions } from '../request-metrics/index.js';

/** A Koa middleware measuring requests, with the {@link HttpRequestMetrics} it records into. */
export type KoaRequestMetrics = Middleware & { readonly metrics: HttpRequestMetrics };

/** What `@koa/router` leaves on the context: the template of the route that ran (its prefix included). */
function matchedRoute(ctx: ParameterizedContext): string | undefined {
  const route = (ctx as { _matchedRoute?: unknown })._matchedRoute;
  if (typeof route === 'string') return route;
  return route instanceof RegExp ? String(route) : undefined;
}

/**
 * Request metrics for Koa (2 or 3) with `@koa/router`: `app.use(requestMetrics())` first.
 * Each request is labelled with the template of the router route that ran (`_matchedRoute`,
 * router prefixes included); requests no route matched share the `unmatched` route. The
 * request is recorded when the response closes, so an error thrown downstream is counted
 * with the status Koa answers it with.
 *
 * @param options - the metrics' options, or an {@link HttpRequestMetrics} to share.
 * @example
 * ```ts
 * import Koa from 'koa';
 * import Router from '@koa/router';
 * import { metricsEndpoint, requestMetrics } from 'promkit/koa';
 *
 * const app = new Koa();
 * const router = new Router();
 * router.get('/orders/:id', (ctx) => { ctx.body = { id: ctx.params.id }; });
 * app.use(requestMetrics()).use(metricsEndpoint()).use(router.routes());
 * ```
 */
export function requestMetrics(options: HttpRequestMetricsOptions | HttpRequestMetrics = {}): KoaRequestMetrics {
  const metrics = options instanceof HttpRequestMetrics ? options : new HttpRequestMetrics(options);
  const middleware: Middleware = async (ctx, next) => {
    const exchange = trackRequest(metrics, ctx.req, ctx.res);
    if (exchange === undefined) return next();
    try {
      await next();
    } finally {
      exchange.route = matchedRoute(ctx);
    }
  };
  return Object.assign(middleware, { metrics });
}
