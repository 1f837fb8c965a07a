import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { describeWithBinaries, BIN } from '../support/binaries.js';
import type { DeclaredObjective } from '../../src/decorators/index.js';
import { BURN_RATE_WINDOWS, ERROR_RATIO_RECORD, rulesFileYaml, sloRuleGroups, type AlertingRule, type RuleGroup } from '../../src/rules/index.js';
import { InvalidOptionsError } from '../../src/model/index.js';
import { promtool } from './promtool.js';

const latency: DeclaredObjective = {
  objective: { kind: 'latency', threshold: 0.25, target: 0.99 },
  metric: 'method_timed_seconds',
  className: 'OrderService',
  methodName: 'place',
  callLabelNames: [],
};
const success: DeclaredObjective = {
  objective: { kind: 'success', target: 0.99 },
  metric: 'method_counted',
  className: 'OrderService',
  methodName: 'place',
  callLabelNames: [],
};
const BUDGET = 0.01;

function rulesYaml(objectives: readonly DeclaredObjective[], options = {}): string {
  return rulesFileYaml(sloRuleGroups(objectives, options), 'test rules');
}

const MINUTES = { m: 1, h: 60, d: 1440 } as const;
function minutes(window: string): number {
  return Number(window.slice(0, -1)) * MINUTES[window.slice(-1) as keyof typeof MINUTES];
}

const JOB = 'orders';
const METHOD = { class: 'OrderService', method: 'place' };

/** Calls per input step on one instance: `calls` in all, `bad` of them bad; as promtool input series. */
function inputSeries(kind: 'latency' | 'success', instance: string, calls: number, bad: number, steps: number): { series: string; values: string }[] {
  const labels = (extra: Record<string, string>): string =>
    Object.entries({ job: JOB, instance, ...METHOD, ...extra })
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(',');
  if (kind === 'latency') {
    return [
      { series: `method_timed_seconds_bucket{${labels({ exception: 'none', le: '0.25' })}}`, values: `0+${calls - bad}x${steps}` },
      { series: `method_timed_seconds_count{${labels({ exception: 'none' })}}`, values: `0+${calls}x${steps}` },
    ];
  }
  return [
    { series: `method_counted_total{${labels({ result: 'success', exception: 'none' })}}`, values: `0+${calls - bad}x${steps}` },
    { series: `method_counted_total{${labels({ result: 'failure', exception: 'PaymentDeclinedError' })}}`, values: `0+${bad}x${steps}` },
  ];
}

/**
 * The alerts expected to fire at a constant bad-call ratio: those whose burn-rate threshold
 * it exceeds, among the pairs whose short window holds two samples at `step` minutes.
 */
function expectedAlerts(
  group: RuleGroup,
  ratio: number,
  step: number,
): { exp_labels: Record<string, string>; exp_annotations: Record<string, string> }[] {
  const measurable = BURN_RATE_WINDOWS.filter((w) => minutes(w.short) >= step);
  return group.rules
    .filter((rule): rule is AlertingRule => 'alert' in rule)
    .filter((rule) => measurable.some((w) => w.long === rule.labels.long_window && ratio > w.burnRate * BUDGET))
    .map((rule) => ({ exp_labels: { job: JOB, ...METHOD, ...rule.labels }, exp_annotations: { ...rule.annotations } }));
}

describe('sloRuleGroups', () => {
  it('records each objective’s error ratio over every window and alerts on the four window pairs', () => {
    const [group] = sloRuleGroups([latency]);
    const records = group.rules.filter((r) => 'record' in r).map((r) => (r as { record: string }).record);
    expect(records).toEqual(['5m', '30m', '1h', '2h', '6h', '1d', '3d'].map((w) => `${ERROR_RATIO_RECORD}:rate${w}`));
    const alerts = group.rules.filter((r): r is AlertingRule => 'alert' in r);
    expect(alerts.map((a) => [a.labels.long_window, a.labels.short_window, a.labels.severity])).toEqual([
      ['1h', '5m', 'page'],
      ['6h', '30m', 'page'],
      ['1d', '2h', 'ticket'],
      ['3d', '6h', 'ticket'],
    ]);
    expect(alerts[0].expr).toContain('> 0.144');
    expect(alerts[0].alert).toBe('OrderServicePlaceLatencyBudgetBurn');
  });

  it('sums away the instance label, the per-call labels and the outcome labels; prefixes the metric', () => {
    const [group] = sloRuleGroups([{ ...success, callLabelNames: ['channel'] }], { prefix: 'shop_', aggregateAway: ['instance', 'pod'] });
    const expr = (group.rules[0] as { expr: string }).expr;
    expect(expr).toContain('sum without (instance, pod, result, exception, channel)');
    expect(expr).toContain('shop_method_counted_total{class="OrderService",method="place",result="failure"}');
  });

  it('refuses an objective whose class is unknown, a bad prefix and a bad label', () => {
    expect(() => sloRuleGroups([{ ...latency, className: undefined }])).toThrow(InvalidOptionsError);
    expect(() => sloRuleGroups([latency], { prefix: '1x' })).toThrow();
    expect(() => sloRuleGroups([latency], { aggregateAway: ['not-a-label'] })).toThrow();
  });
});

