/**
 * Class-level decorators, `@Unmeasured()`, scrape-time gauges and long-task timers used as
 * a user's program would, compiled with standard and with legacy decorators (see
 * ../standard-features.test.ts); prints what it observed as JSON. Nothing here decides what
 * is right.
 */
import { Registry } from '../../../src/registry/index.js';
import { bindMetricsRuntime, Counted, MetricsRuntime, Timed, Unmeasured } from '../../../src/decorators/index.js';

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

interface Observed {
  name: string;
  labels: Record<string, string>;
  value: number;
}

async function observe(registry: Registry): Promise<Observed[]> {
  const { families } = await registry.collect();
  return families.flatMap((f) => f.samples.map((s) => ({ name: s.name, labels: { ...s.labels }, value: s.value })));
}

const registry = new Registry();
const inventory = bindMetricsRuntime(new Inventory(), new MetricsRuntime({ registry }));
inventory.add(2);
inventory.add(3);
await inventory.load();
inventory.audit();
inventory.report();

process.stdout.write(JSON.stringify({ classLevel: await observe(registry) }));
