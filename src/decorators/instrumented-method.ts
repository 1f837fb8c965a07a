import type { Registry } from '../registry/index.js';
import type { MethodContext } from './call-recorder.js';
import type { MethodRecorder, MetricDefinition, RecordedMethod } from './decorator-types.js';
import { adoptUnbound, boundRuntimeOf, earlyCallsOf } from './instance-runtime.js';
import { INSTRUMENTED_METHODS_KEY, type InstrumentedFunction } from './instrumented-classes.js';
import { defaultMetricsRuntime, MetricsRuntime } from './metrics-runtime.js';

/**
 * One decorator applied to one method: its metric definition, the `class`/`method` label
 * values, and a one-entry cache of its recorder for the runtime it last recorded in (in
 * practice one per process or per container), so a call costs a property read and a
 * comparison before the business method runs.
 */
export class InstrumentedMethod implements RecordedMethod<Registry> {
  /** The `class` label; resolved at definition time, or at the first construction under standard decorators. */
  className: string | undefined;
  // `null`, not `undefined`: an instance tied to no runtime yet reads `undefined` and must miss.
  private cachedRuntime: MetricsRuntime | null = null;
  private cachedRecorder: MethodRecorder | null = null;

  constructor(
    readonly definition: MetricDefinition,
    /** The `method` label. */
    readonly methodName: string,
    /** The property key the method is stored under on its class or prototype. */
    readonly key: string | symbol,
    readonly isStatic: boolean,
    className: string | undefined,
    /** Builds the decorator's recorder in one runtime (registers the metric, creates the series at zero). */
    readonly createRecorder: (context: MethodContext) => MethodRecorder,
  ) {
    this.className = className;
  }

  /**
   * The recorder for a call on `self`: its runtime's. `null` when the method cannot record
   * there, or when `self` waits for its container's activation (then {@link unrecorded}
   * keeps the call).
   */
  recorderFor(self: unknown): MethodRecorder | null {
    const runtime = boundRuntimeOf(self);
    if (runtime === this.cachedRuntime) return this.cachedRecorder;
    return this.switchRuntime(runtime, self);
  }

  private switchRuntime(bound: MetricsRuntime | undefined, self: unknown): MethodRecorder | null {
    let runtime = bound;
    if (runtime === undefined) {
      if (self === null || (typeof self !== 'object' && typeof self !== 'function')) {
        // A detached call (no `this`): the default registry, call by call.
        return defaultMetricsRuntime().recorderOf(this);
      }
      const adopted = adoptUnbound(self);
      if (!(adopted instanceof MetricsRuntime)) return null;
      runtime = adopted;
    }
    this.resolveClassName(self);
    const recorder = runtime.recorderOf(this);
    this.cachedRuntime = runtime;
    this.cachedRecorder = recorder;
    return recorder;
  }

  /**
   * The wrapper's path when {@link recorderFor} gave no recorder: the original method, its
   * call kept when `this` waits for its container. Built once per method, and called with
   * `apply(this, arguments)` so the wrapper never materializes its `arguments`.
   */
  unrecorded(original: (...args: unknown[]) => unknown): (this: unknown, ...args: unknown[]) => unknown {
    const method = this;
    return function (this: unknown): unknown {
      const early = earlyCallsOf(this);
      if (early === undefined) return original.apply(this, arguments as unknown as unknown[]);
      return early.run(method, original, this, arguments);
    };
  }

  /**
   * Finds the `class` label from an instance (or, for static methods, the class) when the
   * decorator could not know it: standard decorators do not see the class of an instance
   * method. The declaring class is the one whose prototype holds the wrapper of this
   * method, not the instance's (possibly derived) class.
   */
  resolveClassName(self: unknown): void {
    if (this.className !== undefined) return;
    const owner = this.ownerIn(self);
    if (owner !== undefined) {
      this.className = this.isStatic ? (owner as { name?: string }).name ?? '' : constructorNameOf(owner);
    } else if (self !== null && (typeof self === 'object' || typeof self === 'function')) {
      // Private (#) methods live on no prototype: the instance's class is the best we know.
      this.className = typeof self === 'function' ? self.name : constructorNameOf(Object.getPrototypeOf(self));
    }
  }

  /** The prototype (or class, for a static method) in `self`'s chain that holds this method's wrapper. */
  ownerIn(self: unknown): object | undefined {
    if (self === null || (typeof self !== 'object' && typeof self !== 'function')) return undefined;
    for (let candidate: object | null = this.isStatic ? self : Object.getPrototypeOf(self); candidate !== null; candidate = Object.getPrototypeOf(candidate)) {
      const descriptor = Object.getOwnPropertyDescriptor(candidate, this.key);
      const held: unknown = descriptor?.value;
      if (typeof held === 'function' && (held as Partial<InstrumentedFunction>)[INSTRUMENTED_METHODS_KEY]?.includes(this) === true) return candidate;
    }
    return undefined;
  }
}

/** The name of the class whose prototype this is (`''` when there is none). */
export function constructorNameOf(prototype: object | null): string {
  const ctor = (prototype as { constructor?: unknown } | null)?.constructor;
  return typeof ctor === 'function' ? ctor.name : '';
}
