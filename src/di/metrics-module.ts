import { ContainerModule, type ContainerModuleLoadOptions, type ServiceIdentifier } from 'inversify';
import { collectDefaultMetrics, type DefaultMetrics } from '../collectors/index.js';
import { MetricsRuntime, noteContainerRuntime } from '../decorators/index.js';
import { Registry, type Collector } from '../registry/index.js';
import { MetricsScraper } from './metrics-scraper.js';
import {
  DEFAULT_METRICS_ENDPOINT,
  copyMetricsModuleOptions,
  validateMetricsModuleOptions,
  type MetricsModuleOptions,
  type ResolvedMetricsModuleOptions,
} from './metrics-module-options.js';
import { activateMetrics } from './metrics-plugin.js';
import { MetricsServer } from './metrics-server.js';
import {
  METRICS_SCRAPER,
  METRICS_DEFAULT_COLLECTORS,
  METRICS_OPTIONS,
  METRICS_REGISTRY,
  METRICS_RUNTIME,
  METRICS_SERVER,
} from './metrics-tokens.js';

/**
 * The inversify (8) module of promkit. Loaded into a container, it binds:
 *
 * | token | value |
 * |---|---|
 * | `METRICS_REGISTRY` | the `Registry` (yours, or a new one per container) |
 * | `METRICS_OPTIONS` | the resolved options |
 * | `METRICS_RUNTIME` | the decorators' runtime: registry + prefix + labels + buckets |
 * | `METRICS_SCRAPER` | a {@link MetricsScraper} (singleton; `COLLECTOR_SERVICE` is its deprecated alias) |
 * | `METRICS_SERVER` | a {@link MetricsServer} (singleton, stopped on unbind) |
 * | `METRICS_DEFAULT_COLLECTORS` | the default collectors it registered, if any |
 *
 * Instances record into the container's registry once the container ties them to its
 * runtime: register {@link MetricsPlugin} on the container (and on every child container
 * you resolve from), which does it for every binding shape. Instances made with `new`
 * record into the default registry. `instrument` adds activation hooks by hand, for
 * containers without the plugin.
 *
 * `collectors` are registered into the registry when the container first resolves it
 * (serving it does: `METRICS_SCRAPER`, `METRICS_SERVER`, a `get`), and unregistered when
 * the module is unloaded.
 *
 * @example
 * ```ts
 * import 'reflect-metadata';
 * const container = new Container();
 * container.register(MetricsPlugin);
 * container.load(new MetricsModule({ prefix: 'shop_', endpoint: { port: 9464 } }));
 * container.bind<Orders>(ORDERS).to(OrderService).inSingletonScope();
 * await container.get(METRICS_SERVER).start();
 * ```
 */
export class MetricsModule extends ContainerModule {
  /** The options the module was created with, as checked: a frozen copy, which every load of the module uses. */
  readonly options: MetricsModuleOptions;

  /** @throws `InvalidOptionsError` / `InvalidMetricNameError` for a bad prefix, label, bucket list or endpoint. */
  constructor(options: MetricsModuleOptions = {}) {
    const checked = copyMetricsModuleOptions(options);
    validateMetricsModuleOptions(checked);
    super((load) => loadMetricsModule(load, checked));
    this.options = checked;
  }
}

function resolveOptions(options: MetricsModuleOptions): ResolvedMetricsModuleOptions {
  const defaultLabels = { ...(options.defaultLabels ?? {}) };
  const ownsRegistry = options.registry === undefined;
  const registry = options.registry ?? new Registry(Object.keys(defaultLabels).length > 0 ? { defaultLabels } : {});
  return {
    registry,
    ownsRegistry,
    prefix: options.prefix ?? '',
    defaultLabels,
    defaultBuckets: options.defaultBuckets,
    defaultCollectors: options.defaultCollectors ?? ownsRegistry,
    endpoint: { ...DEFAULT_METRICS_ENDPOINT, ...(options.endpoint ?? {}) },
    instrument: [...(options.instrument ?? [])],
    collectors: [...(options.collectors ?? [])],
  };
}

function loadMetricsModule({ bind, onActivation, onDeactivation }: ContainerModuleLoadOptions, options: MetricsModuleOptions): void {
  noteContainerRuntime();
  const resolved = resolveOptions(options);
  const { registry } = resolved;
  // A registry the module created carries the default labels itself; on a registry
  // passed in, only the series the module creates can get them.
  const addedLabels = resolved.ownsRegistry ? {} : resolved.defaultLabels;
  const runtime = new MetricsRuntime({
    registry,
    prefix: resolved.prefix,
    constantLabels: addedLabels,
    defaultBuckets: resolved.defaultBuckets,
  });
  const defaults: DefaultMetrics | undefined = resolved.defaultCollectors
    ? collectDefaultMetrics({ registry, prefix: resolved.prefix, labels: addedLabels })
    : undefined;

  bind(METRICS_OPTIONS).toConstantValue(resolved);
  bind(METRICS_REGISTRY).toConstantValue(registry);
  bind(METRICS_RUNTIME).toConstantValue(runtime);
  bind(METRICS_DEFAULT_COLLECTORS).toConstantValue(defaults);
  bind(METRICS_SCRAPER)
    .toResolvedValue((r: Registry) => new MetricsScraper(r), [METRICS_REGISTRY])
    .inSingletonScope();
  bind(METRICS_SERVER)
    .toResolvedValue((r: Registry, o: ResolvedMetricsModuleOptions) => new MetricsServer(r, o.endpoint), [METRICS_REGISTRY, METRICS_OPTIONS])
    .inSingletonScope()
    // Synchronous on purpose: an async deactivation would make the container's sync
    // `unbindAll()`/`unload()` throw. The listening socket closes at once; `await
    // server.stop()` yourself to also wait for open requests.
    .onDeactivation((server) => {
      server.stop().catch((error: unknown) => {
        process.emitWarning(`promkit: stopping the metrics server failed: ${error instanceof Error ? error.message : String(error)}`, {
          type: 'PromkitWarning',
          code: 'PROMKIT_METRICS_SERVER_STOP',
        });
      });
    });
  // Collectors given as classes are built by the container (with their dependencies),
  // each under a token of its own so that the program's own bindings are not disturbed.
  const collectorSources = resolved.collectors.map((entry): Collector | ServiceIdentifier<Collector> => {
    if (typeof entry !== 'function') return entry;
    const token = Symbol(`promkit.collector.${entry.name}`);
    bind(token).to(entry).inSingletonScope();
    return token;
  });
  const registered: Collector[] = [];
  onActivation(METRICS_REGISTRY, (context, activated) => {
    for (const source of collectorSources) {
      const collector = typeof source === 'object' ? source : context.get(source);
      registered.push(activated.register(collector));
    }
    return activated;
  });

  // Unloading the module (or unbinding everything) takes the default collectors and the
  // module's collectors down: their observers and timers must not outlive the container.
  // Inversify deactivates only what was resolved: the registry is, by anything that serves
  // it (MetricsScraper, MetricsServer, a get); otherwise
  // `container.get(METRICS_DEFAULT_COLLECTORS)?.stop()`.
  onDeactivation(METRICS_REGISTRY, (deactivated) => {
    defaults?.stop();
    for (const collector of registered.splice(0)) deactivated.unregister(collector);
  });

  // Explicit hooks, for containers without MetricsPlugin. One function per identifier:
  // inversify 8 keys activations by function identity.
  for (const id of new Set(resolved.instrument)) {
    onActivation(id, (context, instance) => activateMetrics(context, instance));
  }
}
