import { describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { Registry } from '../../src/registry/index.js';
import { InvalidMetricNameError } from '../../src/model/index.js';
import { bindMetricsRuntime, Counted, MetricsRuntime } from '../../src/decorators/index.js';
import { familyOf, samplesOf, valueOf } from './series.js';

class PaymentClient {
  @Counted()
  async charge(amount: number): Promise<number> {
    await sleep(1);
    if (amount <= 0) throw new RangeError('amount must be positive');
    return amount;
  }

  @Counted()
  refund(amount: number): number {
    if (amount > 100) throw 'too much';
    return amount;
  }
}

class Auditor {
  @Counted({ name: 'audit_failures_total', recordFailuresOnly: true })
  check(ok: boolean): boolean {
    if (!ok) throw new Error('audit failed');
    return ok;
  }
}

function bound<T extends object>(instance: T): { registry: Registry; instance: T } {
  const registry = new Registry();
  return { registry, instance: bindMetricsRuntime(instance, new MetricsRuntime({ registry })) };
}

describe('@Counted()', () => {
  it('counts successes and failures in method_counted_total{class,method,result,exception}', async () => {
    const { registry, instance } = bound(new PaymentClient());
    await instance.charge(10);
    await instance.charge(20);
    await expect(instance.charge(-1)).rejects.toThrow(RangeError);
    expect(instance.refund(5)).toBe(5);
    expect(() => instance.refund(500)).toThrow('too much');
    const total = 'method_counted_total';
    expect((await familyOf(registry, 'method_counted'))?.type).toBe('counter');
    expect(await valueOf(registry, total, { class: 'PaymentClient', method: 'charge', result: 'success', exception: 'none' })).toBe(2);
    expect(await valueOf(registry, total, { class: 'PaymentClient', method: 'charge', result: 'failure', exception: 'RangeError' })).toBe(1);
    expect(await valueOf(registry, total, { method: 'refund', result: 'success' })).toBe(1);
    // A thrown string is labelled by its typeof.
    expect(await valueOf(registry, total, { method: 'refund', result: 'failure', exception: 'string' })).toBe(1);
  });

  it('counts a Promise only once it settled', async () => {
    const { registry, instance } = bound(new PaymentClient());
    const pending = instance.charge(3);
    expect(await valueOf(registry, 'method_counted_total', { method: 'charge', result: 'success' })).toBe(0);
    await pending;
    expect(await valueOf(registry, 'method_counted_total', { method: 'charge', result: 'success' })).toBe(1);
  });

  it('with recordFailuresOnly counts failures only', async () => {
    const { registry, instance } = bound(new Auditor());
    instance.check(true);
    instance.check(true);
    expect(() => instance.check(false)).toThrow('audit failed');
    expect(await samplesOf(registry, 'audit_failures_total', { result: 'success' })).toEqual([]);
    expect(await valueOf(registry, 'audit_failures_total', { method: 'check', result: 'failure', exception: 'Error' })).toBe(1);
  });

  it('names its counter by the model\'s one rule: `_total` is dropped, and a name of `_total` alone is refused', () => {
    expect(() => {
      class Bare {
        @Counted({ name: '_total' })
        run(): void {}
      }
      return Bare;
    }).toThrow(InvalidMetricNameError);
    expect(() => {
      class Spaced {
        @Counted({ name: 'jobs total' })
        run(): void {}
      }
      return Spaced;
    }).toThrow(InvalidMetricNameError);
  });
});
