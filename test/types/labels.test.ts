/**
 * Compile-time checks of label and state typing. `npm run typecheck` compiles this file:
 * every `@ts-expect-error` below must mark a real type error (an unused one fails the
 * build), and the lines without it must compile. At run time, each rejected call is also
 * shown to throw the matching typed error, so this is a real test as well.
 */
import { describe, expect, it } from '@jest/globals';
import { LabelSetMismatchError, UnknownStateError } from '../../src/model/index.js';
import { Counter, Enum, Gauge, Histogram, Summary } from '../../src/metrics/index.js';
import type { CounterChild, LabelValues, Metric } from '../../src/metrics/index.js';

describe('typed labels', () => {
  it('checks label objects against `labelNames: [...] as const`', () => {
    const requests = new Counter({ name: 'requests', help: 'h', labelNames: ['method'] as const, registry: null });
    requests.inc({ method: 'GET' });
    requests.inc({ method: 'GET' }, 2);
    requests.labels({ method: 'GET' }).inc();
    requests.labels('GET').inc();

    // @ts-expect-error misspelt label name
    expect(() => requests.labels({ methd: 'x' })).toThrow(LabelSetMismatchError);
    // @ts-expect-error missing label
    expect(() => requests.labels({})).toThrow(LabelSetMismatchError);
    // @ts-expect-error misspelt label name when recording
    expect(() => requests.inc({ methd: 'x' })).toThrow(LabelSetMismatchError);
    // @ts-expect-error extra label (at run time caught when the series is created)
    expect(() => requests.inc({ method: 'POST', status: '200' }, 1)).toThrow(LabelSetMismatchError);
    // @ts-expect-error label values are strings or numbers
    expect(() => requests.inc({ method: true })).not.toThrow(); // at run time String(true)

    expect(requests.get({ method: 'GET' })).toBe(5);
  });

  it('infers label names without `as const`', () => {
    const latency = new Histogram({ name: 'latency', help: 'h', labelNames: ['route', 'method'], registry: null });
    latency.observe({ route: '/', method: 'GET' }, 0.1);
    // @ts-expect-error missing `method`
    expect(() => latency.observe({ route: '/' }, 0.1)).toThrow(LabelSetMismatchError);
    // @ts-expect-error misspelt label name
    expect(() => latency.labels({ route: '/', methd: 'GET' })).toThrow(LabelSetMismatchError);
    const end = latency.startTimer({ route: '/' }); // partial labels at the start are fine
    expect(end({ method: 'GET' })).toBeGreaterThanOrEqual(0);
    // @ts-expect-error unknown label at the end of a timer
    expect(() => latency.startTimer({ route: '/' })({ methd: 'GET' })).toThrow(LabelSetMismatchError);

    const gauge = new Gauge({ name: 'g', help: 'h', labelNames: ['queue'], registry: null });
    gauge.set({ queue: 'a' }, 1);
    // @ts-expect-error misspelt label name
    expect(() => gauge.set({ queeu: 'a' }, 1)).toThrow(LabelSetMismatchError);

    const summary = new Summary({ name: 's', help: 'h', labelNames: ['op'], registry: null });
    // @ts-expect-error missing label
    expect(() => summary.observe({}, 1)).toThrow(LabelSetMismatchError);
  });

  it('makes a forgotten label object and a wrong count of positional values compile errors', () => {
    const requests = new Counter({ name: 'requests', help: 'h', labelNames: ['method', 'code'] as const, registry: null });
    requests.labels('GET', 200).inc();
    // @ts-expect-error a labelled counter needs its labels
    expect(() => requests.inc()).toThrow(LabelSetMismatchError);
    // @ts-expect-error a labelled counter needs its labels, a number is not enough
    expect(() => requests.inc(2)).toThrow(LabelSetMismatchError);
    // @ts-expect-error one positional value per label: too few
    expect(() => requests.labels('GET')).toThrow(LabelSetMismatchError);
    // @ts-expect-error one positional value per label: too many
    expect(() => requests.labels('GET', 200, 'x')).toThrow(LabelSetMismatchError);
    // @ts-expect-error removing takes one value per label too
    expect(() => requests.remove('GET')).toThrow(LabelSetMismatchError);

    const latency = new Histogram({ name: 'latency', help: 'h', labelNames: ['route'], registry: null });
    // @ts-expect-error a labelled histogram needs its labels
    expect(() => latency.observe(0.1)).toThrow(LabelSetMismatchError);
    // @ts-expect-error a labelled histogram times into a labelled series
    expect(() => latency.time(() => 1)).toThrow(LabelSetMismatchError);
    const summary = new Summary({ name: 'sizes', help: 'h', labelNames: ['op'], registry: null });
    // @ts-expect-error a labelled summary needs its labels
    expect(() => summary.observe(1)).toThrow(LabelSetMismatchError);
    const gauge = new Gauge({ name: 'depth', help: 'h', labelNames: ['queue'], registry: null });
    // @ts-expect-error a labelled gauge needs its labels
    expect(() => gauge.set(1)).toThrow(LabelSetMismatchError);
    // @ts-expect-error a labelled gauge needs its labels
    expect(() => gauge.dec()).toThrow(LabelSetMismatchError);
    expect(requests.get({ method: 'GET', code: 200 })).toBe(1);
  });

  it('keeps label names the compiler cannot know, and the widening to string labels, as they were', () => {
    const names: string[] = ['a', 'b'];
    const dynamic = new Counter({ name: 'dynamic', help: 'h', labelNames: names, registry: null });
    dynamic.labels('x', 'y').inc(); // L = string: the count is checked at run time only
    expect(() => dynamic.labels('x')).toThrow(LabelSetMismatchError);
    const unlabelled: Histogram<string> = new Histogram({ name: 'plain_seconds', help: 'h', registry: null });
    const labelled: Counter<string> = new Counter({ name: 'by_route', help: 'h', labelNames: ['route'] as const, registry: null });
    expect(unlabelled.labelNames).toEqual([]);
    expect(labelled.labelNames).toEqual(['route']);
  });

  it('takes no label object on an unlabelled metric', () => {
    const plain = new Counter({ name: 'plain', help: 'h', registry: null });
    plain.inc();
    plain.inc(3, { trace_id: 'abc' });
    plain.inc({});
    // @ts-expect-error the value must be a number
    expect(() => plain.inc('3')).toThrow();
    // @ts-expect-error an unlabelled metric takes no labels
    expect(() => plain.inc({ method: 'GET' })).toThrow(LabelSetMismatchError);
    // @ts-expect-error an unlabelled metric takes no labels
    expect(() => new Gauge({ name: 'g', help: 'h', registry: null }).set({ queue: 'a' }, 1)).toThrow(LabelSetMismatchError);
    expect(plain.get()).toBe(5);
  });

  it('types Enum states so a misspelt state does not compile', () => {
    const phase = new Enum({ name: 'phase', help: 'h', states: ['idle', 'busy'], registry: null });
    phase.state('busy');
    // @ts-expect-error not a declared state
    expect(() => phase.state('sleeping')).toThrow(UnknownStateError);
    const jobs = new Enum({ name: 'jobs', help: 'h', labelNames: ['job'], states: ['idle', 'busy'] as const, registry: null });
    jobs.state({ job: 'a' }, 'idle');
    jobs.labels('b').state('busy');
    // @ts-expect-error not a declared state on a bound child
    expect(() => jobs.labels('b').state('done')).toThrow(UnknownStateError);
    // @ts-expect-error misspelt label name
    expect(() => jobs.state({ jb: 'a' }, 'idle')).toThrow(LabelSetMismatchError);
    const state: 'idle' | 'busy' | undefined = jobs.get({ job: 'a' });
    expect(state).toBe('idle');
  });

  it('lets every instrument be handled as a Metric<string>, and LabelValues be reused', () => {
    const counter = new Counter({ name: 'c', help: 'h', labelNames: ['a'], registry: null });
    const metrics: Metric<string>[] = [counter, new Gauge({ name: 'g', help: 'h', registry: null }), new Enum({ name: 'e', help: 'h', states: ['x'], registry: null })];
    expect(metrics.map((m) => m.type)).toEqual(['counter', 'gauge', 'stateset']);
    const labels: LabelValues<'a'> = { a: 1 };
    const child: CounterChild = counter.labels(labels);
    child.inc();
    expect(counter.get(labels)).toBe(1);
  });
});
