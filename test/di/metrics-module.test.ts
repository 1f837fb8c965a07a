import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { Container, inject, injectable } from 'inversify';
import { Counted, metricsRuntimeOf, Timed } from '../../src/decorators/index.js';
import {
  activateMetrics,
  COLLECTOR_SERVICE,
  CollectorService,
  METRICS_DEFAULT_COLLECTORS,
  METRICS_OPTIONS,
  METRICS_REGISTRY,
  METRICS_RUNTIME,
  METRICS_SERVER,
  MetricsModule,
  MetricsPlugin,
  MetricsServer,
} from '../../src/di/index.js';
import { InvalidLabelNameError, InvalidMetricNameError, InvalidOptionsError, ReservedLabelNameError } from '../../src/model/index.js';
import { defaultRegistry, Registry } from '../../src/registry/index.js';
import { familyOf, samplesOf, valueOf } from '../decorators/series.js';

@injectable()
class PriceRepository {
  @Timed()
  async priceOf(sku: string): Promise<number> {
    await Promise.resolve();
    if (sku === 'missing') throw new RangeError(`no price for ${sku}`);
    return sku.length;
  }
}

@injectable()
class QuoteService {
  constructor(@inject(PriceRepository) private readonly prices: PriceRepository) {}

  @Counted()
  async quote(skus: string[]): Promise<number> {
    let total = 0;
    for (const sku of skus) total += await this.prices.priceOf(sku);
    return total;
  }
}

function containerWith(module: MetricsModule): Container {
  const container = new Container();
  container.register(MetricsPlugin);
  container.load(module);
  container.bind(PriceRepository).toSelf().inSingletonScope();
  container.bind(QuoteService).toSelf();
  return container;
}

const timedCount = 'method_timed_seconds_count';
const counted = 'method_counted_total';

