import type { Server } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import express from 'express';
import { Registry } from '../../src/index.js';
import { metricsEndpoint, requestMetrics, type ExpressRequestMetrics } from '../../src/adapters/express/index.js';
import { STREAM_CHUNKS, STREAM_CHUNK_BYTES, baseUrl, describeAdapter, send, settled } from './traffic.js';

function buildApp(registry: Registry, middleware: ExpressRequestMetrics): express.Express {
  const app = express();
  app.use(middleware);
  app.get('/metrics', metricsEndpoint({ registry }));
  app.get('/orders/:id', (req, res) => {
    res.json({ id: req.params.id });
  });
  const api = express.Router();
  api.get('/items/:itemId', (req, res) => {
    res.json({ item: req.params.itemId });
  });
  api.get('/broken', () => {
    throw new Error('broken inside a mounted router');
  });
  app.use('/api', api);
  app.get('/boom', async () => {
    throw new Error('boom');
  });
  app.get('/unavailable', (_req, res) => {
    res.status(503).send('down');
  });
  app.get('/stream', (_req, res) => {
    let sent = 0;
    const next = (): void => {
      if (sent === STREAM_CHUNKS) {
        res.end();
        return;
      }
      sent++;
      res.write(Buffer.alloc(STREAM_CHUNK_BYTES, 0x61), next);
    };
    next();
  });
  app.post('/echo', (req, res) => {
    let bytes = 0;
    req.on('data', (part: Buffer) => (bytes += part.length));
    req.on('end', () => res.send(String(bytes)));
  });
  // Express's own answer to an error, without the stack trace in the logs.
  app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).send(error.message);
  });
  return app;
}

function listen(app: express.Express): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(0, '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(server)));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

describeAdapter('promkit/express on a real Express 5 server', async () => {
  const registry = new Registry();
  const middleware = requestMetrics({ registry });
  const server = await listen(buildApp(registry, middleware));
  return { base: baseUrl(server), registry, metrics: middleware.metrics, close: () => close(server) };
});

describe('promkit/express options', () => {
  it('skips chosen methods and paths, groups status codes, renames metrics and labels', async () => {
    const registry = new Registry();
    const middleware = requestMetrics({
      registry,
      skipMethods: ['HEAD'],
      skipPaths: ['/healthz', /^\/internal\//],
      statusCodes: 'class',
      names: { duration: 'http_request_duration_seconds', inFlight: false, requestSize: false },
      labelNames: { method: 'method', route: 'route', status: 'status_code' },
    });
    const app = express();
    app.use(middleware);
    app.get('/healthz', (_req, res) => void res.send('ok'));
    app.get('/internal/state', (_req, res) => void res.send('ok'));
    app.get('/users/:id', (req, res) => void res.status(req.params.id === 'gone' ? 410 : 201).send('ok'));
    const server = await listen(app);
    try {
      const base = baseUrl(server);
      for (const path of ['/healthz', '/healthz?probe=1', '/internal/state', '/users/1', '/users/gone', '/users/2']) await send(base, { method: 'GET', path });
      await send(base, { method: 'HEAD', path: '/users/1' });
      await settled(middleware.metrics);
      const { families } = await registry.collect();
      expect(families.map((f) => f.name).sort()).toEqual(['http_request_duration_seconds', 'http_server_response_body_size_bytes']);
      const counts = families
        .find((f) => f.name === 'http_request_duration_seconds')!
        .samples.filter((s) => s.name.endsWith('_count'))
        .map((s) => `${s.labels.method} ${s.labels.route} ${s.labels.status_code} ${s.value}`)
        .sort();
      expect(counts).toEqual(['GET /users/:id 2xx 2', 'GET /users/:id 4xx 1']);
    } finally {
      await close(server);
    }
  });
});
