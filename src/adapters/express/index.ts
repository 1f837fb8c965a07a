/**
 * `promkit/express`: request metrics and `/metrics` for Express 5. Only programs importing
 * this entry point load it; Express itself is an optional peer dependency.
 *
 * @module promkit/express
 */
export * from './express-request-metrics.js';
export * from './express-metrics-endpoint.js';
export * from '../request-metrics/index.js';
