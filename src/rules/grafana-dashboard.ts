import { formatFloat, validateMetricPrefix } from '../model/index.js';
import { EXCEPTION_LABEL, FAILURE_RESULT, LONG_TASK_SUFFIXES, NO_EXCEPTION, RESULT_LABEL, type MetricDefinition } from '../decorators/index.js';
import { selector } from './promql-selector.js';

/** Options of {@link grafanaDashboard}. */
export interface DashboardOptions {
  /** The container's metric prefix (`MetricsModule({ prefix })`), also the default collectors'. Default `''`. */
  readonly prefix?: string;
  /** The dashboard's title. Default `Service (promkit)`. */
  readonly title?: string;
  /** The dashboard's uid. Default `promkit-service`. */
  readonly uid?: string;
}

/** One query of a panel. */
export interface DashboardQuery {
  readonly refId: string;
  readonly expr: string;
  readonly legendFormat: string;
}

/** A Grafana panel (the fields promkit writes). */
export interface DashboardPanel {
  readonly id?: number;
  readonly type: 'timeseries' | 'row';
  readonly title: string;
  readonly gridPos: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  readonly datasource?: { readonly type: 'prometheus'; readonly uid: string };
  readonly targets?: readonly DashboardQuery[];
  readonly fieldConfig?: { readonly defaults: { readonly unit: string }; readonly overrides: readonly never[] };
}

/** A Grafana dashboard model (importable as JSON). */
export interface GrafanaDashboard {
  readonly title: string;
  readonly uid: string;
  readonly tags: readonly string[];
  readonly schemaVersion: number;
  readonly time: { readonly from: string; readonly to: string };
  readonly refresh: string;
  readonly templating: { readonly list: readonly unknown[] };
  readonly panels: readonly DashboardPanel[];
}

/** The rate window of every query: Grafana's, from the scrape interval and the panel's resolution. */
export const RATE_INTERVAL = '$__rate_interval';

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;
const BY_METHOD = 'class, method';
const METHOD_LEGEND = '{{class}}.{{method}}';

interface PanelSpec {
  readonly title: string;
  readonly unit: string;
  readonly queries: readonly { readonly expr: string; readonly legend: string }[];
}

/**
 * A Grafana dashboard of the decorator metrics — for each metric, the call rate, the errors
 * and the durations (or what the gauge shows) per class and method — then the default
 * process and Node.js metrics. `metrics` are the decorators' definitions
 * (`declaredMetrics()`), each once.
 */
