import type { DecoratorKind } from './decorator-types.js';

/** The property of a method function listing the class-level decorators it opted out of. */
const OPTED_OUT_KEY: unique symbol = Symbol('promkit.optedOut');

interface OptedOutFunction {
  readonly [OPTED_OUT_KEY]?: readonly DecoratorKind[];
}

const ALL_KINDS: readonly DecoratorKind[] = ['Timed', 'Counted', 'Gauged', 'ExceptionCounted'];

/**
 * Keeps a method out of class-level decorators: of all of them (`@Unmeasured()`), or of
 * the kinds named (`@Unmeasured('Timed')`). A method decorator on the method itself is not
 * affected. Works as a legacy and as a standard decorator, above or below other decorators.
 *
 * @example
 * ```ts
 * @Timed()
 * class OrderService {
 *   async place(order: Order): Promise<Receipt> { ... }   // timed
 *   @Unmeasured()
 *   toString(): string { ... }                           // not timed
 * }
 * ```
 */
export function Unmeasured(...kinds: DecoratorKind[]): UnmeasuredDecorator {
  const excluded = kinds.length === 0 ? ALL_KINDS : kinds;
  function decorate(target: unknown, key: unknown, descriptor?: PropertyDescriptor): void {
    const fn: unknown = typeof key === 'object' && key !== null ? target : descriptor?.value;
    if (typeof fn === 'function') markOptedOut(fn, excluded);
  }
  return decorate as UnmeasuredDecorator;
}

/** `@Unmeasured()`, in either decorator mode, on methods only. */
export interface UnmeasuredDecorator {
  /** Legacy (`experimentalDecorators`) form. */
  <T>(target: object, propertyKey: string | symbol, descriptor: TypedPropertyDescriptor<T>): void;
  /** TC39 standard form. */
  (value: (...args: never[]) => unknown, context: { readonly kind: 'method' }): void;
}

/** Adds `kinds` to what `fn` opted out of. */
export function markOptedOut(fn: object, kinds: readonly DecoratorKind[]): void {
  const before = (fn as OptedOutFunction)[OPTED_OUT_KEY] ?? [];
  Object.defineProperty(fn, OPTED_OUT_KEY, { value: [...new Set([...before, ...kinds])], configurable: true });
}

/** Whether `fn` opted out of class-level `kind`. */
export function isOptedOut(fn: unknown, kind: DecoratorKind): boolean {
  return (fn as OptedOutFunction)[OPTED_OUT_KEY]?.includes(kind) === true;
}

/** What `fn` opted out of (carried to a wrapper made around it). */
export function optedOutKinds(fn: unknown): readonly DecoratorKind[] {
  return (fn as OptedOutFunction)[OPTED_OUT_KEY] ?? [];
}
