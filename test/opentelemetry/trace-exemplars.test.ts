import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { context, ROOT_CONTEXT, trace, TraceFlags, type Span, type Tracer } from '@opentelemetry/api';
import { AlwaysOffSampler, AlwaysOnSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import { Counter, Histogram, InvalidOptionsError, Registry, encode, type Exemplar } from '../../src/index.js';
import { bindMetricsRuntime, Counted, COUNTED_METRIC, MetricsRuntime, Timed, TIMED_METRIC } from '../../src/decorators/index.js';
import { configureTraceExemplars, traceExemplarsActive, type ExemplarClock } from '../../src/opentelemetry/index.js';
import { parseWithPython } from '../support/python-parser.js';
import { tracerWith, useAsyncContext } from '../support/tracing.js';
import { samplesOf } from '../decorators/series.js';

// Spans come from the real OpenTelemetry SDK, made active by the real AsyncLocalStorage
// context manager; the rate limit runs on a clock the test moves by hand.

/** Read before any test configures anything: what importing `src/index.ts` did by itself. */
const activeAfterImport = traceExemplarsActive();

const sampled = tracerWith(new AlwaysOnSampler());
const unsampled = tracerWith(new AlwaysOffSampler());

/** A wall clock and interval timer the test moves by hand, counting how often the time is read. */
class ManualClock implements ExemplarClock {
  ms = 1_700_000_000_000;
  reads = 0;
  private timer: { intervalMs: number; tick: () => void; next: number } | undefined;

  now(): number {
    this.reads++;
    return this.ms;
  }

  every(intervalMs: number, tick: () => void): () => void {
    const timer = { intervalMs, tick, next: this.ms + intervalMs };
    this.timer = timer;
    return () => {
      if (this.timer === timer) this.timer = undefined;
    };
  }

  /** Moves time forward, firing the timer at every interval passed. */
  advance(ms: number): void {
    const end = this.ms + ms;
    const timer = this.timer;
    while (timer !== undefined && this.timer === timer && timer.next <= end) {
      this.ms = timer.next;
      timer.next += timer.intervalMs;
      timer.tick();
    }
    this.ms = end;
  }
}

let clock: ManualClock;
const INTERVAL = 1000;
const RETENTION = 5000;

let asyncContext: ReturnType<typeof useAsyncContext>;

beforeAll(() => {
  asyncContext = useAsyncContext();
});

afterAll(() => {
  configureTraceExemplars({ enabled: false });
  asyncContext.stop();
});

beforeEach(() => {
  clock = new ManualClock();
  configureTraceExemplars({ enabled: true, interval: INTERVAL, bucketRetention: RETENTION, clock });
});

/** Runs `fn` inside a new active span of `tracer`, and returns the span (ended). */
function inSpan(tracer: Tracer, fn: (span: Span) => void): Span {
  return tracer.startActiveSpan('work', (span) => {
    try {
      fn(span);
    } finally {
      span.end();
    }
    return span;
  });
}

function idsOf(span: Span): Record<string, string> {
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

function counterExemplar(counter: Counter<string>, labels?: Record<string, string>): Exemplar | undefined {
  const family = counter.collect()[0];
  return family.samples.find((s) => s.name.endsWith('_total') && (labels === undefined || Object.entries(labels).every(([k, v]) => s.labels[k] === v)))?.exemplar;
}

function bucketExemplars(histogram: Histogram<string>): Map<string, Exemplar> {
  const out = new Map<string, Exemplar>();
  for (const s of histogram.collect()[0].samples) if (s.exemplar !== undefined) out.set(s.labels.le, s.exemplar);
  return out;
}

describe('exemplars from the active OpenTelemetry span', () => {
  it('are on as soon as an entry point of promkit is loaded with @opentelemetry/api installed, and can be turned off', () => {
    expect(activeAfterImport).toBe(true);
    configureTraceExemplars({ enabled: false });
    expect(traceExemplarsActive()).toBe(false);
    configureTraceExemplars({ enabled: true });
    expect(traceExemplarsActive()).toBe(true);
  });

  it('give a counter the trace and span id of a sampled span, with the increment and the time', () => {
    const counter = new Counter({ name: 'orders', help: 'Orders.', registry: null });
    const span = inSpan(sampled, () => counter.inc(3));
    expect(counterExemplar(counter)).toEqual({ labels: idsOf(span), value: 3, timestamp: clock.ms / 1000 });
    expect(counter.get()).toBe(3);
  });

  it('give the bucket of a histogram observation the ids of a sampled span', () => {
    const histogram = new Histogram({ name: 'latency_seconds', help: 'Latency.', labelNames: ['route'], buckets: [0.1, 1], registry: null });
    const span = inSpan(sampled, () => histogram.observe({ route: '/a' }, 0.5));
    expect([...bucketExemplars(histogram)]).toEqual([['1.0', { labels: idsOf(span), value: 0.5, timestamp: clock.ms / 1000 }]]);
  });

  it('are none without an active span, under an unsampled one, or when turned off; and then the clock is never read', () => {
    const counter = new Counter({ name: 'idle', help: 'Idle.', registry: null });
    const histogram = new Histogram({ name: 'idle_seconds', help: 'Idle.', registry: null });
    counter.inc();
    histogram.observe(0.2);
    inSpan(unsampled, () => {
      counter.inc();
      histogram.observe(0.2);
    });
    configureTraceExemplars({ enabled: false });
    inSpan(sampled, () => {
      counter.inc();
      histogram.observe(0.2);
    });
    expect(counterExemplar(counter)).toBeUndefined();
    expect(bucketExemplars(histogram).size).toBe(0);
    expect(counter.get()).toBe(3);
    expect(clock.reads).toBe(0);
  });

  it('wait for the next interval when tracing is set up after the series was recorded without it', () => {
    const counter = new Counter({ name: 'late_tracing', help: 'Late.', registry: null });
    context.disable(); // no context manager: as if tracing were not set up yet
    counter.inc();
    context.setGlobalContextManager(asyncContext.manager);
    inSpan(sampled, () => counter.inc());
    expect(counterExemplar(counter)).toBeUndefined();
    clock.advance(INTERVAL);
    const span = inSpan(sampled, () => counter.inc());
    expect(counterExemplar(counter)?.labels).toEqual(idsOf(span));
  });

  it('cost records nothing while tracing is not set up: only the probe timer looks whether it is', () => {
    const globals = (globalThis as unknown as Record<symbol, object | undefined>)[Symbol.for('opentelemetry.js.api.1')];
    if (globals === undefined) throw new Error('the OpenTelemetry API keeps no globals');
    context.disable(); // unregisters the context manager: the API installed, tracing not set up
    let looks = 0;
    Object.defineProperty(globals, 'context', {
      configurable: true,
      get: () => {
        looks++;
        return undefined;
      },
    });
    const probe = INTERVAL / 8;
    try {
      clock.advance(probe); // the timer sees that tracing is gone
      looks = 0;
      const counter = new Counter({ name: 'untraced', help: 'Untraced.', labelNames: ['route'], registry: null });
      const histogram = new Histogram({ name: 'untraced_seconds', help: 'Untraced.', buckets: [1], registry: null });
      for (let i = 0; i < 1000; i++) {
        counter.inc({ route: `/${i % 100}` });
        counter.inc({ route: `/${i % 100}` }, 2);
        histogram.observe(0.5);
      }
      expect(looks).toBe(0);
      expect(counter.get({ route: '/7' })).toBe(30);
      clock.advance(3 * probe);
      expect(looks).toBe(3);
    } finally {
      delete (globals as { context?: unknown }).context;
      context.setGlobalContextManager(asyncContext.manager);
    }
    // Tracing set up again: the next probe turns exemplars back on for every series.
    const counter = new Counter({ name: 'traced_again', help: 'Traced again.', registry: null });
    inSpan(sampled, () => counter.inc());
    expect(counterExemplar(counter)).toBeUndefined();
    clock.advance(probe);
    const span = inSpan(sampled, () => counter.inc());
    expect(counterExemplar(counter)?.labels).toEqual(idsOf(span));
    expect(counter.get()).toBe(2);
  });

  it('outside spans ask for the active span once per series and probe, and take a sampled span after the next probe', () => {
    // The real context manager, counting how often a record asks it for the active context
    // (only while `recorded` runs: starting a span asks it too).
    const manager = asyncContext.manager;
    const active = manager.active;
    let counting = false;
    let lookups = 0;
    manager.active = function (this: typeof manager) {
      if (counting) lookups++;
      return active.call(this);
    };
    const recorded = (record: () => void): void => {
      counting = true;
      try {
        record();
      } finally {
        counting = false;
      }
    };
    try {
      const probe = INTERVAL / 8;
      const counter = new Counter({ name: 'outside', help: 'Outside.', labelNames: ['route'], registry: null });
      const histogram = new Histogram({ name: 'outside_seconds', help: 'Outside.', buckets: [1], registry: null });
      recorded(() => {
        for (let i = 0; i < 1000; i++) {
          counter.inc({ route: '/a' });
          histogram.observe(0.5);
        }
      });
      expect(lookups).toBe(2); // one miss each, then closed until the next probe
      // Another series is not closed by the first one's miss.
      const other = inSpan(sampled, () => recorded(() => counter.inc({ route: '/b' })));
      expect(counterExemplar(counter, { route: '/b' })?.labels).toEqual(idsOf(other));
      expect(lookups).toBe(3);
      // Inside a span before the next probe: not looked for yet.
      inSpan(sampled, () => recorded(() => {
        counter.inc({ route: '/a' });
        histogram.observe(0.5);
      }));
      expect(counterExemplar(counter, { route: '/a' })).toBeUndefined();
      expect(bucketExemplars(histogram).size).toBe(0);
      expect(lookups).toBe(3);
      clock.advance(probe);
      const span = inSpan(sampled, () => recorded(() => {
        counter.inc({ route: '/a' });
        histogram.observe(0.5);
      }));
      expect(counterExemplar(counter, { route: '/a' })?.labels).toEqual(idsOf(span));
      expect(bucketExemplars(histogram).get('1.0')?.labels).toEqual(idsOf(span));
      expect(lookups).toBe(5);
      // Records spread over the next window outside spans: each series asks once per probe, eight times.
      clock.advance(INTERVAL - probe);
      lookups = 0;
      for (let p = 0; p < 8; p++) {
        recorded(() => {
          for (let i = 0; i < 100; i++) {
            counter.inc({ route: '/a' });
            histogram.observe(0.5);
          }
        });
        clock.advance(probe);
      }
      expect(lookups).toBe(16);
      expect(counter.get({ route: '/a' })).toBe(1802);
    } finally {
      manager.active = active;
    }
  });

  it('come only from the spans a ratio sampler kept', () => {
    const tracer = tracerWith(new TraceIdRatioBasedSampler(0.5));
    const counter = new Counter({ name: 'sampled_half', help: 'Half.', labelNames: ['i'], registry: null });
    const kept: string[] = [];
    for (let i = 0; i < 200; i++) {
      const span = inSpan(tracer, () => counter.inc({ i }));
      if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) !== 0) kept.push(span.spanContext().traceId);
    }
    const withExemplar = counter.collect()[0].samples.flatMap((s) => (s.exemplar === undefined ? [] : [s.exemplar.labels.trace_id]));
    expect(kept.length).toBeGreaterThan(50);
    expect(kept.length).toBeLessThan(150);
    expect(withExemplar.sort()).toEqual(kept.sort());
  });

  it('add at most one new exemplar per series per interval, and read the clock only for that one', () => {
    const counter = new Counter({ name: 'busy', help: 'Busy.', labelNames: ['route'], registry: null });
    const seen = new Set<Exemplar>();
    let first: Span | undefined;
    for (let i = 0; i < 50; i++) {
      const span = inSpan(sampled, () => counter.inc({ route: '/a' }));
      first ??= span;
      clock.advance(19); // 50 x 19 ms: all within one interval
      seen.add(counterExemplar(counter, { route: '/a' }) as Exemplar);
    }
    expect([...seen].map((e) => e.labels)).toEqual([idsOf(first as Span)]);
    expect(clock.reads).toBe(1);
    // Another series has its own limit.
    inSpan(sampled, () => counter.inc({ route: '/b' }));
    expect(counterExemplar(counter, { route: '/b' })).toBeDefined();
    clock.advance(INTERVAL - 50 * 19);
    const next = inSpan(sampled, () => counter.inc({ route: '/a' }));
    expect(counterExemplar(counter, { route: '/a' })?.labels).toEqual(idsOf(next));
    expect(counter.get({ route: '/a' })).toBe(51);
  });

  it('leave a histogram bucket its exemplar for the retention, so that rare buckets keep theirs', () => {
    const histogram = new Histogram({ name: 'mixed_seconds', help: 'Mixed.', buckets: [0.1, 1], registry: null });
    const fast = inSpan(sampled, () => histogram.observe(0.05));
    clock.advance(INTERVAL);
    inSpan(sampled, () => histogram.observe(0.06)); // interval over, but the bucket's exemplar is younger than the retention
    const slow = inSpan(sampled, () => histogram.observe(0.7)); // another bucket: taken
    expect(new Map([...bucketExemplars(histogram)].map(([le, e]) => [le, e.labels]))).toEqual(
      new Map([
        ['0.1', idsOf(fast)],
        ['1.0', idsOf(slow)],
      ]),
    );
    clock.advance(RETENTION);
    const later = inSpan(sampled, () => histogram.observe(0.07));
    expect(bucketExemplars(histogram).get('0.1')?.labels).toEqual(idsOf(later));
  });

  it('never replace explicit exemplar labels given to the same call, nor one given in the same interval', () => {
    const counter = new Counter({ name: 'explicit', help: 'Explicit.', registry: null });
    const histogram = new Histogram({ name: 'explicit_seconds', help: 'Explicit.', buckets: [1], registry: null });
    inSpan(sampled, () => {
      counter.inc(1, { order: '42' });
      histogram.observe(0.5, { order: '42' });
    });
    inSpan(sampled, () => {
      counter.inc();
      histogram.observe(0.5);
    });
    expect(counterExemplar(counter)?.labels).toEqual({ order: '42' });
    expect(bucketExemplars(histogram).get('1.0')?.labels).toEqual({ order: '42' });
  });

  it('are off for an instrument created with exemplars: false, which takes only a boolean', () => {
    const counter = new Counter({ name: 'quiet', help: 'Quiet.', exemplars: false, registry: null });
    const histogram = new Histogram({ name: 'quiet_seconds', help: 'Quiet.', exemplars: false, registry: null });
    inSpan(sampled, () => {
      counter.inc();
      histogram.observe(0.1);
    });
    expect(counterExemplar(counter)).toBeUndefined();
    expect(bucketExemplars(histogram).size).toBe(0);
    expect(() => new Counter({ name: 'bad', help: 'Bad.', exemplars: 'no' as unknown as boolean, registry: null })).toThrow(InvalidOptionsError);
  });

  it('reach @Timed and @Counted, which record through a histogram and a counter', async () => {
    class Orders {
      @Timed()
      @Counted()
      async place(): Promise<string> {
        await sleep(1);
        return 'placed';
      }
    }
    const registry = new Registry();
    const orders = bindMetricsRuntime(new Orders(), new MetricsRuntime({ registry }));
    let span: Span | undefined;
    await sampled.startActiveSpan('place', async (s) => {
      span = s;
      await orders.place();
      s.end();
    });
    const labels = { class: 'Orders', method: 'place' };
    const counted = await samplesOf(registry, `${COUNTED_METRIC}_total`, labels);
    const timed = (await samplesOf(registry, `${TIMED_METRIC}_bucket`, labels)).filter((s) => s.exemplar !== undefined);
    expect(counted.map((s) => s.exemplar?.labels)).toEqual([idsOf(span as Span)]);
    expect(timed.map((s) => s.exemplar?.labels)).toEqual([idsOf(span as Span)]);
  });

  it('check their options first: a rejected call changes nothing', () => {
    const within = (v: unknown, min: number): boolean => v === undefined || (typeof v === 'number' && v >= min && v <= 2 ** 31 - 1);
    const anything = fc.oneof(fc.constant(undefined), fc.double(), fc.integer({ min: -10, max: 100_000 }), fc.constant(2 ** 31), fc.string(), fc.boolean(), fc.constant(null));
    fc.assert(
      fc.property(anything, anything, fc.oneof(fc.constant(undefined), fc.boolean(), fc.string()), (interval, bucketRetention, enabled) => {
        configureTraceExemplars({ enabled: true, interval: INTERVAL, bucketRetention: RETENTION, clock });
        const ok = within(interval, 1) && within(bucketRetention, 0) && (enabled === undefined || typeof enabled === 'boolean');
        const call = (): void => configureTraceExemplars({ interval, bucketRetention, enabled } as never);
        if (ok) {
          call();
          expect(traceExemplarsActive()).toBe(enabled !== false);
        } else {
          expect(call).toThrow(InvalidOptionsError);
          expect(traceExemplarsActive()).toBe(true);
        }
      }),
      { seed: 15, numRuns: 300 },
    );
  });

  it('take the ids of any span context only when sampled and well formed, and keep the scrape parseable', async () => {
    const hex = (length: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${length}}$`));
    const id = (length: number) =>
      fc.oneof(
        { arbitrary: hex(length), weight: 6 },
        { arbitrary: fc.string({ maxLength: 80 }), weight: 1 },
        { arbitrary: fc.string({ unit: 'binary', maxLength: length + 2 }), weight: 1 },
        { arbitrary: fc.constant('0'.repeat(length)), weight: 1 },
      );
    const spanContext = fc.record({ traceId: id(32), spanId: id(16), traceFlags: fc.integer({ min: 0, max: 3 }) });
    const registry = new Registry();
    const counter = new Counter({ name: 'remote', help: 'Remote parents.', labelNames: ['i'], registry });
    const expected = new Map<string, Record<string, string> | undefined>();
    fc.assert(
      fc.property(spanContext, (given) => {
        const i = String(expected.size);
        context.with(trace.setSpan(ROOT_CONTEXT, trace.wrapSpanContext(given)), () => counter.inc({ i }));
        const usable = (given.traceFlags & 1) === 1 && trace.isSpanContextValid(given);
        const want = usable ? { trace_id: given.traceId, span_id: given.spanId } : undefined;
        expected.set(i, want);
        expect(counterExemplar(counter, { i })?.labels).toEqual(want);
      }),
      { seed: 15, numRuns: 200 },
    );
    // The reference parser reads every exemplar back (names, values, the 128 code point budget).
    const parsed = await parseWithPython(encode((await registry.collect()).families, 'openmetrics'), 'openmetrics');
    const totals = parsed.find((f) => f.name === 'remote')?.samples.filter((s) => s.name === 'remote_total') ?? [];
    expect(new Map(totals.map((s) => [s.labels.i, s.exemplar?.labels]))).toEqual(expected);
    expect([...expected.values()].filter((e) => e !== undefined).length).toBeGreaterThanOrEqual(20);
  });
});