export function grafanaDashboard(metrics: readonly MetricDefinition[], options: DashboardOptions = {}): GrafanaDashboard {
  const prefix = options.prefix ?? '';
  validateMetricPrefix(prefix);
  const sections: { title: string; panels: PanelSpec[] }[] = metrics.map((definition) => ({
    title: `${prefix}${definition.name} (@${definition.decorator})`,
    panels: decoratorPanels(definition, prefix + definition.name),
  }));
  sections.push({ title: 'Process and Node.js', panels: runtimePanels(prefix) });
  const panels: DashboardPanel[] = [];
  let y = 0;
  for (const section of sections) {
    panels.push({ type: 'row', title: section.title, gridPos: { x: 0, y, w: 24, h: 1 } });
    y += 1;
    section.panels.forEach((spec, i) => {
      panels.push(timeseries(spec, { x: (i % 3) * 8, y: y + Math.floor(i / 3) * 8, w: 8, h: 8 }, panels.length));
    });
    y += Math.ceil(section.panels.length / 3) * 8;
  }
  return {
    title: options.title ?? 'Service (promkit)',
    uid: options.uid ?? 'promkit-service',
    tags: ['promkit'],
    schemaVersion: 39,
    time: { from: 'now-1h', to: 'now' },
    refresh: '30s',
    templating: { list: [{ name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus' }] },
    panels,
  };
}

/** Every PromQL expression of the dashboard, in panel order. */
export function dashboardExpressions(dashboard: GrafanaDashboard): string[] {
  return dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));
}

function timeseries(spec: PanelSpec, gridPos: DashboardPanel['gridPos'], index: number): DashboardPanel {
  return {
    type: 'timeseries',
    title: spec.title,
    gridPos,
    datasource: DATASOURCE,
    targets: spec.queries.map((query, i) => ({ refId: String.fromCharCode(65 + i), expr: query.expr, legendFormat: query.legend })),
    fieldConfig: { defaults: { unit: spec.unit }, overrides: [] },
    id: index + 1,
  };
}

function rate(sample: string, matchers: Record<string, string> = {}, negated: Record<string, string> = {}): string {
  return `rate(${selector(sample, matchers, negated)}[${RATE_INTERVAL}])`;
}

function decoratorPanels(definition: MetricDefinition, metric: string): PanelSpec[] {
  const byMethod = (expr: string, by = BY_METHOD): string => `sum by (${by}) (${expr})`;
  switch (definition.instrument) {
    case 'histogram':
    case 'summary': {
      const duration =
        definition.instrument === 'histogram'
          ? [0.5, 0.99].map((q) => ({
              expr: `histogram_quantile(${q}, ${byMethod(rate(`${metric}_bucket`), `${BY_METHOD}, le`)})`,
              legend: `${METHOD_LEGEND} p${q * 100}`,
            }))
          : (definition.percentiles ?? []).map((q) => ({
              expr: `max by (${BY_METHOD}) (${selector(metric, { quantile: formatFloat(q) })})`,
              legend: `${METHOD_LEGEND} q${q}`,
            }));
      return [
        { title: 'Calls per second', unit: 'reqps', queries: [{ expr: byMethod(rate(`${metric}_count`)), legend: METHOD_LEGEND }] },
        {
          title: 'Failed calls per second, by exception',
          unit: 'reqps',
          queries: [{ expr: byMethod(rate(`${metric}_count`, {}, { [EXCEPTION_LABEL]: NO_EXCEPTION }), `${BY_METHOD}, ${EXCEPTION_LABEL}`), legend: `${METHOD_LEGEND} {{exception}}` }],
        },
        { title: 'Duration', unit: 's', queries: duration },
      ];
    }
    case 'counter':
      if (definition.decorator === 'ExceptionCounted') {
        return [
          {
            title: 'Exceptions per second',
            unit: 'reqps',
            queries: [{ expr: byMethod(rate(`${metric}_total`), `${BY_METHOD}, ${EXCEPTION_LABEL}`), legend: `${METHOD_LEGEND} {{exception}}` }],
          },
        ];
      }
      return [
        { title: 'Calls per second, by result', unit: 'reqps', queries: [{ expr: byMethod(rate(`${metric}_total`), `${BY_METHOD}, ${RESULT_LABEL}`), legend: `${METHOD_LEGEND} {{result}}` }] },
        {
          title: 'Share of failed calls',
          unit: 'percentunit',
          queries: [
            {
              expr: `${byMethod(rate(`${metric}_total`, { [RESULT_LABEL]: FAILURE_RESULT }))} / ${byMethod(rate(`${metric}_total`))}`,
              legend: METHOD_LEGEND,
            },
          ],
        },
      ];
    case 'longTask':
      return [
        { title: 'Long tasks running', unit: 'short', queries: [{ expr: byMethod(metric + LONG_TASK_SUFFIXES.active), legend: METHOD_LEGEND }] },
        {
          title: 'Longest running task',
          unit: 's',
          queries: [{ expr: `max by (${BY_METHOD}) (${metric}${LONG_TASK_SUFFIXES.maxRunning})`, legend: METHOD_LEGEND }],
        },
      ];
    case 'gauge':
    case 'scrapeGauge':
      return [{ title: definition.help, unit: metric.endsWith('_seconds') ? 's' : 'short', queries: [{ expr: byMethod(metric), legend: METHOD_LEGEND }] }];
  }
}

function runtimePanels(prefix: string): PanelSpec[] {
  const byInstance = '{{job}} {{instance}}';
  return [
    { title: 'CPU (cores)', unit: 'short', queries: [{ expr: rate(`${prefix}process_cpu_seconds_total`), legend: byInstance }] },
    { title: 'Resident memory', unit: 'bytes', queries: [{ expr: `${prefix}process_resident_memory_bytes`, legend: byInstance }] },
    { title: 'Heap used', unit: 'bytes', queries: [{ expr: `${prefix}nodejs_heap_size_used_bytes`, legend: byInstance }] },
    { title: 'Event loop lag', unit: 's', queries: [{ expr: `${prefix}nodejs_eventloop_lag_seconds`, legend: byInstance }] },
    {
      title: 'Time in garbage collection (share)',
      unit: 'percentunit',
      queries: [{ expr: `sum without (kind) (${rate(`${prefix}nodejs_gc_duration_seconds_sum`)})`, legend: byInstance }],
    },
    { title: 'Open file descriptors', unit: 'short', queries: [{ expr: `${prefix}process_open_fds`, legend: byInstance }] },
  ];
}
