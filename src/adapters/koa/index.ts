/**
 * `promkit/koa`: request metrics and `/metrics` for Koa with `@koa/router`. Only programs
 * importing this entry point load it; Koa itself is an optional peer dependency.
 *
 * @module promkit/koa
 */
export * from './koa-request-metrics.js';
export * from './koa-metrics-endpoint.js';
export * from '../request-metrics/index.js';
