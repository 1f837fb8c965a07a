import type { InstrumentedMethod } from './instrumented-method.js';

/** Instrumented methods by the prototype (instance methods) or class (static methods) holding them. */
const methodsByOwner = new WeakMap<object, InstrumentedMethod[]>();
/** Classes declaring at least one instrumented instance method, in definition order. */
const classes = new Set<abstract new (...args: never[]) => unknown>();
const listeners = new Set<(cls: abstract new (...args: never[]) => unknown) => void>();

/**
 * Records that `owner` (a prototype, or a class for static methods) holds `method`. For
 * prototypes, the class joins {@link instrumentedClasses}.
 */
export function registerInstrumentedMethod(owner: object, method: InstrumentedMethod): void {
  let methods = methodsByOwner.get(owner);
  if (methods === undefined) {
    methods = [];
    methodsByOwner.set(owner, methods);
  }
  if (!methods.includes(method)) methods.push(method);
  if (!method.isStatic) {
    const cls = (owner as { constructor?: unknown }).constructor;
    if (typeof cls === 'function' && !classes.has(cls as abstract new () => unknown)) {
      const added = cls as abstract new (...args: never[]) => unknown;
      classes.add(added);
      for (const listener of listeners) listener(added);
    }
  }
}

/** Every instrumented instance method of `instance`: its class's and its ancestors'. */
export function instrumentedMethodsOf(instance: object): InstrumentedMethod[] {
  const found: InstrumentedMethod[] = [];
  for (let owner = Object.getPrototypeOf(instance) as object | null; owner !== null; owner = Object.getPrototypeOf(owner)) {
    const methods = methodsByOwner.get(owner);
    if (methods !== undefined) found.push(...methods);
  }
  return found;
}

/**
 * The classes that declare decorated instance methods, known so far. With legacy
 * (`experimentalDecorators`) decorators a class is known as soon as it is defined; with
 * standard decorators, once its first instance is constructed.
 */
export function instrumentedClasses(): readonly (abstract new (...args: never[]) => unknown)[] {
  return [...classes];
}

/**
 * Calls `listener` with each class that becomes instrumented from now on. Returns a
 * function that stops the calls.
 */
export function onInstrumentedClass(listener: (cls: abstract new (...args: never[]) => unknown) => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}
