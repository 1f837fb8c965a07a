import { describe, expect, it } from '@jest/globals';
import { Registry, type Registrable } from '../../src/registry/index.js';
import {
  bindMetricsRuntime,
  Counted,
  defaultMetricsRuntime,
  ExceptionCounted,
  Gauged,
  metricsRuntimeOf,
  MetricsRuntime,
  Timed,
} from '../../src/decorators/index.js';
import { InvalidLabelNameError, InvalidMetricNameError, InvalidOptionsError, ReservedLabelNameError } from '../../src/model/index.js';
import { samplesOf, valueOf } from './series.js';

class CountingRegistry extends Registry {
  registrations = 0;
  override register<T extends Registrable>(collector: T): T {
    this.registrations++;
    return super.register(collector);
  }
}

class Catalog {
  @Timed()
  find(id: string): string {
    return id;
  }

  @Counted()
  async list(): Promise<string[]> {
    await Promise.resolve();
    return [];
  }

  @Gauged()
  async refresh(): Promise<void> {
    await Promise.resolve();
  }

  @ExceptionCounted()
  remove(): void {}
}

class SpecialCatalog extends Catalog {
  @Timed()
  feature(): void {}
}

describe('MetricsRuntime', () => {
  it('creates the series of every decorated method, inherited ones too, at zero when an instance is bound', async () => {
    const registry = new Registry();
    bindMetricsRuntime(new SpecialCatalog(), new MetricsRuntime({ registry }));
    expect(await valueOf(registry, 'method_timed_seconds_count', { class: 'Catalog', method: 'find', exception: 'none' })).toBe(0);
    expect(await valueOf(registry, 'method_timed_seconds_count', { class: 'SpecialCatalog', method: 'feature', exception: 'none' })).toBe(0);
    const buckets = await samplesOf(registry, 'method_timed_seconds_bucket', { method: 'find' });
    expect(buckets.length).toBeGreaterThan(1);
    expect(buckets.every((b) => b.value === 0)).toBe(true);
    expect(await valueOf(registry, 'method_counted_total', { class: 'Catalog', method: 'list', result: 'success', exception: 'none' })).toBe(0);
    expect(await valueOf(registry, 'method_in_progress', { class: 'Catalog', method: 'refresh' })).toBe(0);
    // Exception names are unknown before a failure: nothing to create.
    expect(await samplesOf(registry, 'method_exceptions_total')).toEqual([]);
  });

  it('registers each metric once per registry, not per call or per instance', async () => {
    const registry = new CountingRegistry();
    const runtime = new MetricsRuntime({ registry });
    const a = bindMetricsRuntime(new Catalog(), runtime);
    const b = bindMetricsRuntime(new Catalog(), runtime);
    const afterBinding = registry.registrations;
    expect(afterBinding).toBe(4); // four decorated methods
    for (let i = 0; i < 100; i++) {
      a.find('x');
      b.find('y');
    }
    await a.list();
    expect(registry.registrations).toBe(afterBinding);
    expect(await valueOf(registry, 'method_timed_seconds_count', { method: 'find' })).toBe(200);
  });

  it('applies the prefix and constant labels when registering', async () => {
    const registry = new Registry();
    const catalog = bindMetricsRuntime(new Catalog(), new MetricsRuntime({ registry, prefix: 'shop_', constantLabels: { region: 'eu', method: 'ignored' } }));
    catalog.find('1');
    expect(await valueOf(registry, 'shop_method_timed_seconds_count', { class: 'Catalog', method: 'find', region: 'eu' })).toBe(1);
    expect(await samplesOf(registry, 'method_timed_seconds_count')).toEqual([]);
  });

  it('keeps two runtimes apart and lets a rebinding move an instance', async () => {
    const first = new Registry();
    const second = new Registry();
    const runtimeA = new MetricsRuntime({ registry: first });
    const runtimeB = new MetricsRuntime({ registry: second });
    const catalog = bindMetricsRuntime(new Catalog(), runtimeA);
    expect(metricsRuntimeOf(catalog)).toBe(runtimeA);
    catalog.find('a');
    bindMetricsRuntime(catalog, runtimeB);
    catalog.find('b');
    catalog.find('c');
    expect(await valueOf(first, 'method_timed_seconds_count', { method: 'find' })).toBe(1);
    expect(await valueOf(second, 'method_timed_seconds_count', { method: 'find' })).toBe(2);
  });

  it('does not show the runtime property to enumeration or JSON', () => {
    const catalog = bindMetricsRuntime(new Catalog(), new MetricsRuntime({ registry: new Registry() }));
    expect(Object.keys(catalog)).toEqual([]);
    expect(JSON.stringify(catalog)).toBe('{}');
  });

  it('falls back to the default runtime for unbound and frozen instances', () => {
    expect(metricsRuntimeOf(new Catalog())).toBe(defaultMetricsRuntime());
    expect(metricsRuntimeOf(undefined)).toBe(defaultMetricsRuntime());
    const frozen = Object.freeze(new Catalog());
    const original = process.emitWarning;
    const warnings: string[] = [];
    process.emitWarning = ((w: string) => void warnings.push(w)) as typeof process.emitWarning;
    try {
      bindMetricsRuntime(frozen, new MetricsRuntime({ registry: new Registry() }));
    } finally {
      process.emitWarning = original;
    }
    expect(metricsRuntimeOf(frozen)).toBe(defaultMetricsRuntime());
    expect(warnings.join('\n')).toContain('cannot bind metrics to a Catalog instance');
  });

  it('rejects a prefix that makes names invalid and bad constant labels', () => {
    expect(() => new MetricsRuntime({ prefix: '1x' })).toThrow(InvalidMetricNameError);
    // The registry's rules for labels on every metric: one validator, one set of errors.
    expect(() => new MetricsRuntime({ constantLabels: { 'bad-label': 'x' } })).toThrow(InvalidLabelNameError);
    expect(() => new MetricsRuntime({ constantLabels: { __meta: 'x' } })).toThrow(ReservedLabelNameError);
    // @Timed records histograms and summaries: `le` or `quantile` on every series would corrupt them.
    expect(() => new MetricsRuntime({ constantLabels: { le: 'x' } })).toThrow(ReservedLabelNameError);
    expect(() => new MetricsRuntime({ constantLabels: { quantile: 'x' } })).toThrow(/reserved for histogram buckets and summary quantiles/);
    expect(() => new MetricsRuntime({ constantLabels: { region: 1 as unknown as string } })).toThrow(InvalidOptionsError);
  });
});
