import { Readable } from 'node:stream';
import type { Server } from 'node:net';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import Fastify, { type FastifyInstance } from 'fastify';
import { Registry } from '../../src/index.js';
import { metricsEndpoint, requestMetrics } from '../../src/adapters/fastify/index.js';
import { BIN, describeWithBinaries } from '../support/binaries.js';
import { STREAM_CHUNKS, STREAM_CHUNK_BYTES, baseUrl, checkNoClientValuesLeak, checkPlanRecorded, sendPlan, settled } from './traffic.js';

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

describeWithBinaries([BIN.python3], 'promkit/fastify on a real Fastify 5 server', () => {
  const registry = new Registry();
  const plugin = requestMetrics({ registry });
  let app: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    app = await buildApp(registry, plugin);
    base = baseUrl(app.server as Server);
  });
  afterAll(() => app.close());

  it('counts each route template exactly, errors with their status, streamed bytes and request bodies; /metrics parses', async () => {
    const { streamBytes } = await sendPlan(base);
    await settled(plugin.metrics);
    await checkPlanRecorded(base, streamBytes);
    expect(streamBytes).toBe(STREAM_CHUNKS * STREAM_CHUNK_BYTES);
  });

  it('never labels with a path, id or query string the client sent', async () => {
    await checkNoClientValuesLeak(base, registry);
  });
});
