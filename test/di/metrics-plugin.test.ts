import 'reflect-metadata';
import { describe, expect, it, jest } from '@jest/globals';
import { Container, inject, injectable, postConstruct } from 'inversify';
import { Counted, DECORATOR_ERRORS_METRIC, Timed } from '../../src/decorators/index.js';
import { METRICS_REGISTRY, MetricsModule, MetricsPlugin } from '../../src/di/index.js';
import { defaultRegistry, Registry } from '../../src/registry/index.js';
import { samplesOf, valueOf } from '../decorators/series.js';

const CONFIG = Symbol('Config');
const WARMUP = Symbol('Warmup');

/** Calls its own methods while it is built: before any container could have tied it. */
@injectable()
class Warmup {
  readonly ready: Promise<string>;

  constructor(@inject(CONFIG) readonly config: { region: string }) {
    this.ping(config.region);
    this.ready = this.load(20);
  }

  /** Inversify activates the instance only once this settles, several promise turns after the constructor ran. */
  @postConstruct()
  async connect(): Promise<void> {
    for (let i = 0; i < 3; i++) await Promise.resolve();
  }

  @Counted({ name: 'warmup_pings_total', labelNames: ['region'], labelsFrom: ([region]) => ({ region: String(region) }) })
  ping(_region: string): void {}

  @Timed({ name: 'warmup_load_seconds' })
  async load(ms: number): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return 'loaded';
  }
}

const RELAY = Symbol('Relay');

/** Sends three messages while it is built, through one message object it reuses. */
@injectable()
class Relay {
  constructor(@inject(CONFIG) readonly config: { region: string }) {
    const message = { topic: '' };
    for (const topic of ['orders', 'payments', 'refunds']) {
      message.topic = topic;
      this.send(message);
    }
    message.topic = 'x"} 1\nforged_total 1';
    this.ack();
  }

  @postConstruct()
  async connect(): Promise<void> {
    for (let i = 0; i < 3; i++) await Promise.resolve();
  }

  @Counted({ name: 'relay_sends_total', labelNames: ['topic'], labelsFrom: ([message]) => ({ topic: (message as { topic: string }).topic }) })
  send(_message: { topic: string }): void {}

  @Counted({
    name: 'relay_acks_total',
    labelNames: ['id'],
    labelsFrom: () => {
      throw new Error('no id yet');
    },
  })
  ack(): void {}
}

function containerWith(registry: Registry): Container {
  const container = new Container();
  container.register(MetricsPlugin);
  container.load(new MetricsModule({ registry }));
  return container;
}

/** {@link containerWith}, with a configuration that resolves asynchronously: an instance needing it is built, then activated, a few promise turns later. */
function containerWithAsyncConfig(registry: Registry): Container {
  const container = containerWith(registry);
  container.bind(CONFIG).toDynamicValue(async () => {
    await new Promise((resolve) => setImmediate(resolve));
    return { region: 'eu' };
  });
  return container;
}

