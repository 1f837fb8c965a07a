import type { Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import express from 'express';
import { trace } from '@opentelemetry/api';
import { AlwaysOffSampler, AlwaysOnSampler } from '@opentelemetry/sdk-trace-base';
import { Counter, Histogram, Registry } from '../../src/index.js';
import { metricsEndpoint, requestMetrics } from '../../src/adapters/express/index.js';
import { configureTraceExemplars } from '../../src/opentelemetry/index.js';
import { BIN, describeWithBinaries } from '../support/binaries.js';
import { startPrometheus, type PrometheusServer, type SeriesExemplars } from '../support/prometheus.js';
import { tracerWith, useAsyncContext } from '../support/tracing.js';

// A real Prometheus 2.42 with exemplar storage scrapes (OpenMetrics) an Express service
// whose requests run inside spans of the real OpenTelemetry SDK, as an HTTP instrumentation
// would start them; what it stored must name the trace ids of the sampled spans only.

const JOB = 'traced_service';
const SAMPLED_ROUTES = ['/a', '/b', '/c'];
const UNSAMPLED_ROUTE = '/dropped';

function buildApp(registry: Registry): express.Express {
  const sampled = tracerWith(new AlwaysOnSampler());
  const unsampled = tracerWith(new AlwaysOffSampler());
  const orders = new Counter({ name: 'orders', help: 'Orders placed.', labelNames: ['route'], registry });
  const work = new Histogram({ name: 'work_seconds', help: 'Work done.', labelNames: ['route'], buckets: [0.01, 0.1, 1], registry });
  const app = express();
  app.use(requestMetrics({ registry }));
  app.get('/metrics', metricsEndpoint({ registry }));
  // Each request in a span of its own, active for the rest of the chain.
  app.use((req, res, next) => {
    const tracer = req.path === UNSAMPLED_ROUTE ? unsampled : sampled;
    tracer.startActiveSpan(`GET ${req.path}`, (span) => {
      res.on('close', () => span.end());
      next();
    });
  });
  for (const route of [...SAMPLED_ROUTES, UNSAMPLED_ROUTE]) {
    app.get(route, (_req, res) => {
      orders.inc({ route });
      work.observe({ route }, 0.05);
      res.send(trace.getActiveSpan()?.spanContext().traceId ?? 'no span');
    });
  }
  return app;
}

describeWithBinaries([BIN.prometheus], 'exemplars from OpenTelemetry spans, stored by a real Prometheus', () => {
  let server: Server | undefined;
  let prom: PrometheusServer | undefined;
  const traceIds = new Map<string, string>();
  let stopContext = (): void => {};

  beforeAll(async () => {
    stopContext = useAsyncContext().stop;
    // One request per series: each takes the first exemplar of its series.
    configureTraceExemplars({ enabled: true });
    const registry = new Registry();
    server = await new Promise<Server>((resolve, reject) => {
      const s = buildApp(registry).listen(0, '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(s)));
    });
    const address = server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
    for (const route of [...SAMPLED_ROUTES, UNSAMPLED_ROUTE]) traceIds.set(route, await (await fetch(`${base}${route}`)).text());
    prom = await startPrometheus({ jobs: [{ jobName: JOB, url: `${base}/metrics` }], features: ['exemplar-storage'] });
    await prom.waitForScrapes(2);
  }, 60_000);

  afterAll(async () => {
    await prom?.stop();
    await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
    stopContext();
  });

  /** `{ series name, route } -> trace ids` of the exemplars Prometheus stored for `selector`. */
  async function storedTraceIds(selector: string): Promise<Map<string, string[]>> {
    const now = Date.now() / 1000;
    const result = await (prom as PrometheusServer).api<SeriesExemplars[]>('query_exemplars', { query: selector, start: String(now - 600), end: String(now + 60) });
    const out = new Map<string, string[]>();
    for (const series of result) {
      const key = `${series.seriesLabels.__name__} ${series.seriesLabels.route ?? series.seriesLabels.http_route}`;
      out.set(key, [...(out.get(key) ?? []), ...series.exemplars.map((e) => `${e.labels.trace_id}/${e.labels.span_id.length}`)].sort());
    }
    return out;
  }

  it('made each request in a span: the sampled ones got a trace id', () => {
    expect([...traceIds.keys()]).toEqual([...SAMPLED_ROUTES, UNSAMPLED_ROUTE]);
    for (const route of SAMPLED_ROUTES) expect(traceIds.get(route)).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(SAMPLED_ROUTES.map((r) => traceIds.get(r))).size).toBe(SAMPLED_ROUTES.length);
  });

  it('stores the trace ids of sampled spans on a counter and a histogram bucket, and none of an unsampled one', async () => {
    const stored = await storedTraceIds(`{job="${JOB}",__name__=~"orders_total|work_seconds_bucket"}`);
    const expected = new Map<string, string[]>();
    for (const route of SAMPLED_ROUTES) {
      expected.set(`orders_total ${route}`, [`${traceIds.get(route)}/16`]);
      expected.set(`work_seconds_bucket ${route}`, [`${traceIds.get(route)}/16`]);
    }
    expect(stored).toEqual(expected);
  });

  it('stores them on the HTTP request metrics, which record when the response closes', async () => {
    const stored = await storedTraceIds(`{job="${JOB}",__name__=~"http_server_.*_bucket"}`);
    const byRoute = new Map<string, Set<string>>();
    for (const [key, ids] of stored) {
      const route = key.split(' ')[1];
      for (const id of ids) byRoute.set(route, (byRoute.get(route) ?? new Set()).add(id));
    }
    expect(new Map([...byRoute].map(([route, ids]) => [route, [...ids]]))).toEqual(new Map(SAMPLED_ROUTES.map((route) => [route, [`${traceIds.get(route)}/16`]])));
    // The duration histogram among them.
    expect([...stored.keys()].filter((k) => k.startsWith('http_server_request_duration_seconds_bucket')).sort()).toEqual(
      SAMPLED_ROUTES.map((r) => `http_server_request_duration_seconds_bucket ${r}`).sort(),
    );
  });
});
