import 'reflect-metadata';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { startHttpService, type HttpService } from '../../samples/http-service/http-service.js';
import { BIN, describeWithBinaries } from '../support/binaries.js';
import { promValue, startPrometheus, type PrometheusServer } from '../support/prometheus.js';
import { send } from './traffic.js';

// A real Prometheus 2.42 scrapes the HTTP sample on its own port: the request metrics must
// arrive by route template and status, with the exact counts the traffic made, and no id.

const TRAFFIC: readonly { method: string; path: string; body?: string }[] = [
  ...['1', '2', '1', '2', '1'].map((id) => ({ method: 'GET', path: `/orders/${id}` })), // 5 x 200
  ...['404404', 'abc?debug=1'].map((id) => ({ method: 'GET', path: `/orders/${id}` })), // 2 x 404
  { method: 'GET', path: '/orders/1/fail' }, // 500
  { method: 'GET', path: '/nowhere/7' }, // unmatched 404
  { method: 'POST', path: '/orders', body: '{"sku":"mug","quantity":3}' }, // 201
];

describeWithBinaries([BIN.prometheus], 'a real Prometheus scraping samples/http-service', () => {
  let service: HttpService | undefined;
  let prom: PrometheusServer | undefined;

  beforeAll(async () => {
    service = await startHttpService({ port: 0, logErrors: false });
    for (const call of TRAFFIC) {
      const headers: Record<string, string> = call.body === undefined ? {} : { 'content-type': 'application/json' };
      await send(service.url, call, headers);
    }
    prom = await startPrometheus({ jobs: [{ jobName: 'orders_http', url: service.metricsUrl }] });
    await prom.waitForScrapes(1);
  }, 60_000);

  afterAll(async () => {
    await prom?.stop();
    await service?.stop();
  });

  it('sees each route template and status with its exact count, and no id or path', async () => {
    const samples = await prom!.query('sum by (http_request_method, http_route, http_response_status_code) (http_server_request_duration_seconds_count{job="orders_http"})');
    const counts = Object.fromEntries(
      samples.map((s) => [`${s.metric.http_request_method} ${s.metric.http_route} ${s.metric.http_response_status_code}`, promValue(s.value[1])]),
    );
    expect(counts).toEqual({
      'GET /orders/:id 200': 5,
      'GET /orders/:id 404': 2,
      'GET /orders/:id/fail 500': 1,
      'GET unmatched 404': 1,
      'POST /orders 201': 1,
    });
    const target = (await prom!.targets()).find((t) => t.scrapePool === 'orders_http');
    expect(target?.health).toBe('up');
  });

  it('sees the decorators of the controller and the service next to the request metrics', async () => {
    const timed = await prom!.query('method_timed_seconds_count{job="orders_http",class="OrdersController",method="show"}');
    expect(timed.map((s) => promValue(s.value[1])).reduce((a, b) => a + b, 0)).toBe(7);
    const found = await prom!.query('sum(method_counted_total{job="orders_http",class="OrderBook",method="find",result="success"})');
    expect(promValue(found[0]!.value[1])).toBe(5);
  });
});