describe('MetricsModule', () => {
  it('binds the registry, the resolved options, the runtime, a CollectorService and a MetricsServer under its tokens', () => {
    const registry = new Registry();
    const container = containerWith(new MetricsModule({ registry, prefix: 'shop_', endpoint: { port: 0 } }));
    expect(container.get(METRICS_REGISTRY)).toBe(registry);
    const options = container.get(METRICS_OPTIONS);
    expect(options.prefix).toBe('shop_');
    expect(options.endpoint).toEqual({ host: '127.0.0.1', port: 0, path: '/metrics' });
    expect(options.ownsRegistry).toBe(false);
    expect(container.get(METRICS_RUNTIME).registry).toBe(registry);
    const service = container.get(COLLECTOR_SERVICE);
    expect(service).toBeInstanceOf(CollectorService);
    expect(service.registry).toBe(registry);
    expect(container.get(COLLECTOR_SERVICE)).toBe(service);
    const server = container.get(METRICS_SERVER);
    expect(server).toBeInstanceOf(MetricsServer);
    expect(server.registry).toBe(registry);
    expect(container.get(METRICS_SERVER)).toBe(server);
  });

  it('creates a new registry per container when none is given', () => {
    const module = new MetricsModule({ defaultCollectors: false });
    const a = containerWith(module);
    const b = containerWith(module);
    expect(a.get(METRICS_REGISTRY)).toBeInstanceOf(Registry);
    expect(a.get(METRICS_REGISTRY)).not.toBe(b.get(METRICS_REGISTRY));
    expect(a.get(METRICS_REGISTRY)).not.toBe(defaultRegistry);
  });

  it('makes instances resolved from a container record into that container’s registry: two containers stay isolated', async () => {
    const first = new Registry();
    const second = new Registry();
    const one = containerWith(new MetricsModule({ registry: first }));
    const two = containerWith(new MetricsModule({ registry: second }));

    await one.get(QuoteService).quote(['a', 'bb']);
    await one.get(QuoteService).quote(['ccc']);
    await two.get(QuoteService).quote(['dddd']);
    await expect(two.get(QuoteService).quote(['missing'])).rejects.toThrow(RangeError);

    expect(await valueOf(first, counted, { class: 'QuoteService', method: 'quote', result: 'success' })).toBe(2);
    expect(await valueOf(first, timedCount, { class: 'PriceRepository', method: 'priceOf', exception: 'none' })).toBe(3);
    expect(await samplesOf(first, counted, { result: 'failure' })).toEqual([]);
    expect(await valueOf(second, counted, { method: 'quote', result: 'success' })).toBe(1);
    expect(await valueOf(second, counted, { method: 'quote', result: 'failure', exception: 'RangeError' })).toBe(1);
    expect(await valueOf(second, timedCount, { method: 'priceOf', exception: 'RangeError' })).toBe(1);
    expect(await samplesOf(defaultRegistry, counted, { class: 'QuoteService' })).toEqual([]);
    expect(await samplesOf(defaultRegistry, timedCount, { class: 'PriceRepository' })).toEqual([]);
  });

  it('leaves instances made with new on the default registry', async () => {
    const container = containerWith(new MetricsModule({ registry: new Registry() }));
    const resolved = container.get(PriceRepository);
    const made = new PriceRepository();
    expect(metricsRuntimeOf(made).registry).toBe(defaultRegistry);
    expect(metricsRuntimeOf(resolved).registry).toBe(container.get(METRICS_REGISTRY));
    await made.priceOf('x');
    // A class containers create: its instance waits for an activation until the event
    // loop's turn ends, then it is one made with new.
    await new Promise((resolve) => setImmediate(resolve));
    expect(await valueOf(defaultRegistry, timedCount, { method: 'priceOf', exception: 'none' })).toBe(1);
    expect(await valueOf(container.get(METRICS_REGISTRY), timedCount, { method: 'priceOf', exception: 'none' })).toBe(0);
  });

  it('creates the series of a resolved instance at zero on activation, before any call', async () => {
    const registry = new Registry();
    const container = containerWith(new MetricsModule({ registry }));
    expect(await samplesOf(registry, counted)).toEqual([]);
    container.get(QuoteService);
    expect(await valueOf(registry, counted, { class: 'QuoteService', method: 'quote', result: 'success', exception: 'none' })).toBe(0);
    expect(await valueOf(registry, timedCount, { class: 'PriceRepository', method: 'priceOf', exception: 'none' })).toBe(0);
  });

  it('resolves what a method needs once: calls keep recording after the container forgot its bindings', async () => {
    const registry = new Registry();
    const container = containerWith(new MetricsModule({ registry }));
    const repository = container.get(PriceRepository);
    await container.unbindAll();
    await repository.priceOf('a');
    await repository.priceOf('b');
    expect(await valueOf(registry, timedCount, { method: 'priceOf', exception: 'none' })).toBe(2);
  });

  it('applies the prefix and default labels when registering (module-created registry)', async () => {
    const container = containerWith(new MetricsModule({ prefix: 'shop_', defaultLabels: { service: 'quotes' }, defaultCollectors: false }));
    await container.get(QuoteService).quote(['a']);
    const registry = container.get(METRICS_REGISTRY);
    expect(await valueOf(registry, 'shop_method_counted_total', { class: 'QuoteService', service: 'quotes', result: 'success' })).toBe(1);
    expect(await valueOf(registry, 'shop_method_timed_seconds_count', { method: 'priceOf', service: 'quotes' })).toBe(1);
    expect(await samplesOf(registry, counted)).toEqual([]);
  });

  it('applies the default labels to its own series on a registry it was given', async () => {
    const registry = new Registry();
    const container = containerWith(new MetricsModule({ registry, defaultLabels: { zone: 'b' } }));
    await container.get(QuoteService).quote(['a']);
    expect(await valueOf(registry, counted, { method: 'quote', zone: 'b', result: 'success' })).toBe(1);
  });

  it('uses the default buckets for @Timed() histograms without their own', async () => {
    const registry = new Registry();
    const container = containerWith(new MetricsModule({ registry, defaultBuckets: [0.1, 1] }));
    await container.get(PriceRepository).priceOf('a');
    const buckets = await samplesOf(registry, 'method_timed_seconds_bucket', { method: 'priceOf', exception: 'none' });
    expect(buckets.map((b) => b.labels.le)).toEqual(['0.1', '1.0', '+Inf']);
  });

  it('loads with the options it checked: the caller changing them after new MetricsModule() changes nothing', async () => {
    const registry = new Registry();
    const options = { registry, defaultBuckets: [0.1, 1], defaultLabels: { zone: 'a' }, prefix: 'shop_' };
    const module = new MetricsModule(options);
    options.defaultBuckets.unshift(5);
    options.defaultLabels.zone = 'changed';
    (options.defaultLabels as Record<string, string>).le = 'x';
    options.prefix = 'bad prefix ';
    expect(Object.isFrozen(module.options)).toBe(true);
    const container = containerWith(module);
    await container.get(PriceRepository).priceOf('a');
    const buckets = await samplesOf(registry, 'shop_method_timed_seconds_bucket', { method: 'priceOf', exception: 'none', zone: 'a' });
    expect(buckets.map((b) => b.labels.le)).toEqual(['0.1', '1.0', '+Inf']);
  });

  it('registers the default collectors in a registry it creates, and stops them when unloaded', async () => {
    const module = new MetricsModule({ prefix: 'app_' });
    const container = containerWith(module);
    const registry = container.get(METRICS_REGISTRY);
    const defaults = container.get(METRICS_DEFAULT_COLLECTORS);
    expect(defaults?.collectors.length).toBeGreaterThan(0);
    expect(await familyOf(registry, 'app_process_cpu_seconds')).toBeDefined();
    await container.unloadAsync(module);
    expect(await familyOf(registry, 'app_process_cpu_seconds')).toBeUndefined();
  });

  it('leaves a registry it was given without default collectors unless asked', async () => {
    const given = new Registry();
    const container = containerWith(new MetricsModule({ registry: given }));
    expect(container.get(METRICS_DEFAULT_COLLECTORS)).toBeUndefined();
    expect(await familyOf(given, 'process_cpu_seconds')).toBeUndefined();
    const equipped = new Registry();
    const other = containerWith(new MetricsModule({ registry: equipped, defaultCollectors: true }));
    expect(await familyOf(equipped, 'process_cpu_seconds')).toBeDefined();
    other.get(METRICS_DEFAULT_COLLECTORS)?.stop();
  });

  it('hooks services bound under a token through `instrument` or `.onActivation(activateMetrics)`', async () => {
    const QUOTES = Symbol('Quotes');
    const PRICES = Symbol('Prices');
    const registry = new Registry();
    const container = new Container();
    container.load(new MetricsModule({ registry, instrument: [QUOTES] }));
    container.bind(PRICES).to(PriceRepository).onActivation(activateMetrics);
    container.bind(PriceRepository).toService(PRICES);
    container.bind<QuoteService>(QUOTES).to(QuoteService);
    await container.get<QuoteService>(QUOTES).quote(['ab']);
    expect(await valueOf(registry, counted, { method: 'quote', result: 'success' })).toBe(1);
    expect(await valueOf(registry, timedCount, { method: 'priceOf', exception: 'none' })).toBe(1);
  });

  it('hooks classes whose decorators run after the module was loaded', async () => {
    const registry = new Registry();
    const container = new Container();
    container.register(MetricsPlugin);
    container.load(new MetricsModule({ registry }));
    @injectable()
    class LateService {
      @Counted({ name: 'late_calls_total' })
      ping(): string {
        return 'pong';
      }
    }
    container.bind(LateService).toSelf();
    expect(container.get(LateService).ping()).toBe('pong');
    expect(await valueOf(registry, 'late_calls_total', { class: 'LateService', result: 'success' })).toBe(1);
  });

  it('in a child container with its own module, instances record into the child’s registry', async () => {
    const parentRegistry = new Registry();
    const childRegistry = new Registry();
    const parent = containerWith(new MetricsModule({ registry: parentRegistry }));
    const child = new Container({ parent });
    child.register(MetricsPlugin);
    child.load(new MetricsModule({ registry: childRegistry }));
    child.bind(PriceRepository).toSelf();
    await child.get(PriceRepository).priceOf('a');
    await parent.get(PriceRepository).priceOf('b');
    expect(await valueOf(childRegistry, timedCount, { method: 'priceOf', exception: 'none' })).toBe(1);
    expect(await valueOf(parentRegistry, timedCount, { method: 'priceOf', exception: 'none' })).toBe(1);
  });

  it('rejects bad options when it is created', () => {
    expect(() => new MetricsModule({ prefix: '9lives_' })).toThrow(InvalidMetricNameError);
    expect(() => new MetricsModule({ defaultLabels: { 'not-a-label': 'x' } })).toThrow(InvalidLabelNameError);
    // Refused when the module is created, not later when a registry it builds refuses it.
    expect(() => new MetricsModule({ defaultLabels: { le: '1' } })).toThrow(ReservedLabelNameError);
    expect(() => new MetricsModule({ defaultLabels: { region: 7 as unknown as string } })).toThrow(InvalidOptionsError);
    expect(() => new MetricsModule({ defaultBuckets: [1, 0.5] })).toThrow(/strictly increasing/);
    expect(() => new MetricsModule({ defaultBuckets: [Infinity] })).toThrow(/at least one bucket bound/);
    expect(() => new MetricsModule({ endpoint: { port: 70000 } })).toThrow(/port 70000/);
    expect(() => new MetricsModule({ endpoint: { path: 'metrics' } })).toThrow(/must start with "\/"/);
    expect(() => new MetricsModule({ collectors: [{ describe: () => [] } as never] })).toThrow(/collectors\[0\] is neither a collector/);
    expect(() => new MetricsModule({ collectors: 'queue' as never })).toThrow(InvalidOptionsError);
  });
});
