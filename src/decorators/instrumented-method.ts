import type { CallRecorder, RecorderContext } from './call-recorder.js';
import type { MetricDefinition } from './metric-definition.js';
import { metricsRuntimeOf, type MetricsRuntime } from './metrics-runtime.js';

/** The property of an instrumented wrapper listing the methods it (and the wrappers inside it) instrument. */
export const INSTRUMENTED_METHODS_KEY: unique symbol = Symbol('promkit.instrumentedMethods');

/** A function produced by a method decorator. */
export interface InstrumentedFunction {
  readonly [INSTRUMENTED_METHODS_KEY]: readonly InstrumentedMethod[];
}

/**
 * One decorator applied to one method: its metric definition, the `class`/`method` label
 * values, and a one-entry cache of its recorder for the runtime it last recorded in (in
 * practice one per process or per container), so a call costs a property read and a
 * comparison before the business method runs.
 */
export class InstrumentedMethod {
  /** The `class` label; resolved at definition time, or at the first construction under standard decorators. */
  className: string | undefined;
  private cachedRuntime: MetricsRuntime | undefined = undefined;
  private cachedRecorder: CallRecorder | null = null;

  constructor(
    readonly definition: MetricDefinition,
    /** The `method` label. */
    readonly methodName: string,
    /** The property key the method is stored under on its class or prototype. */
    readonly key: string | symbol,
    readonly isStatic: boolean,
    className: string | undefined,
    /** Builds the decorator's recorder in one runtime (registers the metric, creates the series at zero). */
    readonly createRecorder: (context: RecorderContext) => CallRecorder,
  ) {
    this.className = className;
  }

  /** The recorder for a call on `self`: its bound runtime's, else the default runtime's. */
  recorderFor(self: unknown): CallRecorder | null {
    const runtime = metricsRuntimeOf(self);
    if (runtime === this.cachedRuntime) return this.cachedRecorder;
    return this.switchRuntime(runtime, self);
  }

  private switchRuntime(runtime: MetricsRuntime, self: unknown): CallRecorder | null {
    this.resolveClassName(self);
    const recorder = runtime.recorderOf(this);
    this.cachedRuntime = runtime;
    this.cachedRecorder = recorder;
    return recorder;
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
