import type { DecoratorKind } from './decorator-types.js';
import { INSTRUMENTED_METHODS_KEY, type InstrumentedFunction } from './instrumented-classes.js';
import { isOptedOut } from './unmeasured.js';

const GeneratorFunction = Object.getPrototypeOf(function* () {}).constructor as abstract new () => unknown;
const AsyncGeneratorFunction = Object.getPrototypeOf(async function* () {}).constructor as abstract new () => unknown;

/** Instruments one method of a class-level decoration: the method decorator's legacy path. */
export type MethodInstrumenter = (prototype: object, key: string | symbol, descriptor: PropertyDescriptor) => PropertyDescriptor;

/**
 * Applies a class-level `@Timed()`/`@Counted()`/... to every own method of `cls`'s
 * prototype: not the constructor, accessors, fields, static methods or generator methods
 * (their body runs on iteration, not on the call). A method is skipped when it carries its
 * own decorator of the same kind (its options win) or opted out with `@Unmeasured()`.
 * Methods are instrumented in place on the prototype, as a method decorator would, so both
 * decorator modes behave the same from here on.
 */
export function instrumentClassMethods(cls: unknown, kind: DecoratorKind, instrumentMethod: MethodInstrumenter): void {
  const prototype = (cls as { prototype?: unknown }).prototype;
  if (typeof prototype !== 'object' || prototype === null) return;
  for (const key of Reflect.ownKeys(prototype)) {
    if (key === 'constructor') continue;
    const descriptor = Object.getOwnPropertyDescriptor(prototype, key);
    const fn: unknown = descriptor?.value;
    if (descriptor === undefined || typeof fn !== 'function') continue;
    if (isGeneratorFunction(fn)) continue;
    if (isOptedOut(fn, kind) || hasOwnDecorator(fn, kind)) continue;
    Object.defineProperty(prototype, key, instrumentMethod(prototype, key, descriptor));
  }
}

function hasOwnDecorator(fn: unknown, kind: DecoratorKind): boolean {
  const methods = (fn as Partial<InstrumentedFunction>)[INSTRUMENTED_METHODS_KEY];
  return methods !== undefined && methods.some((method) => method.definition.decorator === kind);
}

/** Whether `fn` is a generator (or async generator) function. */
export function isGeneratorFunction(fn: unknown): boolean {
  return fn instanceof GeneratorFunction || fn instanceof AsyncGeneratorFunction;
}
