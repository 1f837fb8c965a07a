import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { HttpRequestMetrics, joinRoute, trackRequest, type HttpRequestMetricsOptions, type RequestExchange } from '../request-metrics/index.js';

const ROUTE = Symbol('promkit.expressRoute');
const TEMPLATE = Symbol('promkit.expressRouteTemplate');
const MOUNT = Symbol('promkit.expressRouteMount');

interface ExpressRoute {
  readonly path: unknown;
  [MOUNT]?: string;
  [TEMPLATE]?: string;
}

interface RoutedRequest extends IncomingMessage {
  baseUrl?: string;
  route?: ExpressRoute;
  [ROUTE]?: ExpressRoute;
  [TEMPLATE]?: string;
}

/** The template of `route` under the mount path `mount`, remembered on the route for the next request. */
function templateOf(route: ExpressRoute, mount: string): string {
  if (route[MOUNT] === mount && route[TEMPLATE] !== undefined) return route[TEMPLATE];
  const path = typeof route.path === 'string' ? route.path : String(route.path);
  const template = joinRoute(mount, path);
  route[MOUNT] = mount;
  route[TEMPLATE] = template;
  return template;
}

const patchedPrototypes = new WeakSet<object>();

/**
 * Makes `req.route = route` (what Express's router does when a route matches) also note
 * the route's template under the mount path in effect at that moment. Read later, when
 * the response closes, `req.baseUrl` may already be restored to a parent router's (an
 * error leaves the nested router before the final handler answers).
 *
 * Done once per request prototype (the application's `app.request`), not per request.
 */
function captureMatchedRoutes(prototype: object): void {
  patchedPrototypes.add(prototype);
  if (Object.getOwnPropertyDescriptor(prototype, 'route') !== undefined) return;
  Object.defineProperty(prototype, 'route', {
    configurable: true,
    enumerable: false,
    get(this: RoutedRequest): ExpressRoute | undefined {
      return this[ROUTE];
    },
    set(this: RoutedRequest, route: ExpressRoute | undefined) {
      this[ROUTE] = route;
      this[TEMPLATE] = route === undefined || route === null ? undefined : templateOf(route, this.baseUrl ?? '');
    },
  });
}

/** The matched route's template: as captured when it matched, or read now (a sub-application's route). */
function expressRoute(req: IncomingMessage): string | undefined {
  const routed = req as RoutedRequest;
  const captured = routed[TEMPLATE];
  if (captured !== undefined) return captured;
  const route = routed.route;
  return route === undefined || route === null ? undefined : templateOf(route, routed.baseUrl ?? '');
}

/**
 * Starts measuring one Express request (see {@link requestMetrics}); for integrations
 * that own the middleware chain, such as `promkit/inversify-http`.
 */
export function trackExpressRequest(metrics: HttpRequestMetrics, req: IncomingMessage, res: ServerResponse): RequestExchange | undefined {
  const prototype = Object.getPrototypeOf(req) as object | null;
  if (prototype !== null && !patchedPrototypes.has(prototype)) captureMatchedRoutes(prototype);
  return trackRequest(metrics, req, res, expressRoute);
}

/** An Express middleware measuring requests, with the {@link HttpRequestMetrics} it records into. */
export type ExpressRequestMetrics = RequestHandler & { readonly metrics: HttpRequestMetrics };

/**
 * Request metrics for Express 5: mount it first (`app.use(requestMetrics())`), before any
 * router. Each request is recorded when its response closes, labelled with the matched
 * route's template joined with its routers' mount paths (`/api/orders/:id`), never the
 * requested path; requests no route matched share the `unmatched` route.
 *
 * @param options - the metrics' options, or an {@link HttpRequestMetrics} to share.
 * @example
 * ```ts
 * import express from 'express';
 * import { metricsEndpoint, requestMetrics } from 'promkit/express';
 *
 * const app = express();
 * app.use(requestMetrics());
 * app.get('/metrics', metricsEndpoint());
 * app.get('/orders/:id', (req, res) => { res.json({ id: req.params.id }); });
 * ```
 */
export function requestMetrics(options: HttpRequestMetricsOptions | HttpRequestMetrics = {}): ExpressRequestMetrics {
  const metrics = options instanceof HttpRequestMetrics ? options : new HttpRequestMetrics(options);
  const middleware: RequestHandler = (req, res, next) => {
    trackExpressRequest(metrics, req, res);
    next();
  };
  return Object.assign(middleware, { metrics });
}
