import { describe, expect, it } from '@jest/globals';
import { startInversifySample } from '../../samples/inversify-service/inversify-sample.js';

describe('samples/inversify-service', () => {
  it('serves the order service’s decorator metrics, successes and failures, and stops cleanly', async () => {
    const sample = await startInversifySample({ port: 0, trafficIntervalMs: 0 });
    try {
      expect(sample.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      for (let i = 0; i < 4; i++) await sample.driveTraffic();
      const body = await (await fetch(sample.url)).text();
      expect(body).toMatch(/method_timed_seconds_count\{service="orders",class="OrderService",method="place",exception="none"\} [1-9]/);
      expect(body).toMatch(/method_counted_total\{service="orders",class="OrderService",method="place",result="failure",exception="PaymentDeclinedError"\} [1-9]/);
      expect(body).toMatch(/method_exceptions_total\{service="orders",class="OrderRepository",method="priceOf",exception="UnknownProductError"\} [1-9]/);
      expect(body).toContain('method_in_progress{service="orders",class="OrderService",method="place"} 0.0');
      expect(body).toMatch(/orders_stored\{service="orders",class="OrderService",method="storedOrders"\} [1-9]/);
      expect(body).toContain('process_cpu_seconds_total');
      // Asked for protobuf (as Prometheus with native histograms is), the @Timed histograms carry native buckets too.
      const proto = await fetch(sample.url, { headers: { Accept: 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited' } });
      expect(proto.headers.get('content-type')).toMatch(/^application\/vnd\.google\.protobuf/);
      const timed = (await sample.registry.collect({ names: ['method_timed_seconds_bucket'] })).families[0];
      expect(timed.samples.some((s) => s.labels.le === '0.25')).toBe(true);
      expect(timed.nativeHistograms?.find((n) => n.labels.method === 'place' && n.labels.exception === 'none')?.histogram.count).toBeGreaterThan(0);
    } finally {
      await sample.stop();
    }
    await expect(fetch(sample.url)).rejects.toThrow();
  });
});
