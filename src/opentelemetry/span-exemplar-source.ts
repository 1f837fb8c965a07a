import type { ContextAPI, SpanContext, TraceAPI } from '@opentelemetry/api';
import type { LabelSet } from '../model/index.js';
import type { ExemplarSource } from '../metrics/exemplar-source.js';
import type { ExemplarClock } from './exemplar-clock.js';

/**
 * The parts of `@opentelemetry/api` the exemplar source reads. Every copy of the API (CommonJS
 * or ES module, any 1.x version) keeps the registered context manager in one global, so
 * whichever copy is handed in sees the spans the application's tracer made.
 *
 * @internal
 */
export interface TraceApi {
  readonly trace: Pick<TraceAPI, 'getSpan' | 'isSpanContextValid'>;
  readonly context: Pick<ContextAPI, 'active'>;
}

/** `TraceFlags.SAMPLED`, written out so that this file needs no value from the API. */
const SAMPLED = 0x01;

/**
 * Where every 1.x copy of the API registers its globals (`Symbol.for`, so that copies loaded
 * side by side share them): the context manager among them.
 */
const API_GLOBALS = Symbol.for('opentelemetry.js.api.1');

type ApiGlobals = { readonly context?: unknown } | undefined;

/**
 * Exemplars from the active OpenTelemetry span: its `trace_id` and `span_id` (32 and 16 hex
 * digits: 63 code points with the names, well inside the exemplar budget of 128), when the
 * span is sampled. A span the sampler dropped names a trace no backend will have.
 *
 * @internal Installed by {@link configureTraceExemplars}.
 */
export class SpanExemplarSource implements ExemplarSource<SpanContext> {
  private readonly trace: TraceApi['trace'];
  private readonly context: TraceApi['context'];

  constructor(
    api: TraceApi,
    readonly bucketRetentionMs: number,
    private readonly clock: ExemplarClock,
  ) {
    this.trace = api.trace;
    this.context = api.context;
  }

  // Without a registered context manager every context is the root one, which holds no span:
  // a program that has the API installed (often through some dependency) but does not trace.
  tracing(): boolean {
    return (globalThis as unknown as Record<symbol, ApiGlobals>)[API_GLOBALS]?.context !== undefined;
  }

  sampledContext(): SpanContext | undefined {
    // Tracing may have been shut down since the last probe, which turns records off.
    if (!this.tracing()) return undefined;
    const span = this.trace.getSpan(this.context.active());
    if (span === undefined) return undefined;
    const spanContext = span.spanContext();
    return (spanContext.traceFlags & SAMPLED) === 0 ? undefined : spanContext;
  }

  // Checked here, once per exemplar let through, not per record: ids from a custom generator
  // or a remote parent could be anything, and an exemplar must stay within its budget.
  labelsOf(spanContext: SpanContext): LabelSet | undefined {
    if (!this.trace.isSpanContextValid(spanContext)) return undefined;
    return Object.freeze({ trace_id: spanContext.traceId, span_id: spanContext.spanId });
  }

  now(): number {
    return this.clock.now();
  }
}
