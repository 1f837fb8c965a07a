import { afterEach, describe, expect, it, jest } from '@jest/globals';
import {
  DuplicateMetricError,
  InvalidLabelNameError,
  InvalidMetricNameError,
  ReservedLabelNameError,
  type MetricDescriptor,
  type MetricFamily,
  type MetricType,
} from '../../src/model/index.js';
import { Registry, type Collector, type CollectorFailure } from '../../src/registry/index.js';
import { Counter, Gauge, Histogram } from '../../src/metrics/index.js';
import { encodeOpenMetrics, encodeText } from '../../src/exposition/index.js';

function family(name: string, type: MetricType, samples: MetricFamily['samples'], help = `${name} help`): MetricFamily {
  return { name, type, help, unit: '', samples };
}

function gauge(name: string, value: number, labels: Record<string, string> = {}): MetricFamily {
  return family(name, 'gauge', [{ name, labels, value }]);
}

function staticCollector(families: MetricFamily[], describe = true): Collector {
  return {
    collect: () => families,
    describe: describe ? () => families.map((f): MetricDescriptor => ({ name: f.name, type: f.type })) : undefined,
  };
}

/** The smallest thing the registry treats as an instrument: named, typed, comparable. */
class FakeInstrument {
  constructor(
    readonly name: string,
    readonly type: MetricType,
    readonly help: string,
  ) {}
  collect(): MetricFamily[] {
    return [gauge(this.name, 1)];
  }
  describe(): MetricDescriptor[] {
    return [{ name: this.name, type: this.type }];
  }
  definitionConflict(other: FakeInstrument): string | undefined {
    if (other.type !== this.type) return `type differs: ${this.type} vs ${other.type}`;
    if (other.help !== this.help) return `help differs: '${this.help}' vs '${other.help}'`;
    return undefined;
  }
}

const names = (families: readonly MetricFamily[]): string[] => families.map((f) => f.name);
/** Leaves out the registry's own `promkit_collector_*` families. */
const own = (families: readonly MetricFamily[]): MetricFamily[] => families.filter((f) => !f.name.startsWith('promkit_collector_'));

/** Answers `families` after `ms`, unless the registry aborts the collection first (as a well-behaved collector does). */
function answerAfter(ms: number, signal: AbortSignal, families: MetricFamily[] = []): Promise<MetricFamily[]> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(families), ms);
    signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  });
}
const quiet = (): void => {};

