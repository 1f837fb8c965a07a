/**
 * `promkit/fastify`: request metrics and `/metrics` for Fastify 5. Only programs importing
 * this entry point load it; Fastify itself is an optional peer dependency.
 *
 * @module promkit/fastify
 */
export * from './fastify-request-metrics.js';
export * from './fastify-metrics-endpoint.js';
export * from '../request-metrics/index.js';
