import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Middleware } from '@inversifyjs/http-core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { inject, injectable, type ServiceIdentifier } from 'inversify';
import { trackExpressRequest } from '../express/express-request-metrics.js';
import { trackFastifyRequest } from '../fastify/fastify-request-metrics.js';
import type { HttpRequestMetrics } from '../request-metrics/index.js';

/** The {@link HttpRequestMetrics} the middleware records into (bound by {@link HttpMetricsModule}). */
export const HTTP_REQUEST_METRICS: ServiceIdentifier<HttpRequestMetrics> = Symbol.for('promkit.HttpRequestMetrics');

/** A Fastify request (as `@inversifyjs/http-fastify` passes it) rather than a `node:http` one (Express). */
function isFastifyRequest(request: object): request is FastifyRequest {
  return 'raw' in request && 'routeOptions' in request;
}

/**
 * The global middleware measuring every request of an `@inversifyjs/http-express` or
 * `@inversifyjs/http-fastify` application:
 * `adapter.applyGlobalMiddleware(HttpRequestMetricsMiddleware)` before `build()`. Requests
 * are labelled with the controller route's template (`/orders/:id`: the controller's path
 * joined with the method's), unmatched ones with `unmatched`; errors a controller throws
 * are counted with the status the framework answers (500).
 */
@injectable()
export class HttpRequestMetricsMiddleware implements Middleware<object, object, () => void, void> {
  /** @param metrics - what to record into. */
  constructor(@inject(HTTP_REQUEST_METRICS) private readonly metrics: HttpRequestMetrics) {}

  /** Starts measuring the request and passes it on. */
  execute(request: object, response: object, next: () => void): void {
    if (isFastifyRequest(request)) trackFastifyRequest(this.metrics, request, response as FastifyReply);
    else trackExpressRequest(this.metrics, request as IncomingMessage, response as ServerResponse);
    next();
  }
}
