import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Gauge } from '../../src/metrics/index.js';
import { Registry, type Registrable } from '../../src/registry/index.js';
import { bindMetricsRuntime, Counted, DECORATOR_ERRORS_METRIC, MetricsRuntime, Timed } from '../../src/decorators/index.js';
import { valueOf } from './series.js';

/** A registry that has no room left: it refuses every new metric. */
class FullRegistry extends Registry {
  override register<T extends Registrable>(collector: T): T {
    if ((collector as { name?: string }).name === `${DECORATOR_ERRORS_METRIC}`) return super.register(collector);
    throw new Error('registry is full');
  }
}

class Inventory {
  @Counted({ name: 'inventory_calls_total' })
  reserve(sku: string): string {
    return `reserved ${sku}`;
  }

  @Timed({ name: 'inventory_lookup_seconds', labelNames: ['warehouse'], labelsFrom: ([warehouse]) => lookupWarehouse(warehouse) as { warehouse: string } })
  async lookup(warehouse: unknown): Promise<number> {
    await Promise.resolve();
    return 3;
  }
}

function lookupWarehouse(warehouse: unknown): Record<string, string | number> {
  if (warehouse === 'explode') throw new Error('labelsFrom exploded');
  if (warehouse === 'object') return { warehouse: { nested: true } as unknown as string };
  return { warehouse: String(warehouse) };
}

const errors = `${DECORATOR_ERRORS_METRIC}_total`;

describe('a failure inside the metrics library', () => {
  let warnings: string[];
  let spy: ReturnType<typeof jest.spyOn>;

  beforeEach(() => {
    warnings = [];
    spy = jest.spyOn(process, 'emitWarning').mockImplementation(((warning: string | Error) => {
      warnings.push(String(warning));
    }) as typeof process.emitWarning);
  });
  afterEach(() => spy.mockRestore());

  it('does not break the method when the registry refuses the metric; warns once and counts it', async () => {
    const registry = new FullRegistry();
    const inventory = bindMetricsRuntime(new Inventory(), new MetricsRuntime({ registry }));
    for (let i = 0; i < 5; i++) expect(inventory.reserve(`sku${i}`)).toBe(`reserved sku${i}`);
    await expect(inventory.lookup('north')).resolves.toBe(3);
    const about = warnings.filter((w) => w.includes('"inventory_calls"'));
    expect(about).toHaveLength(1);
    expect(about[0]).toContain('registry is full');
    expect(about[0]).toContain('(register)');
    expect(await valueOf(registry, errors, { metric: 'inventory_calls', reason: 'register' })).toBe(1);
    expect(await valueOf(registry, errors, { metric: 'inventory_lookup_seconds', reason: 'register' })).toBe(1);
  });

  it('does not break the method when a metric of another type holds the name', async () => {
    const registry = new Registry();
    new Gauge({ name: 'inventory_calls', help: 'Something else.', registry });
    const inventory = bindMetricsRuntime(new Inventory(), new MetricsRuntime({ registry }));
    expect(inventory.reserve('a')).toBe('reserved a');
    expect(warnings.some((w) => w.includes('"inventory_calls"') && w.includes('(register)'))).toBe(true);
    expect(await valueOf(registry, errors, { metric: 'inventory_calls', reason: 'register' })).toBe(1);
  });

  it('records the call with an empty label when labelsFrom throws or returns a bad value; warns once, counts each', async () => {
    const registry = new Registry();
    const inventory = bindMetricsRuntime(new Inventory(), new MetricsRuntime({ registry }));
    await expect(inventory.lookup('explode')).resolves.toBe(3);
    await expect(inventory.lookup('explode')).resolves.toBe(3);
    await expect(inventory.lookup('object')).resolves.toBe(3);
    await expect(inventory.lookup('south')).resolves.toBe(3);
    expect(await valueOf(registry, 'inventory_lookup_seconds_count', { warehouse: '' })).toBe(3);
    expect(await valueOf(registry, 'inventory_lookup_seconds_count', { warehouse: 'south', exception: 'none' })).toBe(1);
    expect(await valueOf(registry, errors, { metric: 'inventory_lookup_seconds', reason: 'labels_from' })).toBe(3);
    const about = warnings.filter((w) => w.includes('inventory_lookup_seconds'));
    expect(about).toHaveLength(1);
    expect(about[0]).toContain('labelsFrom exploded');
  });
});
