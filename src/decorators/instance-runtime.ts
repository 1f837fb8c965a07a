import type { Registry } from '../registry/index.js';
import type { RecordedMethod } from './decorator-types.js';
import { EarlyCalls } from './early-calls.js';
import { instrumentedMethodsOf } from './instrumented-classes.js';
import { defaultMetricsRuntime, type MetricsRuntime } from './metrics-runtime.js';

/**
 * The instance property naming the runtime an instance records into. Non-enumerable; set
 * when the instance is tied to a runtime: by its container's activation, by
 * {@link bindMetricsRuntime}, or (to the default runtime) when it is first seen outside
 * any container.
 */
export const METRICS_RUNTIME_KEY: unique symbol = Symbol('promkit.metricsRuntime');

interface RuntimeCarrier {
  readonly [METRICS_RUNTIME_KEY]?: MetricsRuntime;
}

/** Instances (and classes, for static methods) tied to the default runtime because nobody else claimed them. */
const tiedByDefault = new WeakSet<object>();
/** Calls of instances that wait for their container's activation. */
const waiting = new WeakMap<object, EarlyCalls>();
/** Frozen instances already given their default series (they cannot carry a tie). */
const frozenSeen = new WeakSet<object>();
/** Classes already warned about recording into the default registry. */
const warnedClasses = new WeakSet<object>();
let containerRuntimes = 0;

/** The runtime `instance` is tied to, if any. The per-call lookup: one property read. */
export function boundRuntimeOf(instance: unknown): MetricsRuntime | undefined {
  return instance === null || instance === undefined ? undefined : (instance as RuntimeCarrier)[METRICS_RUNTIME_KEY];
}

/** The runtime `instance`'s decorated methods record into (the default one when it is tied to none yet). */
export function metricsRuntimeOf(instance: unknown): MetricsRuntime {
  return boundRuntimeOf(instance) ?? defaultMetricsRuntime();
}

/**
 * Makes `instance`'s decorated methods record into `runtime` from now on, creates their
 * series there at zero, and records there the calls it made while waiting for its
 * container. Returns the instance. Call it for instances built where no container
 * activates them (factories you call yourself, tests). A frozen instance cannot be bound:
 * it keeps recording into the default registry and a warning says so.
 */
export function bindMetricsRuntime<T extends object>(instance: T, runtime: MetricsRuntime): T {
  tie(instance, runtime, false);
  return instance;
}

/**
 * What a container's activation runs: ties a decorated `instance` to `runtime` unless it
 * is tied already (the nearest container's activation runs first and wins; a tie made with
 * {@link bindMetricsRuntime} is kept). An instance that was tied to the default runtime
 * only because nothing claimed it in time moves to `runtime`.
 * `runtimeOf` is asked only for a decorated instance still to tie. Returns whether the
 * instance is decorated.
 */
export function adoptInstance(instance: unknown, runtimeOf: () => MetricsRuntime | undefined): boolean {
  if (instance === null || typeof instance !== 'object') return false;
  if (instrumentedMethodsOf(instance).length === 0 && !waiting.has(instance)) return false;
  if (Object.prototype.hasOwnProperty.call(instance, METRICS_RUNTIME_KEY) && !tiedByDefault.has(instance)) return true;
  const runtime = runtimeOf();
  if (runtime !== undefined) tie(instance, runtime, false);
  return true;
}

/**
 * Tells the decorators that a container now has a metrics runtime (a `MetricsModule` was
 * loaded). From then on an instance no one has tied yet keeps its calls until its
 * container activates it, or until the event loop's turn ends (then it was made outside
 * any container: the default runtime); and an instance recording into the default
 * registry is warned about, once per class.
 */
export function noteContainerRuntime(): void {
  containerRuntimes++;
}

/**
 * Decides where an instance no one has tied yet records, when it is first seen (its first
 * call, or its construction under standard decorators): while a container may still
 * activate it (see {@link noteContainerRuntime}) it waits, else it is tied to the default
 * runtime now. Returns the runtime, or the calls kept while waiting.
 */
