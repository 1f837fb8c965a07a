import client from 'prom-client';
// Not the `promkit` entry point, which would load `@opentelemetry/api` (installed here): in
// `absent` nothing of OpenTelemetry is loaded, as in a program without it.
import { Counter, DEFAULT_BUCKETS, Histogram } from '../src/metrics/index.js';
import type { Exemplar } from '../src/model/index.js';
import { Registry } from '../src/registry/index.js';
import type { ExemplarClock } from '../src/opentelemetry/index.js';
import { budgetFor, measurePair, type Library } from './harness.js';

/**
 * One scenario of the exemplars bench, in a process of its own (forked by exemplars.ts): the
 * recording calls stay monomorphic, as in a program that runs one configuration, instead of
 * every row after the first paying for the call sites the earlier rows made polymorphic.
 * Prints one JSON line: `{ counter, histogram }`, each `{ promkit, prom_client }` ns per call.
 */

/** The scenarios, in the order the parent runs them. */
export const SCENARIOS = ['absent', 'loaded', 'idle', 'span', 'every'] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** Calls per iteration: one bound series, as a hot loop or a request handler holds it. */
export const CALLS = 256;
const OBSERVATIONS = [0.003, 0.02, 0.07, 0.2, 0.6, 1.5, 4, 12];

function firstExemplar(families: { samples: readonly { exemplar?: Exemplar }[] }[]): Exemplar | undefined {
  return families[0].samples.find((s) => s.exemplar !== undefined)?.exemplar;
}

async function main(scenario: Scenario, quick: boolean): Promise<void> {
  const budget = budgetFor(quick);
  // `every` opens the rate limit's next window before each record, by hand, so that each takes
  // an exemplar (an interval of 1 ms has one tick per window).
  let openWindow = (): void => {};
  const manual: ExemplarClock = {
    now: Date.now,
    every: (_ms, tick) => {
      openWindow = tick;
      return () => {};
    },
  };
  if (scenario !== 'absent') {
    const { configureTraceExemplars } = await import('../src/opentelemetry/index.js');
    configureTraceExemplars(scenario === 'every' ? { interval: 1, bucketRetention: 0, clock: manual } : {});
  }
  let traceId: string | undefined;
  let spanId: string | undefined;
  let inSpan = <T>(fn: () => Promise<T>): Promise<T> => fn();
  if (scenario === 'idle' || scenario === 'span' || scenario === 'every') {
    const api = await import('@opentelemetry/api');
    const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
    api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    // Records look for spans only once promkit has seen tracing set up: its probe timer would
    // at the next tick, but the measuring loops below never yield to it. Configuring again looks at once.
    const { configureTraceExemplars } = await import('../src/opentelemetry/index.js');
    configureTraceExemplars();
    if (scenario !== 'idle') {
      const { AlwaysOnSampler, BasicTracerProvider } = await import('@opentelemetry/sdk-trace-base');
      const span = new BasicTracerProvider({ sampler: new AlwaysOnSampler() }).getTracer('bench').startSpan('request');
      ({ traceId, spanId } = span.spanContext());
      inSpan = (fn) => api.context.with(api.trace.setSpan(api.ROOT_CONTEXT, span), fn);
    }
  }

  const pkCounter = new Counter({ name: 'c', help: 'c', registry: new Registry() });
  const pkHistogram = new Histogram({ name: 'h', help: 'h', buckets: DEFAULT_BUCKETS, registry: new Registry() });
  // prom-client takes exemplars only as explicit labels (and only in an OpenMetrics registry):
  // in `every` it is given the span's ids on each call, promkit finds them itself.
  const explicit = scenario === 'every' ? { trace_id: traceId as string, span_id: spanId as string } : undefined;
  const OpenMetricsRegistry = client.Registry as unknown as new (contentType: string) => client.Registry;
  const pcRegistry = explicit === undefined ? new client.Registry() : new OpenMetricsRegistry(client.Registry.OPENMETRICS_CONTENT_TYPE);
  const pcCounter = new client.Counter({ name: 'c', help: 'c', registers: [pcRegistry], enableExemplars: explicit !== undefined });
  const pcHistogram = new client.Histogram({ name: 'h', help: 'h', buckets: [...DEFAULT_BUCKETS], registers: [pcRegistry], enableExemplars: explicit !== undefined });

  const counter = await inSpan(() =>
    measurePair(
      budget,
      explicit === undefined
        ? { run: () => { for (let i = 0; i < CALLS; i++) pkCounter.inc(); } }
        : { run: () => { for (let i = 0; i < CALLS; i++) { openWindow(); pkCounter.inc(); } } },
      explicit === undefined
        ? { run: () => { for (let i = 0; i < CALLS; i++) pcCounter.inc(); } }
        : { run: () => { for (let i = 0; i < CALLS; i++) pcCounter.inc({ value: 1, exemplarLabels: explicit }); } },
    ),
  );
  const histogram = await inSpan(() =>
    measurePair(
      budget,
      explicit === undefined
        ? { run: () => { for (let i = 0; i < CALLS; i++) pkHistogram.observe(OBSERVATIONS[i & 7]); } }
        : { run: () => { for (let i = 0; i < CALLS; i++) { openWindow(); pkHistogram.observe(OBSERVATIONS[i & 7]); } } },
      explicit === undefined
        ? { run: () => { for (let i = 0; i < CALLS; i++) pcHistogram.observe(OBSERVATIONS[i & 7]); } }
        : { run: () => { for (let i = 0; i < CALLS; i++) pcHistogram.observe({ value: OBSERVATIONS[i & 7], exemplarLabels: explicit }); } },
    ),
  );

  // The bench measured what it says: an exemplar naming the span exactly when one was active.
  for (const [name, exemplar] of [['counter', firstExemplar(pkCounter.collect())], ['histogram', firstExemplar(pkHistogram.collect())]] as const) {
    if (exemplar?.labels.trace_id !== traceId) throw new Error(`exemplars bench ${scenario}: ${name} exemplar ${JSON.stringify(exemplar?.labels)}, expected trace ${String(traceId)}`);
  }
  const result: Record<'counter' | 'histogram', Record<Library, number>> = { counter, histogram };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, '/'))) {
  await main(process.argv[2] as Scenario, process.argv.includes('--quick'));
}
