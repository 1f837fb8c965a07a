import { Readable } from 'node:stream';
import type { Server } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { Registry } from '../../src/index.js';
import { metricsEndpoint, requestMetrics } from '../../src/adapters/fastify/index.js';
import { STREAM_CHUNKS, STREAM_CHUNK_BYTES, baseUrl, describeAdapter } from './traffic.js';

async function buildApp(registry: Registry, plugin: ReturnType<typeof requestMetrics>): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await app.register(plugin);
  await app.register(metricsEndpoint({ registry }));
  app.get('/orders/:id', async (request) => ({ id: (request.params as { id: string }).id }));
  await app.register(
    async (api) => {
      api.get('/items/:itemId', async (request) => ({ item: (request.params as { itemId: string }).itemId }));
      api.get('/broken', async () => {
        throw new Error('broken inside a prefixed plugin');
      });
    },
    { prefix: '/api' },
  );
  app.get('/boom', () => {
    throw new Error('boom');
  });
  app.get('/unavailable', async (_request, reply) => reply.code(503).send('down'));
  app.get('/stream', async (_request, reply) => {
    const chunks = Array.from({ length: STREAM_CHUNKS }, () => Buffer.alloc(STREAM_CHUNK_BYTES, 0x61));
    return reply.type('application/octet-stream').send(Readable.from(chunks));
  });
  app.post('/echo', async (request) => String((request.body as string | undefined)?.length ?? 0));
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app;
}

describeAdapter('promkit/fastify on a real Fastify 5 server', async () => {
  const registry = new Registry();
  const plugin = requestMetrics({ registry });
  const app = await buildApp(registry, plugin);
  return { base: baseUrl(app.server as Server), registry, metrics: plugin.metrics, close: () => app.close() };
});
