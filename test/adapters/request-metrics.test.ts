import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { InvalidOptionsError, Registry } from '../../src/index.js';
import {
  CLIENT_CLOSED_STATUS,
  HttpRequestMetrics,
  OTHER_METHOD,
  joinRoute,
  methodLabel,
  statusLabel,
  trackRequest,
} from '../../src/adapters/request-metrics/index.js';
import { settled } from './traffic.js';

describe('request label rules', () => {
  it('labels a method as itself only when it is a standard one (any client string otherwise is _OTHER)', () => {
    fc.assert(
      fc.property(fc.string(), (method) => {
        const label = methodLabel(method);
        expect(label === method || label === OTHER_METHOD).toBe(true);
        if (label === method) expect(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', 'QUERY']).toContain(method);
      }),
      { seed: 14, numRuns: 300 },
    );
    expect(methodLabel('PROPFIND')).toBe(OTHER_METHOD);
    expect(methodLabel(undefined)).toBe(OTHER_METHOD);
  });

  it('labels a status raw or by class', () => {
    expect([statusLabel(404, 'code'), statusLabel(404, 'class'), statusLabel(599, 'class'), statusLabel(101, 'class'), statusLabel(600, 'class')]).toEqual(['404', '4xx', '5xx', '1xx', '600']);
  });

  it('joins mount paths and route paths into one template', () => {
    expect([joinRoute('', '/orders/:id'), joinRoute('/api', '/orders/:id'), joinRoute('/orders', '/'), joinRoute('/api/', '/x'), joinRoute('', '')]).toEqual(['/orders/:id', '/api/orders/:id', '/orders', '/api/x', '/']);
  });

  it('refuses options of the wrong kind with a typed error', () => {
    expect(() => new HttpRequestMetrics({ registry: null, statusCodes: 'grouped' as 'class' })).toThrow(InvalidOptionsError);
    expect(() => new HttpRequestMetrics({ registry: null, metricsPath: 'metrics' })).toThrow(InvalidOptionsError);
    expect(() => new HttpRequestMetrics({ registry: null, skipPaths: [42 as unknown as string] })).toThrow(InvalidOptionsError);
  });

  it('skips the metrics path with or without a query string, but not a longer path', () => {
    const metrics = new HttpRequestMetrics({ registry: null });
    expect([metrics.skips('GET', '/metrics'), metrics.skips('GET', '/metrics?name[]=up'), metrics.skips('GET', '/metricsx'), metrics.skips('GET', '/metrics/x')]).toEqual([true, true, false, false]);
  });
});

describe('trackRequest on a plain node:http server', () => {
  it('counts a response the client abandoned as 499, and its in-flight series returns to 0', async () => {
    const registry = new Registry();
    const metrics = new HttpRequestMetrics({ registry });
    let release: () => void = () => undefined;
    const server: Server = createServer((req, res) => {
      const exchange = trackRequest(metrics, req, res);
      if (exchange !== undefined) exchange.route = '/slow';
      res.writeHead(200);
      res.write('partial');
      release = () => res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      await new Promise<void>((resolve) => {
        const req = request(`http://127.0.0.1:${port}/slow/123`, { agent: false }, (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.end();
      });
      await settled(metrics);
      release();
      expect(metrics.duration.labels('GET', '/slow', String(CLIENT_CLOSED_STATUS)).getCount()).toBe(1);
      expect(metrics.responseSize!.labels('GET', '/slow', String(CLIENT_CLOSED_STATUS)).getSum()).toBe('partial'.length);
      expect(metrics.inFlight!.get({ http_request_method: 'GET' })).toBe(0);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('request metrics series limits', () => {
  it('caps every request metric and looks series up per request, so each folded request is counted', async () => {
    const warn = process.emitWarning;
    process.emitWarning = () => undefined;
    try {
      const registry = new Registry();
      const metrics = new HttpRequestMetrics({ registry, maxSeries: 2 });
      for (const route of ['/a', '/b', '/c', '/d', '/c']) metrics.record('GET', route, 200, 0.01, 10, 20);
      const { families } = await registry.collect();
      const counts = families.find((f) => f.name === 'http_server_request_duration_seconds')!.samples.filter((s) => s.name.endsWith('_count'));
      expect(counts.map((s) => [s.labels.http_route, s.value])).toEqual([
        ['/a', 1],
        ['/b', 1],
        ['__promkit_overflow__', 3],
      ]);
      const overflow = families.find((f) => f.name === 'promkit_series_overflow')!.samples;
      expect(overflow.find((s) => s.labels.metric === 'http_server_request_duration_seconds')?.value).toBe(3);
      expect(() => new HttpRequestMetrics({ registry: null, seriesTtlSeconds: -1 })).toThrow(InvalidOptionsError);
    } finally {
      process.emitWarning = warn;
    }
  });
});
