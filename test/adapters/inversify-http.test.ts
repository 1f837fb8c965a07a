import 'reflect-metadata';
import type { Server } from 'node:net';
import { Readable } from 'node:stream';
import { expect } from '@jest/globals';
import { Body, Controller, Get, Params, Post, ServiceUnavailableHttpResponse } from '@inversifyjs/http-core';
import { InversifyExpressHttpAdapter } from '@inversifyjs/http-express';
import { InversifyFastifyHttpAdapter } from '@inversifyjs/http-fastify';
import { Container } from 'inversify';
import { Timed } from '../../src/index.js';
import { METRICS_REGISTRY, MetricsModule, MetricsPlugin } from '../../src/di/index.js';
import { HTTP_REQUEST_METRICS, HttpMetricsModule, HttpRequestMetricsMiddleware } from '../../src/adapters/inversify-http/index.js';
import { STREAM_CHUNKS, STREAM_CHUNK_BYTES, baseUrl, describeAdapter, scrapeParsed, type RunningApp } from './traffic.js';

@Controller('/orders')
class OrdersController {
  @Timed()
  @Get('/:id')
  async show(@Params({ name: 'id' }) id: string): Promise<{ id: string }> {
    return { id };
  }
}

@Controller('/api')
class ItemsController {
  @Get('/items/:itemId')
  item(@Params({ name: 'itemId' }) itemId: string): { item: string } {
    return { item: itemId };
  }

  @Get('/broken')
  broken(): never {
    throw new Error('broken inside a controller with a path');
  }
}

@Controller()
class MiscController {
  @Get('/boom')
  async boom(): Promise<never> {
    throw new Error('boom');
  }

  @Get('/unavailable')
  unavailable(): ServiceUnavailableHttpResponse {
    return new ServiceUnavailableHttpResponse('down');
  }

  @Get('/stream')
  stream(): Readable {
    return Readable.from(Array.from({ length: STREAM_CHUNKS }, () => Buffer.alloc(STREAM_CHUNK_BYTES, 0x61)));
  }

  @Post('/echo')
  echo(@Body() body: unknown): string {
    return String(typeof body === 'string' ? body.length : 0);
  }
}

/** The adapters log every controller error; thrown errors are part of this test. */
const silent = { log() {}, error() {}, warn() {}, info() {}, http() {}, verbose() {}, debug() {}, silly() {} };

async function start(framework: 'express' | 'fastify'): Promise<RunningApp> {
  const container = new Container();
  container.register(MetricsPlugin);
  container.load(new MetricsModule({ defaultCollectors: false }), new HttpMetricsModule());
  container.bind(OrdersController).toSelf().inSingletonScope();
  container.bind(ItemsController).toSelf().inSingletonScope();
  container.bind(MiscController).toSelf().inSingletonScope();
  const registry = container.get(METRICS_REGISTRY);
  const metrics = container.get(HTTP_REQUEST_METRICS);
  if (framework === 'express') {
    const adapter = new InversifyExpressHttpAdapter(container, { logger: silent, useText: true });
    adapter.applyGlobalMiddleware(HttpRequestMetricsMiddleware);
    const app = await adapter.build();
    const server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    return { base: baseUrl(server), registry, metrics, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }
  const adapter = new InversifyFastifyHttpAdapter(container, { logger: silent });
  adapter.applyGlobalMiddleware(HttpRequestMetricsMiddleware);
  const app = await adapter.build();
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { base: baseUrl(app.server), registry, metrics, close: () => app.close() };
}

/** @Timed() on the controller method recorded each of the plan's four GET /orders/:id. */
async function controllerTimed(app: RunningApp): Promise<void> {
  const timed = (await scrapeParsed(app.base, 'openmetrics')).find((family) => family.name === 'method_timed_seconds');
  const count = timed?.samples.find((s) => s.name === 'method_timed_seconds_count' && s.labels.class === 'OrdersController' && s.labels.method === 'show');
  expect(count?.value).toBe(4);
}

for (const framework of ['express', 'fastify'] as const) {
  describeAdapter(`promkit/inversify-http on a real @inversifyjs/http-${framework} server`, () => start(framework), controllerTimed);
}
