import { describe, expect, it, jest } from '@jest/globals';
import fc from 'fast-check';
import { Registry } from '../../src/registry/index.js';
import { scrape } from '../../src/exposition/index.js';
import { bindMetricsRuntime, DECORATOR_ERRORS_METRIC, Gauged, GAUGED_METRICS, InvalidDecoratorTargetError, MetricsRuntime } from '../../src/decorators/index.js';
import { InvalidOptionsError } from '../../src/model/index.js';
import { samplesOf, valueOf } from './series.js';

class Queue {
  depth = 0;

  constructor(readonly name = 'main') {}

  @Gauged({ mode: 'scrape', name: 'queue_waiting_jobs', help: 'Jobs waiting.' })
  waiting(): number {
    return this.depth;
  }

  @Gauged({ mode: 'scrape', name: 'queue_oldest_seconds', help: 'Age of the oldest job.', combine: 'max' })
  async oldest(): Promise<number> {
    await Promise.resolve();
    return this.depth * 10;
  }

  @Gauged({ mode: 'scrape', name: 'queue_depth_by_name', help: 'Jobs waiting, by queue.', labelNames: ['queue'], labelsFrom: (_args, instance) => ({ queue: (instance as Queue).name }) })
  byName(): number {
    return this.depth;
  }
}

function runtime(): { registry: Registry; runtime: MetricsRuntime } {
  const registry = new Registry();
  return { registry, runtime: new MetricsRuntime({ registry }) };
}

const labels = { class: 'Queue', method: 'waiting' };

describe('@Gauged({ mode: "scrape" })', () => {
  it('reads the method when the registry is collected, not when the program calls it', async () => {
    const { registry, runtime: rt } = runtime();
    const queue = bindMetricsRuntime(new Queue(), rt);
    expect(await valueOf(registry, 'queue_waiting_jobs', labels)).toBe(0);
    queue.depth = 7;
    expect(await valueOf(registry, 'queue_waiting_jobs', labels)).toBe(7);
    expect(queue.waiting()).toBe(7);
    queue.depth = 3;
    expect(await valueOf(registry, 'queue_waiting_jobs', labels)).toBe(3);
    expect(GAUGED_METRICS.scrape).toBe('method_scraped_value');
  });

  it('adds up the instances of one class (sum by default, max or min when asked), or tells them apart by labels', async () => {
    const { registry, runtime: rt } = runtime();
    const a = bindMetricsRuntime(new Queue('a'), rt);
    const b = bindMetricsRuntime(new Queue('b'), rt);
    bindMetricsRuntime(a, rt);
    a.depth = 2;
    b.depth = 5;
    expect(await valueOf(registry, 'queue_waiting_jobs', labels)).toBe(7);
    expect(await valueOf(registry, 'queue_oldest_seconds', { method: 'oldest' })).toBe(50);
    expect(await valueOf(registry, 'queue_depth_by_name', { queue: 'a' })).toBe(2);
    expect(await valueOf(registry, 'queue_depth_by_name', { queue: 'b' })).toBe(5);
  });

  it('reads an instance only in the registry it is tied to now', async () => {
    const first = runtime();
    const second = runtime();
    const queue = bindMetricsRuntime(new Queue(), first.runtime);
    queue.depth = 4;
    expect(await valueOf(first.registry, 'queue_waiting_jobs', labels)).toBe(4);
    bindMetricsRuntime(queue, second.runtime);
    expect(await valueOf(second.registry, 'queue_waiting_jobs', labels)).toBe(4);
    expect(await samplesOf(first.registry, 'queue_waiting_jobs')).toEqual([]);
  });

  it('leaves out a series whose read throws, rejects or gives no number, counts it, and serves the rest of the scrape', async () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    class Flaky {
      constructor(private readonly result: () => unknown) {}
      @Gauged({ mode: 'scrape', name: 'flaky_value', help: 'A flaky read.', labelNames: ['kind'], labelsFrom: (_a, i) => ({ kind: (i as Flaky).kind }) })
      read(): unknown {
        return this.result();
      }
      get kind(): string {
        return String(this.result.name);
      }
    }
    try {
      const { registry, runtime: rt } = runtime();
      const ok = () => 1.5;
      const throws = () => {
        throw new Error('down');
      };
      const text = () => 'many';
      const rejects = () => Promise.reject(new Error('later'));
      for (const result of [ok, throws, text, rejects]) bindMetricsRuntime(new Flaky(result), rt);
      bindMetricsRuntime(new Queue(), rt);
      const { body } = await scrape(registry, {});
      expect(body).toContain('flaky_value{class="Flaky",method="read",kind="ok"} 1.5');
      expect(body).not.toMatch(/kind="(throws|text|rejects)"/);
      expect(body).toContain('queue_waiting_jobs{class="Queue",method="waiting"} 0');
      // Three failed reads per collect; this collect's own may land after the counter is read.
      expect(await valueOf(registry, `${DECORATOR_ERRORS_METRIC}_total`, { metric: 'flaky_value', reason: 'scrape' })).toBeGreaterThanOrEqual(3);
    } finally {
      warn.mockRestore();
    }
  });

  it('never breaks the scrape, whatever the methods return; a series shows the sum when every instance gave a number', async () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const anyResult = fc.oneof(
      fc.double({ noNaN: true }),
      fc.integer(),
      fc.bigInt({ min: -1000n, max: 1000n }),
      fc.string(),
      fc.constant(null),
      fc.constant(undefined),
      fc.object(),
      fc.constant('throw'),
    );
    class Probe {
      constructor(private readonly result: unknown) {}
      @Gauged({ mode: 'scrape', name: 'probe_value', help: 'Whatever it returns.' })
      read(): unknown {
        if (this.result === 'throw') throw new Error('probe failed');
        return this.result;
      }
    }
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(anyResult, { minLength: 1, maxLength: 6 }), async (results) => {
          const { registry, runtime: rt } = runtime();
          const probes = results.map((r) => bindMetricsRuntime(new Probe(r), rt));
          const { body } = await scrape(registry, {});
          expect(typeof body).toBe('string');
          const numbers = results.map((r) => (typeof r === 'bigint' ? Number(r) : r));
          const found = await samplesOf(registry, 'probe_value');
          if (numbers.every((n) => typeof n === 'number')) {
            expect(found).toHaveLength(1);
            const sum = (numbers as number[]).reduce((a, b) => a + b, 0);
            expect(Object.is(found[0].value, sum) || found[0].value === sum).toBe(true);
          } else {
            expect(found).toEqual([]);
          }
          expect(probes).toHaveLength(results.length);
        }),
        { seed: 18, numRuns: 60 },
      );
    } finally {
      warn.mockRestore();
    }
  });

  it('refuses a method taking arguments, a class, and combine on other modes', () => {
    expect(() => {
      class Wrong {
        @Gauged({ mode: 'scrape', name: 'wrong_value' })
        read(_n: number): number {
          return 1;
        }
      }
      return Wrong;
    }).toThrow(InvalidDecoratorTargetError);
    expect(() => {
      @Gauged({ mode: 'scrape', name: 'class_scraped' })
      class OnClass {}
      return OnClass;
    }).toThrow(InvalidDecoratorTargetError);
    expect(() => Gauged({ mode: 'value', combine: 'max' })).toThrow(InvalidOptionsError);
  });
});
