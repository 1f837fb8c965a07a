import type { BindingActivation, Container, ResolutionContext, ServiceIdentifier } from 'inversify';
import { adoptInstance, hasInstrumentedMethods } from '../decorators/index.js';
import { METRICS_RUNTIME } from './metrics-tokens.js';

// The parts of inversify's plugin API (`@inversifyjs/plugin`, `@inversifyjs/core`) the
// plugin uses, written structurally: promkit depends on `inversify` only, and these
// packages come with it.

/** The marker inversify's `container.register()` checks (`Plugin[isPlugin]`). */
const IS_PLUGIN: unique symbol = Symbol.for('@inversifyjs/plugin/isPlugin');

/** What `container.register()` hands a plugin: the container's services. */
export interface MetricsPluginContext {
  readonly activationService: {
    add(activation: BindingActivation<unknown>, relation: { serviceId: ServiceIdentifier }): void;
  };
  readonly planResultCacheService: {
    clearCache(): void;
  };
}

/** What a plugin's `load()` gets: hooks into the container. */
export interface MetricsPluginApi {
  onPlan(handler: (options: unknown, result: { readonly tree: { readonly root: unknown } }) => void): void;
}

interface PlanServiceNode {
  readonly bindings: PlanBindingNode | PlanBindingNode[] | undefined;
}

interface PlanBindingNode {
  readonly binding: { readonly type: string; readonly serviceIdentifier: ServiceIdentifier; readonly implementationType?: unknown };
  readonly constructorParams?: readonly unknown[];
  readonly propertyParams?: ReadonlyMap<unknown, unknown>;
  readonly params?: readonly unknown[];
  readonly redirection?: unknown;
}

/**
 * The inversify plugin that makes every instance a container creates record into the
 * registry of the nearest container with a {@link MetricsModule} (this one or an
 * ancestor), whatever its binding: `toSelf()`, `.to(Class)` under a symbol, string or
 * abstract-class token, `toDynamicValue`/`toResolvedValue` factories, any scope, `get`,
 * `getAsync`, `getAll`, injected dependencies.
 *
 * How: inversify runs activation hooks by service identifier, and only the plan of a
 * resolution says which identifiers produce which classes. Each time the container plans a
 * resolution (once per service and options; plans are cached), the plugin walks the plan
 * and adds one activation hook for each identifier whose binding builds a decorated class
 * or runs a factory. The hook ties the activated instance to the runtime resolved from the
 * resolving container (`METRICS_RUNTIME`), once; calls never look anything up.
 *
 * Register it on every container you resolve decorated services from (a child container
 * too: inversify plans a child's resolutions in the child), before the first resolution.
 *
 * @example
 * ```ts
 * const container = new Container();
 * container.register(MetricsPlugin);
 * container.load(new MetricsModule({ prefix: 'shop_' }));
 * container.bind<Orders>(ORDERS).to(OrderService).inSingletonScope();
 * ```
 */
export class MetricsPlugin {
  /** Tells inversify this class is a plugin. */
  readonly [IS_PLUGIN] = true;
  private readonly hooked = new Set<ServiceIdentifier>();

  /** Called by `container.register(MetricsPlugin)`; not meant to be called directly. */
  constructor(
    _container: Container,
    private readonly context: MetricsPluginContext,
  ) {}

  /** Called by `container.register()`: watches the container's plans. */
  load(api: MetricsPluginApi): void {
    api.onPlan((_options, result) => this.walkService(result.tree.root, new Set()));
    // Plans made before the plugin came would never be shown to it.
    this.context.planResultCacheService.clearCache();
  }

  private walkService(node: unknown, seen: Set<unknown>): void {
    if (typeof node !== 'object' || node === null || seen.has(node) || !('bindings' in node)) return;
    seen.add(node);
    const bindings = (node as PlanServiceNode).bindings;
    if (bindings === undefined) return;
    if (Array.isArray(bindings)) for (const binding of bindings) this.walkBinding(binding, seen);
    else this.walkBinding(bindings, seen);
  }

  private walkBinding(node: PlanBindingNode, seen: Set<unknown>): void {
    const binding = node.binding;
    switch (binding.type) {
      case 'Instance':
        if (hasInstrumentedMethods(binding.implementationType)) this.hook(binding.serviceIdentifier);
        for (const param of node.constructorParams ?? []) this.walkService(param, seen);
        for (const param of node.propertyParams?.values() ?? []) this.walkService(param, seen);
        return;
      case 'DynamicValue':
      case 'ResolvedValue':
        // What a factory returns is known only once it ran: the hook looks then.
        this.hook(binding.serviceIdentifier);
        for (const param of node.params ?? []) this.walkService(param, seen);
        return;
      case 'ServiceRedirection':
        this.walkService(node.redirection, seen);
        return;
      default:
      // Constant values and factories (`toFactory`) are built by the program, not the container.
    }
  }

  private hook(serviceIdentifier: ServiceIdentifier): void {
    if (this.hooked.has(serviceIdentifier)) return;
    this.hooked.add(serviceIdentifier);
    // One function per identifier: inversify keys activations by function identity.
    this.context.activationService.add((context, instance) => activateMetrics(context, instance), { serviceId: serviceIdentifier });
  }
}

/**
 * A binding activation that makes a decorated instance record into the registry of the
 * nearest container with a `MetricsModule` (seen from the resolving container); other
 * values pass untouched. {@link MetricsPlugin} adds it where needed; add it yourself with
 * `.onActivation(activateMetrics)` on a binding of a container without the plugin.
 *
 * @example
 * ```ts
 * container.bind<Orders>(ORDERS).to(OrderService).onActivation(activateMetrics);
 * ```
 */
export function activateMetrics<T>(context: ResolutionContext, instance: T): T {
  adoptInstance(instance, () => context.get(METRICS_RUNTIME, { optional: true }));
  return instance;
}
