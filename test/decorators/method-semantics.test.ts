import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { Registry, defaultRegistry } from '../../src/registry/index.js';
import { bindMetricsRuntime, Counted, MetricsRuntime, Timed } from '../../src/decorators/index.js';
import { samplesOf, valueOf } from './series.js';

const count = 'method_timed_seconds_count';

class Account {
  balance = 100;

  @Timed()
  withdraw(amount: number): number {
    this.balance -= amount;
    return this.balance;
  }

  @Timed()
  async deposit(amount: number): Promise<number> {
    await Promise.resolve();
    this.balance += amount;
    return this.balance;
  }

  @Timed()
  static open(owner: string): string {
    return `${this.name}:${owner}`;
  }

  @Timed()
  describe(): string {
    return 'account';
  }

  @Timed()
  fee(): number {
    return 1;
  }
}

class SavingsAccount extends Account {
  // Decorated override that calls super: each level records under its own class.
  @Timed()
  override describe(): string {
    return `savings ${super.describe()}`;
  }

  // Undecorated override: not instrumented, even though the parent's method is.
  override fee(): number {
    return 0;
  }
}

function bound<T extends object>(instance: T): { registry: Registry; instance: T } {
  const registry = new Registry();
  return { registry, instance: bindMetricsRuntime(instance, new MetricsRuntime({ registry })) };
}

describe('decorated methods (experimentalDecorators)', () => {
  it('preserve `this`, sync and async', async () => {
    const { instance } = bound(new Account());
    expect(instance.withdraw(30)).toBe(70);
    expect(await instance.deposit(5)).toBe(75);
    expect(instance.balance).toBe(75);
  });

  it('label a static method with its class and keep `this` = the class', async () => {
    expect(Account.open('ada')).toBe('Account:ada');
    expect(await valueOf(defaultRegistry, count, { class: 'Account', method: 'open', exception: 'none' })).toBe(1);
  });

  it('label an inherited method with the declaring class, not the instance class', async () => {
    const { registry, instance } = bound(new SavingsAccount());
    instance.withdraw(1);
    expect(await valueOf(registry, count, { class: 'Account', method: 'withdraw' })).toBe(1);
    expect(await samplesOf(registry, count, { class: 'SavingsAccount', method: 'withdraw' })).toEqual([]);
  });

  it('record a decorated override and the decorated super method each under its own class', async () => {
    const { registry, instance } = bound(new SavingsAccount());
    expect(instance.describe()).toBe('savings account');
    expect(await valueOf(registry, count, { class: 'SavingsAccount', method: 'describe' })).toBe(1);
    expect(await valueOf(registry, count, { class: 'Account', method: 'describe' })).toBe(1);
  });

  it('leave an undecorated override uninstrumented', async () => {
    const { registry, instance } = bound(new SavingsAccount());
    expect(instance.fee()).toBe(0);
    expect(await valueOf(registry, count, { method: 'fee' })).toBe(0); // the parent's series, at zero
    expect(await samplesOf(registry, count, { class: 'SavingsAccount', method: 'fee' })).toEqual([]);
  });

  it('keep the name and length of the method', () => {
    expect(Account.prototype.withdraw.name).toBe('withdraw');
    expect(Account.prototype.withdraw.length).toBe(1);
    expect(Account.open.name).toBe('open');
    expect(Account.open.length).toBe(1);
    expect(Account.prototype.describe.length).toBe(0);
  });

  it('record into the default registry for instances made with new outside any container', async () => {
    const before = (await valueOf(defaultRegistry, count, { class: 'Account', method: 'fee', exception: 'none' })) ?? 0;
    new Account().fee();
    expect(await valueOf(defaultRegistry, count, { class: 'Account', method: 'fee', exception: 'none' })).toBe(before + 1);
  });

  it('take the class label from className when given (minified builds)', async () => {
    class a {
      @Counted({ name: 'minified_calls_total', className: 'InvoiceService' })
      b(): number {
        return 1;
      }
    }
    const { registry, instance } = bound(new a());
    instance.b();
    expect(await valueOf(registry, 'minified_calls_total', { class: 'InvoiceService', method: 'b', result: 'success' })).toBe(1);
  });

  it('stack: two decorators on one method both record, the outer one sees the inner one', async () => {
    class Stacked {
      @Timed({ name: 'stacked_seconds' })
      @Counted({ name: 'stacked_total' })
      run(x: number): number {
        return x + 1;
      }
    }
    const { registry, instance } = bound(new Stacked());
    expect(instance.run(1)).toBe(2);
    expect(Stacked.prototype.run.name).toBe('run');
    expect(Stacked.prototype.run.length).toBe(1);
    expect(await valueOf(registry, 'stacked_seconds_count', { class: 'Stacked', method: 'run' })).toBe(1);
    expect(await valueOf(registry, 'stacked_total', { class: 'Stacked', method: 'run', result: 'success' })).toBe(1);
  });
});

describe('reflect-metadata stored on the method by other decorators', () => {
  const ROLE = Symbol('role');
  /** A decorator storing metadata on the method function itself (like NestJS's SetMetadata). */
  function Role(role: string): MethodDecorator {
    return (_target, _key, descriptor) => {
      Reflect.defineMetadata(ROLE, role, descriptor.value as object);
    };
  }

  class Admin {
    // Role runs first (decorators apply bottom-up), then Timed wraps: the metadata must be copied.
    @Timed({ name: 'admin_seconds' })
    @Role('admin')
    purge(): string {
      return 'purged';
    }

    // Timed runs first, then Role stores on the wrapper.
    @Role('auditor')
    @Timed({ name: 'admin_seconds' })
    audit(): string {
      return 'audited';
    }
  }

  it('is kept whatever the decorator order', () => {
    expect(Reflect.getMetadata(ROLE, Admin.prototype.purge)).toBe('admin');
    expect(Reflect.getMetadata(ROLE, Admin.prototype.audit)).toBe('auditor');
    expect(new Admin().purge()).toBe('purged');
  });

  it('keeps emitDecoratorMetadata design types, stored on the prototype', () => {
    expect(Reflect.getMetadata('design:returntype', Admin.prototype, 'purge')).toBe(String);
    expect(Reflect.getMetadata('design:paramtypes', Account.prototype, 'withdraw')).toEqual([Number]);
  });
});