describe('Registry registration', () => {
  it('collects families in registration order', async () => {
    const r = new Registry();
    r.register(staticCollector([gauge('b', 1)]));
    r.register(staticCollector([gauge('a', 2), gauge('c', 3)]));
    expect(names(own((await r.collect()).families))).toEqual(['b', 'a', 'c']);
  });

  it.each<[MetricType, string, MetricType, string]>([
    ['counter', 'x', 'gauge', 'x_total'],
    ['counter', 'x', 'gauge', 'x_created'],
    ['histogram', 'h', 'gauge', 'h_bucket'],
    ['histogram', 'h', 'counter', 'h_count'],
    ['summary', 's', 'gauge', 's_sum'],
    ['info', 'i', 'gauge', 'i_info'],
    ['gaugehistogram', 'g', 'gauge', 'g_gsum'],
    ['gauge', 'x_total', 'counter', 'x'],
    ['gauge', 'same', 'gauge', 'same'],
  ])('a %s "%s" and a %s "%s" collide at registration', (typeA, nameA, typeB, nameB) => {
    const r = new Registry();
    r.register(staticCollector([family(nameA, typeA, [])]));
    const second = staticCollector([family(nameB, typeB, [])]);
    expect(() => r.register(second)).toThrow(DuplicateMetricError);
    expect(() => r.register(second)).toThrow(new RegExp(`"${nameB}"`));
    expect(r.getCollectors()).toHaveLength(1);
  });

  it('allows names that only look alike', () => {
    const r = new Registry();
    r.register(staticCollector([family('x', 'counter', [])]));
    expect(() => r.register(staticCollector([family('x_totals', 'gauge', []), family('xx', 'gauge', [])]))).not.toThrow();
  });

  it('rejects a collector whose own families collide, and invalid described names', () => {
    const r = new Registry();
    expect(() => r.register(staticCollector([family('q', 'counter', []), family('q_total', 'gauge', [])]))).toThrow(
      DuplicateMetricError,
    );
    expect(() => r.register(staticCollector([family('bad-name', 'gauge', [])]))).toThrow(InvalidMetricNameError);
    expect(r.getCollectors()).toHaveLength(0);
  });

  it('reserves its own collector metric names', () => {
    const r = new Registry();
    expect(() => r.register(staticCollector([gauge('promkit_collector_success', 1)]))).toThrow(/reserved/);
  });

  it('returns the registered instrument for the same definition (get-or-create)', () => {
    const r = new Registry();
    const first = r.register(new FakeInstrument('jobs', 'gauge', 'Jobs.'));
    const again = r.register(new FakeInstrument('jobs', 'gauge', 'Jobs.'));
    expect(again).toBe(first);
    expect(r.getCollectors()).toEqual([first]);
  });

  it('throws a DuplicateMetricError naming the difference for a different definition', () => {
    const r = new Registry();
    r.register(new FakeInstrument('jobs', 'gauge', 'Jobs.'));
    expect(() => r.register(new FakeInstrument('jobs', 'gauge', 'Other.'))).toThrow(/"jobs".*help differs/);
  });

  it('registering the same object twice is a no-op', () => {
    const r = new Registry();
    const c = staticCollector([gauge('a', 1)]);
    expect(r.register(c)).toBe(c);
    expect(r.register(c)).toBe(c);
    expect(r.getCollectors()).toHaveLength(1);
  });

  it('unregister and clear free the names and call close()', () => {
    const r = new Registry();
    const closed: string[] = [];
    const a: Collector = { ...staticCollector([gauge('a', 1)]), close: () => void closed.push('a') };
    const b: Collector = { ...staticCollector([gauge('b', 1)]), close: () => void closed.push('b') };
    r.register(a);
    r.register(b);
    expect(r.getMetric('a')).toBe(a);
    expect(r.unregister(a)).toBe(true);
    expect(r.unregister(a)).toBe(false);
    expect(r.getMetric('a')).toBeUndefined();
    expect(() => r.register(staticCollector([gauge('a', 2)]))).not.toThrow();
    r.clear();
    expect(closed).toEqual(['a', 'b']);
    expect(r.getCollectors()).toHaveLength(0);
  });

  it('finds a collector by family name or by sample name', () => {
    const r = new Registry();
    const c = staticCollector([family('reqs', 'counter', [])]);
    r.register(c);
    expect(r.getMetric('reqs')).toBe(c);
    expect(r.getMetric('reqs_total')).toBe(c);
    expect(r.getMetric('nope')).toBeUndefined();
  });
});

