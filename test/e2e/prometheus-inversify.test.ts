import 'reflect-metadata';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startInversifySample, type InversifySample } from '../../samples/inversify-service/inversify-sample.js';
import { metricsHandler } from '../../src/http/index.js';
import { BIN, describeWithBinaries } from '../support/binaries.js';
import { promValue, startPrometheus, type PrometheusServer } from '../support/prometheus.js';

// A real Prometheus scrapes the inversify sample (decorators resolved from the container's
// registry) and must see the decorators' series with the labels and values the traffic made.

const ROUNDS = 3;
const DECORATOR_FAMILIES = ['method_timed_seconds', 'method_counted', 'method_in_progress', 'method_exceptions'];

/**
 * What `driveTraffic()` does `rounds` times, from the sample's documented rules: 4 orders a
 * round (sequence n: sku `SKUS[n % 5]`, quantity 0 when n % 11 == 0), `poster` is not in
 * the catalog, every seventh priced order is declined; then `cancel` of one real and one
 * bogus id (`InvalidOrderError`).
 */
function trafficModel(rounds: number): { place: Record<string, number>; priceOf: Record<string, number>; cancelFailures: number } {
  const skus = ['book', 'lamp', 'mug', 'book', 'poster'];
  const place: Record<string, number> = { none: 0, InvalidOrderError: 0, UnknownProductError: 0, PaymentDeclinedError: 0 };
  const priceOf: Record<string, number> = { none: 0, UnknownProductError: 0 };
  let priced = 0;
  for (let n = 1; n <= 4 * rounds; n++) {
    if (n % 11 === 0) place.InvalidOrderError++;
    else if (skus[n % 5] === 'poster') {
      place.UnknownProductError++;
      priceOf.UnknownProductError++;
    } else {
      priceOf.none++;
      priced++;
    }
  }
  place.PaymentDeclinedError = Math.floor(priced / 7);
  place.none = priced - place.PaymentDeclinedError;
  return { place, priceOf, cancelFailures: rounds };
}

/** `name{a="x",...}` with labels sorted and job/instance left out. */
function seriesKey(labels: Record<string, string>): string {
  const { __name__: name, job: _job, instance: _instance, ...rest } = labels;
  return `${name}${JSON.stringify(Object.entries(rest).sort(([a], [b]) => (a < b ? -1 : 1)))}`;
}

