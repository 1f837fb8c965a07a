import type { Registry } from '../registry/index.js';
import type { RecordedMethod } from './decorator-types.js';

/** The property of an instrumented wrapper listing the methods it (and the wrappers inside it) instrument. */
export const INSTRUMENTED_METHODS_KEY: unique symbol = Symbol('promkit.instrumentedMethods');

/** A function produced by a method decorator. */
export interface InstrumentedFunction {
  readonly [INSTRUMENTED_METHODS_KEY]: readonly RecordedMethod<Registry>[];
}

type AnyClass = abstract new (...args: never[]) => unknown;

/** Instrumented methods by the prototype (instance methods) or class (static methods) holding them. */
const methodsByOwner = new WeakMap<object, RecordedMethod<Registry>[]>();
/** Classes declaring at least one instrumented instance method, in definition order. */
const classes = new Set<AnyClass>();

/**
 * Records that `owner` (a prototype, or a class for static methods) holds `method`. For
 * prototypes, the class joins {@link instrumentedClasses}.
 */
export function registerInstrumentedMethod(owner: object, method: RecordedMethod<Registry>): void {
  let methods = methodsByOwner.get(owner);
  if (methods === undefined) {
    methods = [];
    methodsByOwner.set(owner, methods);
  }
  if (!methods.includes(method)) methods.push(method);
  if (!method.isStatic) {
    const cls = (owner as { constructor?: unknown }).constructor;
    if (typeof cls === 'function') classes.add(cls as AnyClass);
  }
}

/** Every instrumented instance method of `instance`: its class's and its ancestors'. */
export function instrumentedMethodsOf(instance: object): RecordedMethod<Registry>[] {
  const found: RecordedMethod<Registry>[] = [];
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
export function instrumentedClasses(): readonly AnyClass[] {
  return [...classes];
}

const declaresByPrototype = new WeakMap<object, boolean>();

/**
 * Whether instances of `cls` have decorated methods, told from the wrappers on its
 * prototype chain: known at class definition in both decorator modes (standard decorators
 * register a class only at its first construction). Private (`#`) methods are not seen.
 */
export function hasInstrumentedMethods(cls: unknown): boolean {
  if (typeof cls !== 'function') return false;
  const prototype = (cls as { prototype?: unknown }).prototype;
  if (typeof prototype !== 'object' || prototype === null) return false;
  let known = declaresByPrototype.get(prototype);
  if (known === undefined) {
    known = holdsWrapper(prototype);
    declaresByPrototype.set(prototype, known);
  }
  return known;
}

function holdsWrapper(prototype: object): boolean {
  for (let owner: object | null = prototype; owner !== null && owner !== Object.prototype; owner = Object.getPrototypeOf(owner)) {
    if (wrappedMethodsOf(owner).length > 0) return true;
  }
  return false;
}

/**
 * Gives the decorated methods of `cls` (instance and static) their `class` label without
 * constructing it: standard decorators learn it only at the first construction, and tools
 * reading the decorators' metadata (`promkit rules`) construct nothing. Anything that is not
 * a class is ignored.
 */
export function learnClassNames(cls: unknown): void {
  if (typeof cls !== 'function') return;
  const prototype = (cls as { prototype?: unknown }).prototype;
  if (typeof prototype === 'object' && prototype !== null) {
    const probe: object = Object.create(prototype);
    for (let owner: object | null = prototype; owner !== null && owner !== Object.prototype; owner = Object.getPrototypeOf(owner)) {
      for (const method of wrappedMethodsOf(owner)) method.resolveClassName(probe);
    }
  }
  for (const method of wrappedMethodsOf(cls)) method.resolveClassName(cls);
}

function wrappedMethodsOf(owner: object): RecordedMethod<Registry>[] {
  const found: RecordedMethod<Registry>[] = [];
  for (const key of Reflect.ownKeys(owner)) {
    const value: unknown = Object.getOwnPropertyDescriptor(owner, key)?.value;
    const methods = typeof value === 'function' ? (value as Partial<InstrumentedFunction>)[INSTRUMENTED_METHODS_KEY] : undefined;
    if (methods !== undefined) found.push(...methods);
  }
  return found;
}