describe('Registry options', () => {
  it('applies default labels to every sample; a sample label of the same name wins', async () => {
    const r = new Registry({ defaultLabels: { service: 'orders', zone: 'a' } });
    r.register(staticCollector([gauge('g', 1, { zone: 'b', k: 'v' })]));
    const [f] = (await r.collect()).families;
    expect(f.samples[0].labels).toEqual({ service: 'orders', zone: 'b', k: 'v' });
  });

  it('rejects illegal default label names', () => {
    expect(() => new Registry({ defaultLabels: { 'bad-name': 'x' } })).toThrow(InvalidLabelNameError);
    expect(() => new Registry({ defaultLabels: { __reserved: 'x' } })).toThrow(InvalidLabelNameError);
  });

  it('drops _created samples of counters, histograms and summaries when created is off', async () => {
    const families = [
      family('c', 'counter', [
        { name: 'c_total', labels: {}, value: 1 },
        { name: 'c_created', labels: {}, value: 1700000000 },
      ]),
      family('g_created', 'gauge', [{ name: 'g_created', labels: {}, value: 5 }]),
    ];
    const on = new Registry();
    on.register(staticCollector(families));
    const off = new Registry({ created: false });
    off.register(staticCollector(families));
    const sampleNames = async (r: Registry): Promise<string[]> =>
      own((await r.collect()).families).flatMap((f) => f.samples.map((s) => s.name));
    expect(await sampleNames(on)).toEqual(['c_total', 'c_created', 'g_created']);
    expect(await sampleNames(off)).toEqual(['c_total', 'g_created']);
  });

  it('selects samples by name (name[] semantics) and skips collectors that cannot match', async () => {
    const r = new Registry();
    let calls = 0;
    r.register({
      describe: () => [{ name: 'skipped', type: 'gauge' }],
      collect: () => {
        calls++;
        return [gauge('skipped', 1)];
      },
    });
    r.register(
      staticCollector([
        family('c', 'counter', [
          { name: 'c_total', labels: {}, value: 1 },
          { name: 'c_created', labels: {}, value: 2 },
        ]),
        gauge('other', 1),
      ]),
    );
    const { families } = await r.collect({ names: ['c_total', 'absent'] });
    expect(families.map((f) => [f.name, f.samples.map((s) => s.name)])).toEqual([['c', ['c_total']]]);
    expect(calls).toBe(0);
  });
});

describe('Registry options on instruments (the encoders\' fast path)', () => {
  /** The same families with plain sample arrays: what the encoders write without a series view. */
  const plain = (families: MetricFamily[]): MetricFamily[] => families.map((f) => ({ ...f, samples: [...f.samples] }));

  function instruments(registry: Registry): void {
    const c = new Counter({ name: 'jobs', help: 'Jobs.', labelNames: ['queue', 'service'], registry });
    c.labels({ queue: 'mail', service: 'own' }).inc(2);
    c.labels({ queue: 'sms', service: 'x"y' }).inc(1, { trace_id: 't1' });
    const g = new Gauge({ name: 'depth', help: 'Depth.', labelNames: ['queue'], registry });
    g.set({ queue: 'mail' }, 3);
    const h = new Histogram({ name: 'lat', help: 'Latency.', labelNames: ['route'], buckets: [0.1, 1], registry });
    h.observe({ route: '/' }, 0.5);
    new Gauge({ name: 'up', help: 'Up.', registry }).set(1);
  }

  it.each<[string, ConstructorParameters<typeof Registry>[0]]>([
    ['default labels', { defaultLabels: { region: 'eu', zone: 'a' } }],
    ['default labels colliding with a series label', { defaultLabels: { service: 'default', region: 'eu' } }],
    ['created off', { created: false }],
    ['both', { created: false, defaultLabels: { region: 'eu' } }],
  ])('%s: encodes exactly as the plain samples do, in both formats', async (_, options) => {
    const registry = new Registry(options);
    instruments(registry);
    const { families } = await registry.collect();
    expect(encodeText(families)).toBe(encodeText(plain(families)));
    expect(encodeOpenMetrics(families)).toBe(encodeOpenMetrics(plain(families)));
  });

  it('puts default labels first and lets a series label of the same name win', async () => {
    const registry = new Registry({ defaultLabels: { service: 'default', region: 'eu' }, created: false });
    instruments(registry);
    const text = encodeText((await registry.collect()).families);
    expect(text).toContain('jobs_total{service="own",region="eu",queue="mail"} 2.0\n');
    expect(text).toContain('depth{service="default",region="eu",queue="mail"} 3.0\n');
    expect(text).toContain('lat_bucket{service="default",region="eu",route="/",le="1.0"} 1.0\n');
    expect(text).toContain('up{service="default",region="eu"} 1.0\n');
    expect(text).not.toContain('_created');
  });

  it('refuses le and quantile as default labels', () => {
    expect(() => new Registry({ defaultLabels: { le: '1' } })).toThrow(ReservedLabelNameError);
    expect(() => new Registry({ defaultLabels: { quantile: '1' } })).toThrow(ReservedLabelNameError);
  });
});

