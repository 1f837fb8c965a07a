import { describe, expect, it } from '@jest/globals';
import { BIN, describeWithBinaries } from '../support/binaries.js';
import { Counted, declaredMetrics, ExceptionCounted, Gauged, Timed } from '../../src/decorators/index.js';
import { dashboardExpressions, grafanaDashboard, RATE_INTERVAL } from '../../src/rules/index.js';
import { expressionsAsRules, promtool } from './promtool.js';

// Every kind of decorator metric, so the dashboard has every kind of panel.
class Shop {
  @Timed()
  @Counted()
  @ExceptionCounted()
  @Gauged()
  async buy(): Promise<void> {}

  @Timed({ name: 'shop_lookup_seconds', percentiles: [0.5, 0.99] })
  @Gauged({ mode: 'lastDuration' })
  lookup(): void {}

  @Gauged({ mode: 'scrape', name: 'shop_cart_items' })
  items(): number {
    return 0;
  }

  @Timed({ longTask: true })
  async restock(): Promise<void> {}
}

describe('grafanaDashboard', () => {
  const dashboard = grafanaDashboard(declaredMetrics(), { prefix: 'shop_' });

  it('has a row per decorator metric, then the process and Node.js metrics', () => {
    expect(new Shop()).toBeInstanceOf(Shop);
    const rows = dashboard.panels.filter((p) => p.type === 'row').map((p) => p.title);
    expect(rows).toEqual([
      'shop_method_in_progress (@Gauged)',
      'shop_method_exceptions (@ExceptionCounted)',
      'shop_method_counted (@Counted)',
      'shop_method_timed_seconds (@Timed)',
      'shop_method_last_duration_seconds (@Gauged)',
      'shop_shop_lookup_seconds (@Timed)',
      'shop_shop_cart_items (@Gauged)',
      'shop_method_long_tasks (@Timed)',
      'Process and Node.js',
    ]);
  });

  it('shows rate, errors and duration by class and method', () => {
    const expressions = dashboardExpressions(dashboard);
    expect(expressions).toContain(`sum by (class, method) (rate(shop_method_timed_seconds_count[${RATE_INTERVAL}]))`);
    expect(expressions).toContain(`sum by (class, method, exception) (rate(shop_method_timed_seconds_count{exception!="none"}[${RATE_INTERVAL}]))`);
    expect(expressions).toContain(`histogram_quantile(0.99, sum by (class, method, le) (rate(shop_method_timed_seconds_bucket[${RATE_INTERVAL}])))`);
    expect(expressions).toContain('max by (class, method) (shop_shop_lookup_seconds{quantile="0.99"})');
    expect(expressions).toContain(`rate(shop_process_cpu_seconds_total[${RATE_INTERVAL}])`);
  });

  it('lays panels out without overlap, each with its own id', () => {
    const cells = new Set<string>();
    for (const panel of dashboard.panels) {
      for (let x = panel.gridPos.x; x < panel.gridPos.x + panel.gridPos.w; x++) {
        for (let y = panel.gridPos.y; y < panel.gridPos.y + panel.gridPos.h; y++) {
          const cell = `${x},${y}`;
          expect(cells.has(cell)).toBe(false);
          cells.add(cell);
        }
      }
    }
    const ids = dashboard.panels.filter((p) => p.type === 'timeseries').map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describeWithBinaries([BIN.promtool], 'the dashboard’s PromQL', () => {
  it('every expression passes promtool (as a throw-away rules file)', async () => {
    const dashboard = grafanaDashboard(declaredMetrics(), { prefix: 'shop_' });
    expect(dashboardExpressions(dashboard).length).toBeGreaterThan(15);
    const run = await promtool(['check', 'rules', 'rules.yml'], { 'rules.yml': expressionsAsRules(dashboard) });
    expect(run.output).toContain(`SUCCESS: ${dashboardExpressions(dashboard).length} rules found`);
  });
});