describeWithBinaries([BIN.prometheus], 'a real Prometheus scraping the inversify sample', () => {
  let sample: InversifySample | undefined;
  let prom: PrometheusServer | undefined;
  let front: Server | undefined;

  beforeAll(async () => {
    sample = await startInversifySample({ port: 0, host: '127.0.0.1', trafficIntervalMs: 0 });
    for (let i = 0; i < ROUNDS; i++) await sample.driveTraffic();
    // The same registry once more, forced to 0.0.4 (Prometheus 2.42 always offers OpenMetrics first).
    const handler = metricsHandler({ registry: sample.registry });
    front = createServer((req, res) => {
      req.headers.accept = 'text/plain;version=0.0.4';
      handler(req, res);
    });
    await new Promise<void>((resolve) => front!.listen(0, '127.0.0.1', resolve));
    prom = await startPrometheus({
      jobs: [
        { jobName: 'orders_openmetrics', url: sample.url },
        { jobName: 'orders_text', url: `http://127.0.0.1:${(front.address() as AddressInfo).port}/metrics` },
      ],
    });
    await prom.waitForScrapes(2);
  }, 60_000);

  afterAll(async () => {
    await prom?.stop();
    await new Promise((resolve) => (front === undefined ? resolve(undefined) : front.close(resolve)));
    await sample?.stop();
  });

  const server = (): PrometheusServer => {
    if (prom === undefined) throw new Error('Prometheus did not start');
    return prom;
  };

  describe.each(['orders_openmetrics', 'orders_text'])('job %s', (job) => {
    it('is up, with no scrape error', async () => {
      const [target] = (await server().targets()).filter((t) => t.scrapePool === job);
      expect([target?.health, target?.lastError]).toEqual(['up', '']);
    });

    it('stores the decorators\' counters with the traffic\'s labels and values', async () => {
      const model = trafficModel(ROUNDS);
      const counted = await server().query(`method_counted_total{job="${job}"}`);
      expect(Object.fromEntries(counted.map((s) => [seriesKey(s.metric), promValue(s.value[1])]))).toEqual(
        Object.fromEntries(
          Object.entries(model.place).map(([exception, n]) => [
            seriesKey({ __name__: 'method_counted_total', service: 'orders', class: 'OrderService', method: 'place', result: exception === 'none' ? 'success' : 'failure', exception }),
            n,
          ]),
        ),
      );
      const exceptions = await server().query(`method_exceptions_total{job="${job}"}`);
      expect(Object.fromEntries(exceptions.map((s) => [seriesKey(s.metric), promValue(s.value[1])]))).toEqual({
        [seriesKey({ __name__: 'method_exceptions_total', service: 'orders', class: 'OrderRepository', method: 'priceOf', exception: 'UnknownProductError' })]: model.priceOf.UnknownProductError,
        [seriesKey({ __name__: 'method_exceptions_total', service: 'orders', class: 'OrderService', method: 'cancel', exception: 'InvalidOrderError' })]: model.cancelFailures,
      });
      const inProgress = await server().query(`method_in_progress{job="${job}"}`);
      expect(inProgress.map((s) => [seriesKey(s.metric), promValue(s.value[1])])).toEqual([
        [seriesKey({ __name__: 'method_in_progress', service: 'orders', class: 'OrderService', method: 'place' }), 0],
      ]);
    });

    it('stores the @Timed histogram: a call count per outcome, cumulative buckets ending in +Inf = _count', async () => {
      const model = trafficModel(ROUNDS);
      const counts = await server().query(`method_timed_seconds_count{job="${job}",class="OrderService",method="place"}`);
      expect(Object.fromEntries(counts.map((s) => [s.metric.exception, promValue(s.value[1])]))).toEqual(model.place);
      const infs = await server().query(`method_timed_seconds_bucket{job="${job}",le="+Inf"}`);
      const allCounts = await server().query(`method_timed_seconds_count{job="${job}"}`);
      const countOf = new Map(allCounts.map((s) => [seriesKey({ ...s.metric, __name__: 'x' }), s.value[1]]));
      expect(infs.length).toBe(allCounts.length);
      for (const s of infs) {
        const { le: _le, ...labels } = s.metric;
        expect([seriesKey({ ...labels, __name__: 'x' }), s.value[1]]).toEqual([seriesKey({ ...labels, __name__: 'x' }), countOf.get(seriesKey({ ...labels, __name__: 'x' }))]);
      }
    });

    it('stores every sample of the four decorator families exactly as the sample recorded them', async () => {
      const { families } = await (sample as InversifySample).registry.collect({ names: DECORATOR_FAMILIES.flatMap((f) => [f, `${f}_total`, `${f}_bucket`, `${f}_count`, `${f}_sum`]) });
      const expected = new Map(families.flatMap((f) => f.samples).map((s) => [seriesKey({ __name__: s.name, ...s.labels }), s.value]));
      expect(expected.size).toBeGreaterThan(20);
      const stored = await server().query(`{job="${job}",__name__=~"method_(timed_seconds_(bucket|count|sum)|counted_total|in_progress|exceptions_total)"}`);
      expect(new Map(stored.map((s) => [seriesKey(s.metric), promValue(s.value[1])]))).toEqual(expected);
    });
  });

  it('dropped no sample', async () => {
    for (const name of ['prometheus_target_scrapes_sample_duplicate_timestamp_total', 'prometheus_target_scrapes_sample_out_of_order_total', 'prometheus_target_scrapes_sample_out_of_bounds_total']) {
      expect([name, await server().selfMetric(name)]).toEqual([name, 0]);
    }
  });
});