describe('Registry collection failures', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('leaves out a collector that throws, serves the rest and reports it', async () => {
    const failures: CollectorFailure[] = [];
    const r = new Registry({ onCollectorError: (f) => failures.push(f) });
    r.register(staticCollector([gauge('before', 1)]));
    r.register({
      collectorName: 'broken',
      collect: () => {
        throw new Error('target down');
      },
    });
    r.register(staticCollector([gauge('after', 1)]));
    const result = await r.collect();
    expect(names(result.families)).toEqual(['before', 'after', 'promkit_collector_success', 'promkit_collector_duration_seconds']);
    expect(result.failures).toEqual([{ collector: 'broken', reason: 'error', error: new Error('target down') }]);
    expect(failures).toEqual(result.failures);
    const success = result.families.find((f) => f.name === 'promkit_collector_success');
    expect(success?.samples.find((s) => s.labels.collector === 'broken')?.value).toBe(0);
  });

  it('leaves out a rejecting async collector', async () => {
    const r = new Registry({ onCollectorError: quiet });
    r.register({ collectorName: 'ok', collect: async () => [gauge('ok_value', 7)] });
    r.register({ collectorName: 'bad', collect: async () => Promise.reject(new TypeError('nope')) });
    const result = await r.collect();
    expect(result.failures.map((f) => [f.collector, f.reason])).toEqual([['bad', 'error']]);
    const success = result.families.find((f) => f.name === 'promkit_collector_success')!;
    expect(success.samples.map((s) => [s.labels.collector, s.value])).toEqual([
      ['ok', 1],
      ['bad', 0],
    ]);
    expect(result.families.find((f) => f.name === 'ok_value')?.samples[0].value).toBe(7);
  });

  // No wall-clock ceilings here (a loaded machine can stretch any of them): the slow
  // collector answers only after 20 s, far beyond its timeout and below jest's, so a
  // timeout that does not fire shows as that late answer being used, and the timeout in
  // effect is read from the error rather than guessed from the elapsed time.
  const LATE_MS = 20_000;
  const timeoutOf = (failure: { error: unknown } | undefined): number =>
    Number(/within ([\d.e+-]+) s/.exec(failure?.error instanceof Error ? failure.error.message : '')?.[1]);

  it('times a slow collector out, aborts its signal, and reports its duration', async () => {
    const r = new Registry({ collectorTimeoutSeconds: 0.05, onCollectorError: quiet });
    let signal: AbortSignal | undefined;
    r.register({
      collectorName: 'slow',
      collect: (ctx) => {
        signal = ctx.signal;
        return answerAfter(LATE_MS, ctx.signal, [gauge('late', 1)]);
      },
    });
    r.register(staticCollector([gauge('fast', 1)]));
    const result = await r.collect();
    expect(result.failures.map((f) => [f.collector, f.reason])).toEqual([['slow', 'timeout']]);
    expect(timeoutOf(result.failures[0])).toBe(0.05);
    expect(signal?.aborted).toBe(true);
    expect(names(result.families)).toEqual(['fast', 'promkit_collector_success', 'promkit_collector_duration_seconds']);
    const duration = result.families.find((f) => f.name === 'promkit_collector_duration_seconds')!;
    expect(duration.samples[0].value).toBeGreaterThanOrEqual(0.04);
    // A generous ceiling (40x the timeout) that still catches a timer a hundred times too long.
    expect(duration.samples[0].value).toBeLessThan(2);
    expect(duration.unit).toBe('seconds');
  });

  it('a per-scrape timeout overrides the registry default', async () => {
    const r = new Registry({ collectorTimeoutSeconds: 30, onCollectorError: quiet });
    r.register({ collectorName: 'slow', collect: (ctx) => answerAfter(LATE_MS, ctx.signal) });
    const result = await r.collect({ timeoutSeconds: 0.02 });
    expect(result.failures[0]?.reason).toBe('timeout');
    expect(timeoutOf(result.failures[0])).toBe(0.02);
  });

  it("shortens the collector timeout to just under the scraper's, never lengthens a stricter one", async () => {
    const slow = (): Collector => ({
      collectorName: 'slow',
      collect: (ctx) => answerAfter(LATE_MS, ctx.signal),
    });
    const timeoutFor = async (collectorTimeoutSeconds: number, scrapeTimeoutSeconds: number): Promise<number> => {
      const r = new Registry({ collectorTimeoutSeconds, onCollectorError: quiet });
      r.register(slow());
      const { failures } = await r.collect({ scrapeTimeoutSeconds });
      expect(failures.map((f) => f.reason)).toEqual(['timeout']);
      return timeoutOf(failures[0]);
    };
    // Half a second under the scraper's, but never below half of it.
    expect(await timeoutFor(30, 0.2)).toBe(0.1);
    expect(await timeoutFor(30, 1.2)).toBe(0.7);
    // A stricter registry timeout stays.
    expect(await timeoutFor(0.05, 10)).toBe(0.05);
  });

  it('shares one in-flight collection between concurrent scrapes', async () => {
    const r = new Registry();
    let calls = 0;
    r.register({
      collectorName: 'shared',
      collect: async () => {
        calls++;
        await new Promise((res) => setTimeout(res, 50));
        return [gauge('shared_value', calls)];
      },
    });
    const [a, b] = await Promise.all([r.collect(), r.collect()]);
    expect(calls).toBe(1);
    expect(a.families[0].samples[0].value).toBe(1);
    expect(b.families[0].samples[0].value).toBe(1);
    await r.collect();
    expect(calls).toBe(2);
  });

  it('stops waiting when the scrape is aborted', async () => {
    const r = new Registry({ onCollectorError: quiet });
    let collectorSignal: AbortSignal | undefined;
    r.register({
      collectorName: 'hang',
      collect: (ctx) => {
        collectorSignal = ctx.signal;
        return new Promise<MetricFamily[]>(() => {});
      },
    });
    const controller = new AbortController();
    const pending = r.collect({ signal: controller.signal });
    controller.abort(new Error('client went away'));
    const result = await pending;
    expect(result.failures[0]?.collector).toBe('hang');
    expect(collectorSignal?.aborted).toBe(true);
  });

  it('leaves out a family that an undescribed collector exposes twice in one scrape', async () => {
    const r = new Registry({ onCollectorError: quiet });
    r.register(staticCollector([family('dup', 'counter', [{ name: 'dup_total', labels: {}, value: 1 }])], false));
    r.register({ collectorName: 'second', collect: () => [gauge('dup_total', 2), gauge('fine', 3)] });
    const result = await r.collect();
    expect(names(result.families).slice(0, 2)).toEqual(['dup', 'fine']);
    expect(result.failures.map((f) => [f.collector, f.reason])).toEqual([['second', 'duplicate']]);
  });

  it('warns once when a collector starts failing, not on every scrape', async () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const r = new Registry();
    let fail = true;
    r.register({
      collectorName: 'flaky',
      collect: () => {
        if (fail) throw new Error('down');
        return [gauge('flaky_up', 1)];
      },
    });
    await r.collect();
    await r.collect();
    await r.collect();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/"flaky".*down/);
    fail = false;
    await r.collect();
    expect(warn).toHaveBeenCalledTimes(2);
    expect(String(warn.mock.calls[1][0])).toMatch(/recovered/);
  });

  it('gives collectors without a name a unique label', async () => {
    const r = new Registry();
    r.register({ collect: async () => [gauge('one', 1)] });
    r.register({ collect: async () => [gauge('two', 1)] });
    const result = await r.collect();
    const success = result.families.find((f) => f.name === 'promkit_collector_success')!;
    expect(success.samples.map((s) => s.labels.collector)).toEqual(['collector', 'collector_2']);
  });
});