describe('MetricsPlugin', () => {
  it('hands the calls a constructor made to the container, an async one still running included, after an async activation', async () => {
    const registry = new Registry();
    const container = containerWithAsyncConfig(registry);
    container.bind(WARMUP).to(Warmup);
    const warmup = await container.getAsync<Warmup>(WARMUP);
    expect(warmup.config.region).toBe('eu');
    expect(await warmup.ready).toBe('loaded');
    expect(await valueOf(registry, 'warmup_pings_total', { class: 'Warmup', region: 'eu', result: 'success' })).toBe(1);
    expect(await valueOf(registry, 'warmup_load_seconds_count', { class: 'Warmup', exception: 'none' })).toBe(1);
    // Measured from the call in the constructor, not from the activation.
    expect(await valueOf(registry, 'warmup_load_seconds_sum', { class: 'Warmup', exception: 'none' })).toBeGreaterThanOrEqual(0.015);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await samplesOf(defaultRegistry, 'warmup_pings_total')).toEqual([]);
    expect(await samplesOf(defaultRegistry, 'warmup_load_seconds_count')).toEqual([]);
  });

  it('labels a call made before activation from its arguments as they were when it was made, not when it is handed over', async () => {
    const registry = new Registry();
    const container = containerWithAsyncConfig(registry);
    container.bind(RELAY).to(Relay);
    await container.getAsync<Relay>(RELAY);
    const sends = await samplesOf(registry, 'relay_sends_total', { class: 'Relay', result: 'success' });
    expect(sends.map((sample) => [sample.labels.topic, sample.value]).sort()).toEqual([
      ['orders', 1],
      ['payments', 1],
      ['refunds', 1],
    ]);
    // A labelsFrom that threw during an early call: reported once the runtime is known, the call still counted.
    expect(await valueOf(registry, 'relay_acks_total', { class: 'Relay', id: '', result: 'success' })).toBe(1);
    expect(await valueOf(registry, `${DECORATOR_ERRORS_METRIC}_total`, { metric: 'relay_acks', reason: 'labels_from' })).toBe(1);
  });

  it('warns once per class, naming it and the fix, when a decorated instance records into the default registry while a module is loaded', async () => {
    containerWith(new Registry());
    const warnings: string[] = [];
    const spy = jest.spyOn(process, 'emitWarning').mockImplementation(((w: string) => void warnings.push(w)) as typeof process.emitWarning);
    try {
      class Stray {
        @Counted({ name: 'stray_calls_total' })
        call(): void {}
      }
      new Stray().call();
      new Stray().call();
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      spy.mockRestore();
    }
    const about = warnings.filter((w) => w.includes('Stray'));
    expect(about).toHaveLength(1);
    expect(about[0]).toMatch(/default registry although a MetricsModule is loaded/);
    expect(about[0]).toMatch(/container\.register\(MetricsPlugin\)/);
    expect(await valueOf(defaultRegistry, 'stray_calls_total', { class: 'Stray', result: 'success' })).toBe(2);
  });

  it('ties to the nearest container with a module: a child’s own module wins over its parent’s', async () => {
    const parentRegistry = new Registry();
    const childRegistry = new Registry();
    const parent = containerWith(parentRegistry);
    const child = new Container({ parent });
    child.register(MetricsPlugin);
    child.load(new MetricsModule({ registry: childRegistry }));
    parent.bind(CONFIG).toConstantValue({ region: 'us' });
    parent.bind(WARMUP).to(Warmup);
    await (await child.getAsync<Warmup>(WARMUP)).ready;
    await (await parent.getAsync<Warmup>(WARMUP)).ready;
    expect(await valueOf(childRegistry, 'warmup_pings_total', { region: 'us' })).toBe(1);
    expect(await valueOf(parentRegistry, 'warmup_pings_total', { region: 'us' })).toBe(1);
  });

  it('follows the module through unload and reload: the hooks stay, each instance records into the module loaded at its activation', async () => {
    const first = new Registry();
    const second = new Registry();
    const container = new Container();
    container.register(MetricsPlugin);
    const module = new MetricsModule({ registry: first });
    container.load(module);
    const PING = Symbol('Ping');
    class Pinger {
      @Counted({ name: 'reload_pings_total' })
      ping(): void {}
    }
    container.bind(PING).to(Pinger);
    const before = container.get<Pinger>(PING);
    before.ping();
    await container.unloadAsync(module);
    const orphan = container.get<Pinger>(PING);
    container.load(new MetricsModule({ registry: second }));
    const after = container.get<Pinger>(PING);
    after.ping();
    before.ping();
    orphan.ping();
    await new Promise((resolve) => setImmediate(resolve));
    expect(await valueOf(first, 'reload_pings_total', { class: 'Pinger', result: 'success' })).toBe(2);
    expect(await valueOf(second, 'reload_pings_total', { class: 'Pinger', result: 'success' })).toBe(1);
    // Activated while no module was loaded: nothing to tie it to.
    expect(await valueOf(defaultRegistry, 'reload_pings_total', { class: 'Pinger', result: 'success' })).toBe(1);
  });

  it('registers the module’s collectors, instances and injectable classes, when the registry is resolved, and unregisters them on unload', async () => {
    const SOURCE = Symbol('Source');
    const instance = { collectorName: 'constant', collect: () => [] };
    @injectable()
    class QueueCollector {
      readonly collectorName = 'queue';
      closed = false;
      constructor(@inject(SOURCE) readonly source: { depth: number }) {}
      collect(): [] {
        return [];
      }
      close(): void {
        this.closed = true;
      }
    }
    const registry = new Registry();
    const module = new MetricsModule({ registry, collectors: [instance, QueueCollector] });
    const container = new Container();
    container.load(module);
    container.bind(SOURCE).toConstantValue({ depth: 3 });
    expect(registry.getCollectors()).toEqual([]);
    container.get(METRICS_REGISTRY);
    const registered = registry.getCollectors();
    expect(registered).toHaveLength(2);
    expect(registered[0]).toBe(instance);
    const queue = registered[1] as QueueCollector;
    expect(queue).toBeInstanceOf(QueueCollector);
    expect(queue.source.depth).toBe(3);
    await container.unloadAsync(module);
    expect(registry.getCollectors()).toEqual([]);
    expect(queue.closed).toBe(true);
  });
});