describeWithBinaries([BIN.promtool], 'the generated rules, checked by promtool', () => {
  it('promtool check rules accepts them', async () => {
    const run = await promtool(['check', 'rules', 'rules.yml'], { 'rules.yml': rulesYaml([latency, success, { ...success, methodName: 'cancel', callLabelNames: ['reason'] }], { prefix: 'shop_' }) });
    expect(run.output).toContain('SUCCESS: 33 rules found');
    expect(run.code).toBe(0);
  });

  it('promtool accepts them whatever the class and method names (quoted in YAML and PromQL)', async () => {
    const name = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 });
    const objectives = fc.sample(fc.tuple(name, name), { seed: 18, numRuns: 25 }).map(([className, methodName]) => ({ ...success, className, methodName }));
    objectives.push({ ...success, className: 'Quote"Back\\slash', methodName: "it's: #not a comment\n- no: list" });
    const run = await promtool(['check', 'rules', 'rules.yml'], { 'rules.yml': rulesYaml(objectives) });
    expect(run.output).toContain(`SUCCESS: ${objectives.length * 11} rules found`);
  });

  it(
    'promtool test rules: each alert fires when its burn rate is crossed and stays silent below it, for both kinds of objective',
    async () => {
      const groups = sloRuleGroups([latency, success]);
      // Rules are evaluated every step: the pairs with short windows of hours need far fewer
      // steps, so they get their own promtool run (both run at once).
      const runs = [BURN_RATE_WINDOWS.slice(0, 2), BURN_RATE_WINDOWS.slice(2)].map((windows) => {
        const step = Math.max(5, ...windows.map((w) => minutes(w.short) / 6));
        const tests: unknown[] = [];
        for (const [index, kind] of (['latency', 'success'] as const).entries()) {
          for (const window of windows) {
            const evalMinutes = minutes(window.long) + 60;
            for (const factor of [1.25, 0.8]) {
              const ratio = window.burnRate * BUDGET * factor;
              // 1000 calls per step, `ratio` of them bad, on each of two instances.
              const series = ['a', 'b'].flatMap((instance) => inputSeries(kind, instance, 1000, 1000 * ratio, evalMinutes / step + 1));
              const alertname = `OrderServicePlace${kind === 'latency' ? 'Latency' : 'Success'}BudgetBurn`;
              tests.push({
                interval: `${step}m`,
                input_series: series,
                alert_rule_test: [{ eval_time: `${evalMinutes}m`, alertname, exp_alerts: expectedAlerts(groups[index], ratio, step) }],
              });
            }
          }
        }
        return promtool(['test', 'rules', 'tests.yml'], {
          'rules.yml': rulesFileYaml(groups, 'rules under test'),
          // YAML is a superset of JSON.
          'tests.yml': JSON.stringify({ rule_files: ['rules.yml'], evaluation_interval: `${step}m`, tests }),
        });
      });
      for (const run of await Promise.all(runs)) {
        expect(run.output).toContain('SUCCESS');
        expect(run.code).toBe(0);
      }
    },
    120_000,
  );

  it('promtool test rules: the ratio is that of the calls of all instances, not an average of the instances’ ratios', async () => {
    const groups = sloRuleGroups([success]);
    // One instance fails every call it gets, but gets 1 call in 128: below even the slowest burn (1 %).
    const series = [...inputSeries('success', 'a', 1, 1, 200), ...inputSeries('success', 'b', 63.5, 0, 200), ...inputSeries('success', 'c', 63.5, 0, 200)];
    const run = await promtool(['test', 'rules', 'tests.yml'], {
      'rules.yml': rulesFileYaml(groups, 'rules under test'),
      'tests.yml': JSON.stringify({
        rule_files: ['rules.yml'],
        evaluation_interval: '1m',
        tests: [
          {
            interval: '1m',
            input_series: series,
            promql_expr_test: [
              {
                expr: `${ERROR_RATIO_RECORD}:rate1h`,
                eval_time: '2h',
                exp_samples: [{ labels: `${ERROR_RATIO_RECORD}:rate1h{class="OrderService",job="${JOB}",method="place",slo="success"}`, value: 1 / 128 }],
              },
            ],
            alert_rule_test: [{ eval_time: '2h', alertname: 'OrderServicePlaceSuccessBudgetBurn', exp_alerts: [] }],
          },
        ],
      }),
    });
    expect(run.output).toContain('SUCCESS');
    expect(run.code).toBe(0);
  });
});
