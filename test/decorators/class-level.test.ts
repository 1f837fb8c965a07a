import { describe, expect, it } from '@jest/globals';
import { Registry } from '../../src/registry/index.js';
import {
  bindMetricsRuntime,
  Counted,
  ExceptionCounted,
  Gauged,
  InvalidDecoratorTargetError,
  MetricsRuntime,
  Timed,
  Unmeasured,
} from '../../src/decorators/index.js';
import { samplesOf, valueOf } from './series.js';

class QuotaError extends Error {}

@Timed()
@Counted({ name: 'billing_calls_total' })
class Billing {
  static rate = 2;
  private cents = 0;

  charge(amount: number): number {
    if (amount < 0) throw new QuotaError('negative');
    this.cents += amount * Billing.rate;
    return this.cents;
  }

  async refund(amount: number): Promise<number> {
    await Promise.resolve();
    this.cents -= amount;
    return this.cents;
  }

  @Timed({ name: 'billing_report_seconds', buckets: [0.1, 1] })
  report(): string {
    return `${this.cents}`;
  }

  @Unmeasured()
  toString(): string {
    return 'Billing';
  }

  @Unmeasured('Counted')
  audit(): number {
    return this.cents;
  }

  get balance(): number {
    return this.cents;
  }

  *entries(): Generator<number> {
    yield this.cents;
  }

  static create(): Billing {
    return new Billing();
  }
}

function bound<T extends object>(instance: T): { registry: Registry; instance: T } {
  const registry = new Registry();
  return { registry, instance: bindMetricsRuntime(instance, new MetricsRuntime({ registry })) };
}

const count = 'method_timed_seconds_count';

describe('a decorator on a class', () => {
  it('instruments every own method, sync and async, with the class and method labels', async () => {
    const { registry, instance } = bound(new Billing());
    expect(instance.charge(3)).toBe(6);
    expect(() => instance.charge(-1)).toThrow(QuotaError);
    expect(await instance.refund(1)).toBe(5);
    expect(await valueOf(registry, count, { class: 'Billing', method: 'charge', exception: 'none' })).toBe(1);
    expect(await valueOf(registry, count, { class: 'Billing', method: 'charge', exception: 'QuotaError' })).toBe(1);
    expect(await valueOf(registry, count, { class: 'Billing', method: 'refund', exception: 'none' })).toBe(1);
    expect(await valueOf(registry, 'billing_calls_total', { method: 'charge', result: 'failure', exception: 'QuotaError' })).toBe(1);
    expect(await valueOf(registry, 'billing_calls_total', { method: 'refund', result: 'success' })).toBe(1);
  });

  it('lets a method’s own decorator of the same kind win, and still applies the other kinds', async () => {
    const { registry, instance } = bound(new Billing());
    instance.report();
    expect(await valueOf(registry, 'billing_report_seconds_count', { class: 'Billing', method: 'report' })).toBe(1);
    expect(await samplesOf(registry, count, { method: 'report' })).toEqual([]);
    expect(await valueOf(registry, 'billing_calls_total', { method: 'report', result: 'success' })).toBe(1);
  });

  it('leaves out what opted out (all kinds, or the kinds named), accessors, generators, static methods and the constructor', async () => {
    const { registry, instance } = bound(new Billing());
    expect(`${instance}`).toBe('Billing');
    instance.audit();
    expect(instance.balance).toBe(0);
    expect([...instance.entries()]).toEqual([0]);
    Billing.create();
    const timedMethods = new Set((await samplesOf(registry, count)).map((s) => s.labels.method));
    expect([...timedMethods].sort()).toEqual(['audit', 'charge', 'refund']);
    const countedMethods = new Set((await samplesOf(registry, 'billing_calls_total')).map((s) => s.labels.method));
    expect([...countedMethods].sort()).toEqual(['charge', 'refund', 'report']);
    expect(await valueOf(registry, count, { method: 'audit', exception: 'none' })).toBe(1);
  });

  it('creates the series of every instrumented method at zero when an instance is bound', async () => {
    const { registry } = bound(new Billing());
    expect(await valueOf(registry, count, { method: 'refund', exception: 'none' })).toBe(0);
  });

  it('instruments only the class it is on: a subclass’s own methods stay plain, inherited ones keep the base’s label', async () => {
    class Premium extends Billing {
      bonus(): number {
        return 1;
      }
    }
    const { registry, instance } = bound(new Premium());
    instance.bonus();
    instance.charge(1);
    expect(await samplesOf(registry, count, { method: 'bonus' })).toEqual([]);
    expect(await valueOf(registry, count, { class: 'Billing', method: 'charge', exception: 'none' })).toBe(1);
  });

  it('works for @Gauged() and @ExceptionCounted()', async () => {
    @Gauged({ mode: 'lastSuccess', name: 'jobs_last_success_seconds' })
    @ExceptionCounted({ name: 'jobs_failures_total' })
    class Jobs {
      run(fail: boolean): void {
        if (fail) throw new RangeError('bad');
      }
    }
    const { registry, instance } = bound(new Jobs());
    instance.run(false);
    expect(() => instance.run(true)).toThrow(RangeError);
    expect(await valueOf(registry, 'jobs_last_success_seconds', { class: 'Jobs', method: 'run' })).toBeGreaterThan(1e9);
    expect(await valueOf(registry, 'jobs_failures_total', { class: 'Jobs', method: 'run', exception: 'RangeError' })).toBe(1);
  });

  it('refuses @Gauged({ mode: "value" }) on a class: it shows one method’s result', () => {
    expect(() => {
      @Gauged({ mode: 'value', name: 'class_values' })
      class Values {
        one(): number {
          return 1;
        }
      }
      return Values;
    }).toThrow(InvalidDecoratorTargetError);
  });
});
