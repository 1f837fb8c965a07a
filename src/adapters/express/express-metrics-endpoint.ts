import type { RequestHandler } from 'express';
import { metricsHandler, type MetricsHandlerOptions } from '../../http/index.js';

/**
 * The `/metrics` route handler for Express: content negotiation (OpenMetrics or text
 * 0.0.4), `name[]` filtering, gzip and streaming of large scrapes, as promkit's own server.
 *
 * @example
 * ```ts
 * app.get('/metrics', metricsEndpoint({ registry }));
 * ```
 */
export function metricsEndpoint(options: MetricsHandlerOptions = {}): RequestHandler {
  const handler = metricsHandler(options);
  return (req, res) => handler(req, res);
}
