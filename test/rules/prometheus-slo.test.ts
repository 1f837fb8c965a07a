import 'reflect-metadata';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { startInversifySample, type InversifySample } from '../../samples/inversify-service/inversify-sample.js';
import { declaredMetrics, declaredObjectives } from '../../src/decorators/index.js';
import { dashboardExpressions, ERROR_RATIO_RECORD, grafanaDashboard, RATE_INTERVAL, rulesFileYaml, sloRuleGroups } from '../../src/rules/index.js';
import { BIN, describeWithBinaries } from '../support/binaries.js';
import { promValue, startPrometheus, type PrometheusServer, type VectorSample } from '../support/prometheus.js';

// A real Prometheus 2.42 scrapes three instances of the inversify sample (one job, three
// targets) and evaluates the rules `promkit rules` makes of the sample's objectives: the
// recorded error ratios must be those of the three instances' calls together.

const JOB = 'orders';
/** The same ratios written by hand, recorded in the same group so they are evaluated with the same data. */
const BY_HAND = 'test:by_hand:ratio_rate5m';
const HAND_WRITTEN = {
  success: `sum(rate(method_counted_total{class="OrderService",method="place",result="failure"}[5m])) / sum(rate(method_counted_total{class="OrderService",method="place"}[5m]))`,
  latency: `1 - sum(rate(method_timed_seconds_bucket{class="OrderService",method="place",le="0.25"}[5m])) / sum(rate(method_timed_seconds_count{class="OrderService",method="place"}[5m]))`,
} as const;
const PLACE = { class: 'OrderService', method: 'place' };

async function poll<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describeWithBinaries([BIN.prometheus], 'a real Prometheus evaluating the generated rules over three instances of the sample', () => {
  const samples: InversifySample[] = [];
  let prom: PrometheusServer | undefined;

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) samples.push(await startInversifySample({ port: 0, host: '127.0.0.1', trafficIntervalMs: 0 }));
    // Four rounds make every kind of failure once, before the first scrape: a failure series
    // is born at its first failure, and a rate cannot see the increase that created it.
    for (const sample of samples) for (let round = 0; round < 4; round++) await sample.driveTraffic();
    const objectives = declaredObjectives().filter((o) => o.className === 'OrderService');
    prom = await startPrometheus({
      jobs: samples.map((sample) => ({ jobName: JOB, url: sample.url })),
      rules: rulesFileYaml(
        sloRuleGroups(objectives).map((group) => {
          const kind = group.name.endsWith(':success') ? 'success' : 'latency';
          return { ...group, rules: [...group.rules, { record: `${BY_HAND}_${kind}`, expr: HAND_WRITTEN[kind], labels: {} }] };
        }),
        'under test',
      ),
      evaluationIntervalSeconds: 1,
    });
    await prom.waitForScrapes(2);
    // Traffic across scrapes, a different amount per instance, so the rates are not zero.
    for (let step = 0; step < 3; step++) {
      for (const [i, sample] of samples.entries()) {
        for (let round = 0; round <= i; round++) await sample.driveTraffic();
      }
      await prom.waitForScrapes(3 + step);
    }
    await prom.waitForScrapes(6);
  }, 120_000);

  afterAll(async () => {
    await prom?.stop();
    for (const sample of samples) await sample.stop();
  });

  it('records one error ratio per objective for the three instances together, equal to the ratio of their summed rates', async () => {
    const server = prom!;
    expect((await server.query(`count(count by (instance) (method_counted_total{job="${JOB}"}))`))[0].value[1]).toBe('3');
    for (const kind of ['success', 'latency'] as const) {
      const [recorded, expected] = await poll(`a ${kind} ratio`, async () => {
        // Two seconds back: a group evaluated then has written all its rules.
        const query = `${ERROR_RATIO_RECORD}:rate5m{slo="${kind}"} or ${BY_HAND}_${kind}`;
        const found = (await server.api<{ result: VectorSample[] }>('query', { query, time: String(Date.now() / 1000 - 2) })).result;
        return found.length === 2 && found.every((f) => !Number.isNaN(promValue(f.value[1]))) ? [found.find((f) => f.metric.slo === kind)!, found.find((f) => f.metric.slo !== kind)!] : undefined;
      });
      expect(recorded.metric).toEqual({ __name__: `${ERROR_RATIO_RECORD}:rate5m`, job: JOB, service: 'orders', ...PLACE, slo: kind });
      expect(promValue(recorded.value[1])).toBeCloseTo(promValue(expected.value[1]), 12);
    }
    const success = await server.query(`${ERROR_RATIO_RECORD}:rate5m{slo="success"}`);
    // The sample fails about a third of its orders on purpose.
    expect(promValue(success[0].value[1])).toBeGreaterThan(0.2);
  }, 60_000);

  it('fires the alerts whose burn rate the sample exceeds, and only those', async () => {
    // The success objective (80 %) has a 20 % budget: a third of the orders failing burns it
    // faster than 1 (above 20 %) but slower than 3 (above 60 %).
    // (The latency objective's alerts are left out: on a loaded machine a few orders may
    // well take longer than 250 ms.)
    const firing = await poll('the slow-burn alert', async () => {
      const alerts = await prom!.query('ALERTS{alertstate="firing",alertname="OrderServicePlaceSuccessBudgetBurn"}');
      return alerts.length > 0 ? alerts : undefined;
    });
    expect(firing.map((a) => [a.metric.alertname, a.metric.long_window, a.metric.severity])).toEqual([['OrderServicePlaceSuccessBudgetBurn', '3d', 'ticket']]);
  }, 60_000);

  it('answers every PromQL expression of the generated dashboard with data', async () => {
    const dashboard = grafanaDashboard(declaredMetrics());
    const empty: string[] = [];
    for (const expr of dashboardExpressions(dashboard)) {
      const result = await prom!.query(expr.replaceAll(RATE_INTERVAL, '1m'));
      if (result.length === 0) empty.push(expr);
    }
    expect(empty).toEqual([]);
  });
});
