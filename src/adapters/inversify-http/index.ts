/**
 * `promkit/inversify-http`: request metrics and `/metrics` for inversify's HTTP framework
 * (`@inversifyjs/http-core` with `@inversifyjs/http-express` or `@inversifyjs/http-fastify`).
 * Only programs importing this entry point load it; the framework is an optional peer.
 *
 * @module promkit/inversify-http
 */
export * from './http-metrics-module.js';
export * from './http-metrics-middleware.js';
export * from './metrics-controller.js';
export * from '../request-metrics/index.js';
