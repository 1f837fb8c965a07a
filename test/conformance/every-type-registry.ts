import { Counter, Enum, Gauge, GaugeHistogram, Histogram, Info, Registry, Summary } from '../../src/index.js';
import { gaugeFamily, unknownFamily, type MetricFamily } from '../../src/model/index.js';

/**
 * Label values and HELP texts that need every escape both formats have: quotes, backslashes
 * (also before `n`), line feeds, non-ASCII, and things that look like syntax.
 */
export const NASTY_LABEL_VALUES: readonly string[] = [
  'plain',
  'double "quotes"',
  'back\\slash',
  'new\nline',
  'literal \\n and \\"',
  'trailing backslash\\',
  'ünïcödé ✓ 日本語 🚀',
  '{braces}, commas=, # EOF',
];

/** A HELP text with every character the two formats escape differently. */
export const NASTY_HELP = 'Help with "quotes", a \\ backslash, a\nnewline, a literal \\n, unicode ✓ 🚀 and # EOF';

/** The fixed recordings of {@link buildEveryTypeRegistry}, for tests that check values. */
export const RECORDED = {
  requests: [
    { labels: { method: 'GET', path: '/' }, incs: [1, 2, 3] },
    { labels: { method: 'POST', path: '/upload' }, incs: [0.5] },
  ],
  latencyBuckets: [0.005, 0.1, 1, 2.5, 1e6],
  latency: [0.001, 0.005, 0.05, 0.7, 1, 2, 3, 999_999, 2e6],
  payloadQuantiles: [0.5, 0.9, 0.99],
  payload: [100, 200, 300, 400, 500],
  queueBuckets: [1024, 1e6],
} as const;

/** Options of {@link buildEveryTypeRegistry}. */
export interface EveryTypeOptions {
  /**
   * When set, a custom collector adds the gauge `promkit_e2e_stamped` whose samples carry
   * this timestamp (seconds): the check that 0.0.4 writes milliseconds and OpenMetrics seconds.
   */
  readonly stampSeconds?: number;
}

/**
 * A registry holding every instrument type (counter, gauge, histogram, summary with
 * quantiles, info, enum/stateset, gauge histogram), labelled and unlabelled, with units,
 * exemplars, nasty label values and HELP, non-finite values, an untyped family from a
 * custom collector and, optionally, a timestamped gauge. The values are fixed.
 */
export function buildEveryTypeRegistry(options: EveryTypeOptions = {}): Registry {
  const registry = new Registry();

  const requests = new Counter({ name: 'promkit_e2e_requests', help: 'Requests served.', labelNames: ['method', 'path'], registry });
  for (const { labels, incs } of RECORDED.requests) for (const v of incs) requests.inc(labels, v);
  requests.inc({ method: 'GET', path: '/' }, 1, { trace_id: 'abc123' });

  const processed = new Counter({ name: 'promkit_e2e_processed', unit: 'bytes', help: NASTY_HELP, registry });
  processed.inc(1024);

  const temperature = new Gauge({ name: 'promkit_e2e_temperature', unit: 'celsius', help: NASTY_HELP, labelNames: ['room'], registry });
  const gaugeValues = [-1.5, 0, 1e-7, 1e21, Infinity, -Infinity, NaN, 21.5];
  NASTY_LABEL_VALUES.forEach((room, i) => temperature.set({ room }, gaugeValues[i % gaugeValues.length]));

  const up = new Gauge({ name: 'promkit_e2e_ready', help: 'Whether the fixture is ready.', registry });
  up.set(1);

  const latency = new Histogram({
    name: 'promkit_e2e_latency',
    unit: 'seconds',
    help: 'Request latency.',
    labelNames: ['route'],
    buckets: RECORDED.latencyBuckets,
    registry,
  });
  for (const v of RECORDED.latency) latency.observe({ route: '/a' }, v);
  latency.observe({ route: '/b' }, 0.05, { trace_id: 'def456' });
  latency.labels({ route: 'never "observed"\n' });

  const payload = new Summary({
    name: 'promkit_e2e_payload',
    unit: 'bytes',
    help: 'Payload sizes.',
    labelNames: ['route'],
    percentiles: RECORDED.payloadQuantiles,
    registry,
  });
  for (const v of RECORDED.payload) payload.observe({ route: '/a' }, v);
  payload.labels({ route: '/empty' }); // no observations: quantiles are NaN

  const build = new Info({ name: 'promkit_e2e_build', help: 'Build information.', registry });
  build.info({ version: '1.2.3', commit: 'abc"\\\n', buildhost: 'foo@bar' });

  const phase = new Enum({
    name: 'promkit_e2e_phase',
    help: 'Worker phase.',
    labelNames: ['worker'],
    states: ['starting', 'running', 'stopped'],
    registry,
  });
  phase.state({ worker: '1' }, 'running');
  phase.state({ worker: '2' }, 'stopped');

  const queued = new GaugeHistogram({ name: 'promkit_e2e_queued', unit: 'bytes', help: 'Jobs waiting, by size.', buckets: RECORDED.queueBuckets, registry });
  for (const v of [10, 2048, 4096, 5e6]) queued.observe(v);
  queued.unobserve(4096);

  const stamp = options.stampSeconds;
  registry.register({
    collectorName: 'fixture',
    collect(): MetricFamily[] {
      const families: MetricFamily[] = [
        unknownFamily<'source'>({ name: 'promkit_e2e_legacy', help: 'An untyped value.', labelNames: ['source'] }).add({ source: 'snmp' }, 42),
      ];
      if (stamp !== undefined) {
        families.push(gaugeFamily<'kind'>({ name: 'promkit_e2e_stamped', help: 'A value with its own timestamp.', labelNames: ['kind'] }).add({ kind: 'x' }, 7, { timestamp: stamp }));
      }
      return families;
    },
    describe: () => [
      { name: 'promkit_e2e_legacy', type: 'unknown' },
      ...(stamp === undefined ? [] : [{ name: 'promkit_e2e_stamped', type: 'gauge' as const }]),
    ],
  });
  return registry;
}
