/**
 * The decorators exercised as a user's program would: compiled with standard decorators
 * (this folder's tsconfig) and with legacy ones (--experimentalDecorators), run by node,
 * and reporting what it observed as JSON on stdout. The assertions live in
 * ../standard-decorators.test.ts; nothing here decides what is right.
 */
import 'reflect-metadata';
import { Registry, defaultRegistry } from '../../../src/registry/index.js';
import { Container } from 'inversify';
import { observe } from './observed.js';
import { bindMetricsRuntime, Counted, ExceptionCounted, Gauged, MetricsRuntime, Timed } from '../../../src/decorators/index.js';
import { METRICS_REGISTRY, MetricsModule, MetricsPlugin } from '../../../src/di/index.js';

const ROLE = Symbol('role');

/** Stores metadata on the method function itself, in either decorator mode. */
function Role(role: string) {
  return (value: unknown, context: unknown, descriptor?: PropertyDescriptor): void => {
    const fn = typeof context === 'object' && context !== null && 'kind' in context ? value : descriptor?.value;
    Reflect.defineMetadata(ROLE, role, fn as object);
  };
}

class LedgerError extends Error {}

class Ledger {
  entries: number[] = [];

  @Timed()
  add(amount: number, note?: string): number {
    this.entries.push(amount);
    return note === undefined ? this.entries.length : -1;
  }

  @Timed()
  async settle(ms: number, fail: boolean): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    if (fail) throw new LedgerError('settlement refused');
    return `settled ${this.entries.length}`;
  }

  @Counted()
  static open(owner: string): string {
    return `${this.name}/${owner}`;
  }

  @Timed()
  describe(): string {
    return 'ledger';
  }

  @Timed()
  fee(): number {
    return 1;
  }

  @Role('admin')
  @Timed({ name: 'ledger_admin_seconds' })
  roleBelow(): void {}

  @Timed({ name: 'ledger_admin_seconds' })
  @Role('auditor')
  roleAbove(): void {}

  @Gauged()
  async busy(ms: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms));
  }

  @ExceptionCounted({ errors: [TypeError] })
  check(value: unknown): void {
    if (typeof value !== 'number') throw new TypeError('not a number');
    if (value < 0) throw new RangeError('negative');
  }
}

/** Resolved from a container (no constructor parameters, so no inversify decorator needed). */
class Clerk {
  @Counted({ name: 'clerk_calls_total' })
  stamp(): string {
    return 'stamped';
  }
}

class SubLedger extends Ledger {
  @Timed()
  override describe(): string {
    return `sub ${super.describe()}`;
  }

  override fee(): number {
    return 0;
  }
}

/** What the compiler refuses in standard mode too (this file is type-checked as standard; never called). */
export function refusedInStandardMode(): unknown {
  class WrongArguments {
    // @ts-expect-error labelsFrom takes [number], the method takes a string
    @Counted({ name: 'standard_wrong_total', labelNames: ['region'], labelsFrom: ([region]: [number]) => ({ region }) })
    find(region: string): string {
      return region;
    }
  }
  return WrongArguments;
}

function definitionError(define: () => unknown): string | undefined {
  try {
    define();
    return undefined;
  } catch (error) {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
}

const samples = observe;

async function main(): Promise<void> {
  const unhandled: string[] = [];
  process.on('unhandledRejection', (reason) => {
    unhandled.push(reason instanceof Error ? `${reason.constructor.name}: ${reason.message}` : String(reason));
  });

  // Series before the first call: at construction under standard decorators (in the
  // default registry for `new`), and once bound to a runtime in both modes.
  new SubLedger();
  const defaultBeforeCalls = await samples(defaultRegistry);

  const registry = new Registry();
  const runtime = new MetricsRuntime({ registry });
  const ledger = bindMetricsRuntime(new SubLedger(), runtime);
  const boundBeforeCalls = await samples(registry);

  const syncResult = ledger.add(5);
  const syncIsPromise = (syncResult as unknown) instanceof Promise;
  ledger.add(7);
  const pending = ledger.settle(30, false);
  const asyncIsPromise = pending instanceof Promise;
  const asyncResult = await pending;
  let rejection = '';
  await ledger.settle(5, true).catch((error: unknown) => {
    rejection = error instanceof LedgerError ? `LedgerError: ${error.message}` : String(error);
  });
  const described = ledger.describe();
  const fee = ledger.fee();
  const opened = Ledger.open('ada');
  const busy = ledger.busy(30);
  const inProgressDuring = (await samples(registry)).find((s) => s.name === 'method_in_progress')?.value;
  await busy;
  for (const value of ['x', -1, 'y']) {
    try {
      ledger.check(value);
    } catch {
      // counted (or not) by @ExceptionCounted; the test checks which
    }
  }

  // From a container: the container's registry, whatever the decorator mode.
  const container = new Container();
  container.register(MetricsPlugin);
  container.load(new MetricsModule({ registry: new Registry() }));
  container.bind(Clerk).toSelf();
  const clerk = container.get(Clerk);
  clerk.stamp();
  new Clerk().stamp();
  const containerSamples = await samples(container.get(METRICS_REGISTRY));

  // Nobody handles this rejection: it must still be reported as unhandled.
  void ledger.settle(1, true);
  await new Promise((resolve) => setTimeout(resolve, 100));

  const result = {
    syncResult,
    syncIsPromise,
    asyncIsPromise,
    asyncResult,
    rejection,
    described,
    fee,
    opened,
    inProgressDuring,
    entries: ledger.entries,
    unhandled,
    names: [Ledger.prototype.add.name, Ledger.prototype.settle.name, Ledger.open.name],
    lengths: [Ledger.prototype.add.length, Ledger.prototype.settle.length, Ledger.open.length],
    metadata: [Reflect.getMetadata(ROLE, Ledger.prototype.roleBelow), Reflect.getMetadata(ROLE, Ledger.prototype.roleAbove)],
    getterError: definitionError(() => {
      class Shelf {
        // @ts-ignore -- standard decorators already reject this at compile time
        @Timed({ name: 'shelf_seconds' })
        get size(): number {
          return 1;
        }
      }
      return Shelf;
    }),
    generatorError: definitionError(() => {
      class Feed {
        @Timed({ name: 'feed_seconds' })
        *items(): Generator<number> {
          yield 1;
        }
      }
      return Feed;
    }),
    defaultBeforeCalls,
    boundBeforeCalls,
    bound: await samples(registry),
    containerSamples,
    defaultAfter: await samples(defaultRegistry),
  };
  process.stdout.write(JSON.stringify(result));
}

await main();
