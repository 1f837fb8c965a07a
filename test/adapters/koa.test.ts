import type { Server } from 'node:http';
import { Readable } from 'node:stream';
import Koa from 'koa';
import Router from '@koa/router';
import { Registry } from '../../src/index.js';
import { metricsEndpoint, requestMetrics } from '../../src/adapters/koa/index.js';
import { STREAM_CHUNKS, STREAM_CHUNK_BYTES, baseUrl, describeAdapter } from './traffic.js';

function buildApp(registry: Registry, middleware: ReturnType<typeof requestMetrics>): Koa {
  const app = new Koa();
  app.silent = true; // thrown errors are part of the test, not log noise
  const router = new Router();
  router.get('/orders/:id', (ctx) => {
    ctx.body = { id: ctx.params.id };
  });
  router.get('/boom', async () => {
    throw new Error('boom');
  });
  router.get('/unavailable', (ctx) => {
    ctx.status = 503;
    ctx.body = 'down';
  });
  router.get('/stream', (ctx) => {
    ctx.type = 'application/octet-stream';
    ctx.body = Readable.from(Array.from({ length: STREAM_CHUNKS }, () => Buffer.alloc(STREAM_CHUNK_BYTES, 0x61)));
  });
  router.post('/echo', async (ctx) => {
    let bytes = 0;
    for await (const part of ctx.req) bytes += (part as Buffer).length;
    ctx.body = String(bytes);
  });
  const api = new Router({ prefix: '/api' });
  api.get('/items/:itemId', (ctx) => {
    ctx.body = { item: ctx.params.itemId };
  });
  api.get('/broken', () => {
    throw new Error('broken inside a prefixed router');
  });
  app.use(middleware).use(metricsEndpoint({ registry })).use(router.routes()).use(api.routes());
  return app;
}

describeAdapter('promkit/koa on a real Koa server with @koa/router', async () => {
  const registry = new Registry();
  const middleware = requestMetrics({ registry });
  const app = buildApp(registry, middleware);
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return { base: baseUrl(server), registry, metrics: middleware.metrics, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
});
