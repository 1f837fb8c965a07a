/**
 * Class-level decorators, `@Unmeasured()`, scrape-time gauges and long-task timers used as
 * a user's program would, compiled with standard and with legacy decorators (see
 * ../standard-features.test.ts); prints what it observed as JSON. Nothing here decides what
 * is right.
 */
import { defaultRegistry, Registry } from '../../../src/registry/index.js';
import { observe } from './observed.js';
import { bindMetricsRuntime, Counted, declaredObjectives, Gauged, learnClassNames, MetricsRuntime, Timed, Unmeasured } from '../../../src/decorators/index.js';

@Timed()
class Inventory {
  private items = 0;

  add(n: number): number {
    this.items += n;
    return this.items;
  }

  async load(): Promise<number> {
    await Promise.resolve();
    return this.items;
  }

  @Counted({ name: 'inventory_audits_total' })
  @Unmeasured('Timed')
  audit(): number {
    return this.items;
  }

  @Timed({ name: 'inventory_report_seconds' })
  report(): string {
    return `${this.items}`;
  }
}

class Pool {
  constructor(readonly size: number) {}

  @Gauged({ mode: 'scrape', name: 'pool_connections', help: 'Open connections.' })
  connections(): number {
    return this.size;
  }

  @Timed({ longTask: true, name: 'pool_drain_tasks' })
  async drain(job: Promise<void>): Promise<void> {
    await job;
  }
}

class Payments {
  @Counted({ name: 'payments_total', objective: { target: 0.999 } })
  charge(): void {}
}


const registry = new Registry();
const inventory = bindMetricsRuntime(new Inventory(), new MetricsRuntime({ registry }));
inventory.add(2);
inventory.add(3);
await inventory.load();
inventory.audit();
inventory.report();

const classLevel = await observe(registry);

// Scrape-time gauges and long tasks.
const pools = new Registry();
const poolRuntime = new MetricsRuntime({ registry: pools });
const kept = bindMetricsRuntime(new Pool(3), poolRuntime);
let release!: () => void;
const draining = kept.drain(new Promise<void>((resolve) => (release = resolve)));
(function dropped(): void {
  bindMetricsRuntime(new Pool(100), poolRuntime);
})();
const beforeGc = await observe(pools);
const gc = (globalThis as { gc?: () => void }).gc;
for (let i = 0; i < 3; i++) {
  // A WeakRef keeps its target through the job that created or read it: let the turn end.
  await new Promise((resolve) => setImmediate(resolve));
  gc?.();
}
const afterGc = await observe(pools);
release();
await draining;
const drained = await observe(pools);
// Never bound, never called: standard decorators see its construction, legacy ones do not.
const unbound = new Pool(11);
const unboundInDefault = (await observe(defaultRegistry)).filter((s) => s.name === 'pool_connections');

// What `promkit rules` does: no instance, the class learnt from the module's exports.
const objectiveClassBefore = declaredObjectives().find((o) => o.metric === 'payments')?.className ?? null;
learnClassNames(Payments);
const objectiveClassAfter = declaredObjectives().find((o) => o.metric === 'payments')?.className ?? null;

process.stdout.write(JSON.stringify({ objectiveClassBefore, objectiveClassAfter, classLevel, beforeGc, afterGc, drained, unboundInDefault, gcExposed: gc !== undefined, unboundSize: unbound.size }));
