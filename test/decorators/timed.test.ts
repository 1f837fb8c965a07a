import { describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { InvalidBucketsError, InvalidOptionsError } from '../../src/model/index.js';
import { Registry } from '../../src/registry/index.js';
import { bindMetricsRuntime, MetricsRuntime, Timed, TIMED_METRIC } from '../../src/decorators/index.js';
import { familyOf, samplesOf, valueOf } from './series.js';

class OrderRejectedError extends Error {}

class Checkout {
  @Timed()
  total(prices: number[]): number {
    return prices.reduce((a, b) => a + b, 0);
  }

  @Timed()
  async pay(ms: number, fail: boolean): Promise<string> {
    await sleep(ms);
    if (fail) throw new OrderRejectedError('card declined');
    return 'paid';
  }

  @Timed()
  validate(input: unknown): void {
    if (typeof input !== 'string') throw new TypeError('not a string');
  }
}

class Quantiles {
  @Timed({ name: 'quantile_seconds', percentiles: [0.5, 0.9] })
  run(): number {
    return 1;
  }
}

class Bucketed {
  @Timed({ name: 'bucketed_seconds', buckets: [0.001, 0.01, 0.1] })
  run(): number {
    return 1;
  }
}

function setUp<T extends object>(instance: T): { registry: Registry; instance: T } {
  const registry = new Registry();
  return { registry, instance: bindMetricsRuntime(instance, new MetricsRuntime({ registry })) };
}

const count = `${TIMED_METRIC}_count`;
const sum = `${TIMED_METRIC}_sum`;

describe('@Timed()', () => {
  it('records a sync call into method_timed_seconds{class,method,exception="none"} and stays sync', async () => {
    const { registry, instance } = setUp(new Checkout());
    const result = instance.total([1, 2, 3]);
    expect(result).toBe(6);
    expect(result).not.toBeInstanceOf(Promise);
    instance.total([4]);
    expect(await valueOf(registry, count, { class: 'Checkout', method: 'total', exception: 'none' })).toBe(2);
    const family = await familyOf(registry, TIMED_METRIC);
    expect(family?.type).toBe('histogram');
  });

  it('records a sync failure with the error class and rethrows the same error', async () => {
    const { registry, instance } = setUp(new Checkout());
    let caught: unknown;
    try {
      instance.validate(42);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TypeError);
    expect((caught as Error).message).toBe('not a string');
    expect(await valueOf(registry, count, { method: 'validate', exception: 'TypeError' })).toBe(1);
    expect(await valueOf(registry, count, { method: 'validate', exception: 'none' })).toBe(0);
  });

  it('measures a Promise when it settles and hands the caller the same value', async () => {
    const { registry, instance } = setUp(new Checkout());
    const pending = instance.pay(40, false);
    expect(pending).toBeInstanceOf(Promise);
    // Not recorded before the Promise settles.
    expect(await valueOf(registry, count, { method: 'pay', exception: 'none' })).toBe(0);
    await expect(pending).resolves.toBe('paid');
    expect(await valueOf(registry, count, { method: 'pay', exception: 'none' })).toBe(1);
    const seconds = await valueOf(registry, sum, { method: 'pay', exception: 'none' });
    expect(seconds).toBeGreaterThanOrEqual(0.035);
    expect(seconds).toBeLessThan(5);
  });

  it('measures a rejection with the error class and passes the very same rejection on', async () => {
    const { registry, instance } = setUp(new Checkout());
    let rejection: unknown;
    await instance.pay(20, true).catch((error: unknown) => {
      rejection = error;
    });
    expect(rejection).toBeInstanceOf(OrderRejectedError);
    expect((rejection as Error).message).toBe('card declined');
    expect(await valueOf(registry, count, { method: 'pay', exception: 'OrderRejectedError' })).toBe(1);
    expect(await valueOf(registry, sum, { method: 'pay', exception: 'OrderRejectedError' })).toBeGreaterThanOrEqual(0.015);
  });

  it('never records a negative duration', async () => {
    const { registry, instance } = setUp(new Checkout());
    for (let i = 0; i < 200; i++) instance.total([i]);
    const observed = await valueOf(registry, sum, { method: 'total', exception: 'none' });
    expect(observed).toBeGreaterThanOrEqual(0);
    expect(await valueOf(registry, count, { method: 'total', exception: 'none' })).toBe(200);
    // 200 additions cannot take a second, even on a loaded machine.
    expect(observed).toBeLessThan(1);
  });

  it('uses the buckets given', async () => {
    const { registry, instance } = setUp(new Bucketed());
    instance.run();
    const buckets = await samplesOf(registry, 'bucketed_seconds_bucket', { method: 'run' });
    expect(buckets.map((s) => s.labels.le)).toEqual(['0.001', '0.01', '0.1', '+Inf']);
    expect(buckets[3].value).toBe(1);
  });

  it('makes a Summary with percentiles', async () => {
    const { registry, instance } = setUp(new Quantiles());
    instance.run();
    const family = await familyOf(registry, 'quantile_seconds');
    expect(family?.type).toBe('summary');
    const quantiles = await samplesOf(registry, 'quantile_seconds', { method: 'run', exception: 'none' });
    expect(quantiles.map((s) => s.labels.quantile).sort()).toEqual(['0.5', '0.9']);
    expect(await valueOf(registry, 'quantile_seconds_count', { method: 'run' })).toBe(1);
  });

  it('rejects buckets together with percentiles, and bad buckets or percentiles, at definition time', () => {
    expect(() => Timed({ buckets: [1], percentiles: [0.5] })).toThrow(InvalidOptionsError);
    expect(() => Timed({ buckets: [1], percentiles: [0.5] })).toThrow(/either buckets .* or percentiles/);
    expect(() => Timed({ buckets: [] })).toThrow(InvalidBucketsError);
    expect(() => Timed({ buckets: [0.5, 0.1] })).toThrow(/strictly increasing/);
    // The histogram's own rules, at definition time too (not at the first registration).
    expect(() => Timed({ buckets: [Infinity] })).toThrow(InvalidBucketsError);
    expect(() => Timed({ buckets: [1, Infinity, Infinity] })).toThrow(InvalidBucketsError);
    expect(() => Timed({ percentiles: [1.5] })).toThrow(/outside \[0, 1\]/);
    // The summary's own checks: a repeated quantile fails here, not at the first call.
    expect(() => Timed({ percentiles: [0.5, 0.9, 0.5] })).toThrow(/percentile 0.5 is given twice/);
    expect(() => Timed({ percentiles: [] })).toThrow(InvalidOptionsError);
  });

  it('uses the runtime default buckets when the method sets none', async () => {
    class DefaultBuckets {
      @Timed({ name: 'default_bucketed_seconds' })
      run(): void {}
    }
    const registry = new Registry();
    const instance = bindMetricsRuntime(new DefaultBuckets(), new MetricsRuntime({ registry, defaultBuckets: [0.5, 1] }));
    instance.run();
    const buckets = await samplesOf(registry, 'default_bucketed_seconds_bucket', { method: 'run' });
    expect(buckets.map((s) => s.labels.le)).toEqual(['0.5', '1.0', '+Inf']);
  });

  it('builds the histogram from the buckets it checked, whatever the caller does with its arrays before the first call', async () => {
    const own = [0.1, 1];
    const defaults = [0.5, 2];
    class Arrays {
      @Timed({ name: 'own_bucketed_seconds', buckets: own })
      run(): void {}

      @Timed({ name: 'runtime_bucketed_seconds' })
      walk(): void {}
    }
    const registry = new Registry();
    const runtime = new MetricsRuntime({ registry, defaultBuckets: defaults });
    own.unshift(5);
    defaults.length = 0;
    const instance = bindMetricsRuntime(new Arrays(), runtime);
    instance.run();
    instance.walk();
    expect((await samplesOf(registry, 'own_bucketed_seconds_bucket', { method: 'run' })).map((s) => s.labels.le)).toEqual(['0.1', '1.0', '+Inf']);
    expect((await samplesOf(registry, 'runtime_bucketed_seconds_bucket', { method: 'walk' })).map((s) => s.labels.le)).toEqual(['0.5', '2.0', '+Inf']);
    expect(() => new MetricsRuntime({ registry, defaultBuckets: [1, 0.5] })).toThrow(InvalidBucketsError);
  });
});
