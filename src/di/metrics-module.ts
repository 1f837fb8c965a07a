import { ContainerModule, type BindingActivation, type ContainerModuleLoadOptions, type ResolutionContext } from 'inversify';
import { collectDefaultMetrics, type DefaultMetrics } from '../collectors/index.js';
import { bindMetricsRuntime, instrumentedClasses, METRICS_RUNTIME_KEY, MetricsRuntime, onInstrumentedClass } from '../decorators/index.js';
import { Registry } from '../registry/index.js';
import { CollectorService } from './collector-service.js';
import {
  DEFAULT_METRICS_ENDPOINT,
  validateMetricsModuleOptions,
  type MetricsModuleOptions,
  type ResolvedMetricsModuleOptions,
} from './metrics-module-options.js';
import { MetricsServer } from './metrics-server.js';
import {
  COLLECTOR_SERVICE,
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
 * | `COLLECTOR_SERVICE` | a {@link CollectorService} (singleton) |
 * | `METRICS_SERVER` | a {@link MetricsServer} (singleton, stopped on unbind) |
 * | `METRICS_DEFAULT_COLLECTORS` | the default collectors it registered, if any |
 *
 * and it registers an activation hook (`onActivation`) for every class with decorated
 * methods (and every identifier in `instrument`): instances the container creates record
 * into **its** registry. The hook binds the instance once (a non-enumerable property);
 * calls never look anything up in the container. Instances made with `new` record into
 * the default registry.
 *
 * Classes are known to the module once their decorators ran: with `experimentalDecorators`
 * (what inversify uses) at class definition, so every decorated class is hooked, including
 * classes defined after the module was loaded. Name in `instrument` (or hook with
 * `.onActivation(activateMetrics)` on the binding) the services the module cannot see by
 * class: one bound under an interface token (`bind(TOKEN).to(OrderService)`), an
 * undecorated subclass bound under its own class, and, with TC39 standard decorators
 * (which reveal a class only at its first construction, after inversify planned that
 * resolution), the decorated classes themselves.
 *
 * @example
 * ```ts
 * import 'reflect-metadata';
 * const container = new Container();
 * container.load(new MetricsModule({ prefix: 'shop_', endpoint: { port: 9464 } }));
 * container.bind(OrderService).toSelf().inSingletonScope();
 * await container.get(METRICS_SERVER).start();
 * ```
 */
export class MetricsModule extends ContainerModule {
  /** The options the module was created with. */
  readonly options: MetricsModuleOptions;

  /** @throws `InvalidOptionsError` / `InvalidMetricNameError` for a bad prefix, label, bucket list or endpoint. */
  constructor(options: MetricsModuleOptions = {}) {
    validateMetricsModuleOptions(options);
    super((load) => loadMetricsModule(load, options));
    this.options = options;
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
  };
}

/** Per-runtime hooks for classes that become instrumented after the module was loaded. */
const lateClassHooks = new WeakMap<MetricsRuntime, (cls: abstract new (...args: never[]) => unknown) => void>();

function loadMetricsModule({ bind, onActivation, onDeactivation }: ContainerModuleLoadOptions, options: MetricsModuleOptions): void {
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
  bind(COLLECTOR_SERVICE)
    .toResolvedValue((r: Registry) => new CollectorService(r), [METRICS_REGISTRY])
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
  // Unloading the module (or unbinding everything) takes the default collectors down:
  // their observers and timers must not outlive the container. Inversify deactivates only
  // what was resolved: the registry is, by anything that serves it (CollectorService,
  // MetricsServer, a get); otherwise `container.get(METRICS_DEFAULT_COLLECTORS)?.stop()`.
  onDeactivation(METRICS_REGISTRY, () => defaults?.stop());

  const hooked = new Set<unknown>();
  const hook = (id: Parameters<typeof onActivation>[0]): void => {
    if (hooked.has(id)) return;
    hooked.add(id);
    // One function per identifier: inversify 8 keys activations by function identity, and
    // one function registered under two identifiers breaks `unbindAll()`.
    onActivation(id, activationInto(runtime));
  };
  for (const cls of instrumentedClasses()) hook(cls);
  for (const id of resolved.instrument) hook(id);

  // Classes whose decorators run after this load (lazy imports; standard decorators at the
  // first construction, which helps the later resolutions of transient services). The
  // global listener holds the runtime weakly: a dropped container is not kept alive by it.
  lateClassHooks.set(runtime, hook);
  const runtimeRef = new WeakRef(runtime);
  const stop = onInstrumentedClass((cls) => {
    const live = runtimeRef.deref();
    if (live === undefined) {
      stop();
      return;
    }
    lateClassHooks.get(live)?.(cls);
  });
}

/** An activation hook binding activated instances to `runtime` (first binding wins). */
function activationInto(runtime: MetricsRuntime): BindingActivation<unknown> {
  return (_context, instance) => {
    bindIfUnbound(instance, runtime);
    return instance;
  };
}

function bindIfUnbound(instance: unknown, runtime: MetricsRuntime): void {
  if (instance === null || typeof instance !== 'object') return;
  // Several hooks may see one instance (a binding's own, a child container's, the
  // parent's): the most specific one runs first and wins.
  if (Object.prototype.hasOwnProperty.call(instance, METRICS_RUNTIME_KEY)) return;
  bindMetricsRuntime(instance, runtime);
}

/**
 * A binding activation that makes the instance record into the resolving container's
 * registry: for services the module cannot hook by class, such as one bound under an
 * interface token.
 *
 * @example
 * ```ts
 * container.bind<Orders>(ORDERS).to(OrderService).inSingletonScope().onActivation(activateMetrics);
 * ```
 */
export function activateMetrics<T>(context: ResolutionContext, instance: T): T {
  bindIfUnbound(instance, context.get(METRICS_RUNTIME));
  return instance;
}