export function adoptUnbound(self: object): MetricsRuntime | EarlyCalls {
  const early = waiting.get(self);
  if (early !== undefined) return early;
  if (containerRuntimes > 0 && typeof self === 'object' && Object.isExtensible(self)) {
    const calls = new EarlyCalls();
    waiting.set(self, calls);
    // Async resolutions activate after a few promise turns: wait for all of them, then
    // the instance is one made outside any container.
    setImmediate(() => {
      if (waiting.get(self) === calls) tie(self, defaultMetricsRuntime(), true);
    }).unref();
    return calls;
  }
  const runtime = defaultMetricsRuntime();
  tie(self, runtime, true);
  return runtime;
}

/** The calls `self` keeps while waiting for its activation, if it is waiting. */
export function earlyCallsOf(self: unknown): EarlyCalls | undefined {
  return self !== null && typeof self === 'object' ? waiting.get(self) : undefined;
}

/**
 * Under standard decorators, every construction of an instrumented class passes here, once
 * per decorated method: a base class's initializers run before a subclass's methods are
 * known, so each method makes sure of its own series in the runtime already chosen.
 */
export function noteConstructed(instance: unknown, method: RecordedMethod<Registry>): void {
  if (instance === null || typeof instance !== 'object' || waiting.has(instance)) return;
  if (Object.prototype.hasOwnProperty.call(instance, METRICS_RUNTIME_KEY)) {
    boundRuntimeOf(instance)?.recorderOf(method)?.attach?.(instance);
    return;
  }
  adoptUnbound(instance);
}

function tie(self: object, runtime: MetricsRuntime, byDefault: boolean): void {
  if (byDefault && !Object.isExtensible(self)) {
    // Stays untied and records into the default runtime call by call.
    if (typeof self === 'object' && !frozenSeen.has(self)) {
      frozenSeen.add(self);
      prepareInDefault(self, runtime);
    }
    return;
  }
  const previous = Object.prototype.hasOwnProperty.call(self, METRICS_RUNTIME_KEY) ? boundRuntimeOf(self) : undefined;
  try {
    Object.defineProperty(self, METRICS_RUNTIME_KEY, { value: runtime, writable: true, configurable: true, enumerable: false });
  } catch (error) {
    process.emitWarning(`promkit: cannot bind metrics to a ${classOf(self)?.name ?? 'object'} instance (${String(error)}); it records into the default registry`, {
      type: 'PromkitDecoratorWarning',
      code: 'PROMKIT_DECORATOR_BIND',
    });
    return;
  }
  if (byDefault) tiedByDefault.add(self);
  else tiedByDefault.delete(self);
  // Static methods' series are created when their class is defined.
  if (typeof self !== 'object') return;
  // Scrape-time gauges read an instance in the one registry it records into.
  if (previous !== undefined && previous !== runtime) previous.release(self);
  if (byDefault) prepareInDefault(self, runtime);
  else runtime.prepare(self);
  const early = waiting.get(self);
  if (early !== undefined) {
    waiting.delete(self);
    early.handOver(runtime);
  }
}

function prepareInDefault(self: object, runtime: MetricsRuntime): void {
  runtime.prepare(self);
  const cls = classOf(self);
  if (containerRuntimes === 0 || cls === undefined || warnedClasses.has(cls)) return;
  warnedClasses.add(cls);
  process.emitWarning(
    `promkit: a ${cls.name} instance records into the default registry although a MetricsModule is loaded: no container with ` +
      `MetricsPlugin registered created it (made with new, a toFactory or toConstantValue binding, or resolved from a container ` +
      `without the plugin). Resolve it from a container with container.register(MetricsPlugin) (MetricsModule loaded in it or an ` +
      `ancestor), or tie it yourself with bindMetricsRuntime(instance, container.get(METRICS_RUNTIME)).`,
    { type: 'PromkitDecoratorWarning', code: 'PROMKIT_DECORATOR_DEFAULT_REGISTRY' },
  );
}

function classOf(self: object): (abstract new (...args: never[]) => unknown) | undefined {
  const ctor = (Object.getPrototypeOf(self) as { constructor?: unknown } | null)?.constructor;
  return typeof ctor === 'function' ? (ctor as abstract new (...args: never[]) => unknown) : undefined;
}
