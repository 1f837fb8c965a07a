/**
 * One application for the request-metrics overhead workload, in a process of its own:
 * `node adapter-server-child.js <variant>` serves `GET /orders/:id` (a small JSON answer)
 * on 127.0.0.1, with no request metrics (`*-bare`), promkit's adapter, or the incumbent
 * (express-prom-bundle, fastify-metrics), and sends its URL to the parent. Asked `cpu`, it
 * answers the CPU time it has used so far (user + system, microseconds): the parent divides
 * the difference over a run by the requests served, a measure the other processes of a
 * loaded machine disturb far less than requests per second.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import promBundle from 'express-prom-bundle';
import Fastify from 'fastify';
import fastifyMetricsModule from 'fastify-metrics';
import { Registry } from '../src/index.js';
import * as promkitExpress from '../src/adapters/express/index.js';
import * as promkitFastify from '../src/adapters/fastify/index.js';

/** The applications the workload compares. */
export type AdapterVariant = 'express-bare' | 'express-promkit' | 'express-prom-bundle' | 'fastify-bare' | 'fastify-promkit' | 'fastify-metrics';

async function serveExpress(variant: AdapterVariant): Promise<string> {
  const app = express();
  if (variant === 'express-promkit') {
    const registry = new Registry();
    app.use(promkitExpress.requestMetrics({ registry }));
    app.get('/metrics', promkitExpress.metricsEndpoint({ registry }));
  } else if (variant === 'express-prom-bundle') {
    app.use(promBundle({ includeMethod: true, includePath: true, includeStatusCode: true }));
  }
  app.get('/orders/:id', (req, res) => {
    res.json({ id: req.params.id, status: 'shipped' });
  });
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function serveFastify(variant: AdapterVariant): Promise<string> {
  const app = Fastify();
  if (variant === 'fastify-promkit') {
    const registry = new Registry();
    await app.register(promkitFastify.requestMetrics({ registry }));
    await app.register(promkitFastify.metricsEndpoint({ registry }));
  } else if (variant === 'fastify-metrics') {
    // A CommonJS module whose plugin is its `default` export.
    await app.register(fastifyMetricsModule.default, { endpoint: '/metrics', defaultMetrics: { enabled: false } });
  }
  app.get('/orders/:id', async (request) => ({ id: (request.params as { id: string }).id, status: 'shipped' }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

const variant = process.argv[2] as AdapterVariant;
const url = variant.startsWith('express') ? await serveExpress(variant) : await serveFastify(variant);
process.on('message', (message: string) => {
  if (message !== 'cpu') process.exit(0);
  const { user, system } = process.cpuUsage();
  process.send?.({ type: 'cpu', micros: user + system });
});
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready', url });
