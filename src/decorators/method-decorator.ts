import { PromkitError } from '../model/index.js';
import type { MethodContext } from './call-recorder.js';
import { instrumentClassMethods, isGeneratorFunction } from './class-decorator.js';
import type { DecoratorOptionsView } from './decorator-options.js';
import type { DecoratorKind, MethodRecorder, SeriesLabels } from './decorator-types.js';
import { noteConstructed } from './instance-runtime.js';
import { INSTRUMENTED_METHODS_KEY, registerInstrumentedMethod, type InstrumentedFunction } from './instrumented-classes.js';
import { InstrumentedMethod, constructorNameOf } from './instrumented-method.js';
import { buildDefinition, claimMetricName, type DefinitionBase } from './metric-definition.js';
import { defaultMetricsRuntime } from './metrics-runtime.js';
import { noteObjective } from './objective.js';
import { markOptedOut, optedOutKinds } from './unmeasured.js';

/**
 * A decorator was put on something it cannot instrument (a getter, setter, field,
 * accessor, class or generator method). Thrown at class definition time.
 */
export class InvalidDecoratorTargetError extends PromkitError {
  constructor(decorator: DecoratorKind, where: string, reason: string) {
    super(`@${decorator}() cannot decorate ${where}: ${reason}`);
  }
}

/**
 * A method decorator that works both as a TypeScript legacy decorator
 * (`experimentalDecorators`, what inversify uses) and as a TC39 standard decorator
 * (TypeScript >= 5 without that flag); it finds out which from its arguments. `A` is the
 * argument list its `labelsFrom` takes: the decorated method must take arguments of that
 * type (any method, when `labelsFrom` does not say).
 *
 * On a class, it instruments every own method of the class (see `instrumentClassMethods`):
 * a method's own decorator of the same kind wins, and `@Unmeasured()` opts a method out.
 */
export interface MethodMetricDecorator<A extends readonly unknown[] = readonly unknown[]> {
  /** Legacy (`experimentalDecorators`) form. */
  <T>(target: object, propertyKey: string | symbol, descriptor: TypedPropertyDescriptor<T> & ArgumentsMatch<T, A>): TypedPropertyDescriptor<T> | void;
  /** TC39 standard form. */
  <This, F extends (this: This, ...args: never[]) => unknown>(value: F & ArgumentsMatch<F, A>, context: StandardMethodContext<This>): F | void;
  /** Legacy class form: every own method of the class. */
  <C extends AnyClass>(target: C): C | void;
  /** TC39 standard class form: every own method of the class. */
  <C extends AnyClass>(value: C, context: StandardClassContext): C | void;
}

/** A class a decorator can be put on. */
export type AnyClass = abstract new (...args: never[]) => unknown;

/** The part of TC39's `ClassDecoratorContext` the decorators use. */
export interface StandardClassContext {
  readonly kind: 'class';
  readonly name: string | undefined;
}

/**
 * Nothing when method `F`'s arguments are of type `A`; else a property no method has,
 * so that the compiler rejects the decoration and names the expected arguments.
 */
export type ArgumentsMatch<F, A extends readonly unknown[]> = F extends (...args: infer P) => unknown
  ? [P] extends [A]
    ? unknown
    : { readonly 'labelsFrom expects the method to take': A }
  : unknown;

/**
 * The part of TC39's `ClassMethodDecoratorContext` the decorators use. Declared here
 * (rather than using the lib type, whose constraint is written with `any`) so that only
 * methods type-check: getters, setters and fields are rejected by the compiler already.
 */
export interface StandardMethodContext<This> {
  readonly kind: 'method';
  readonly name: string | symbol;
  readonly static: boolean;
  readonly private: boolean;
  addInitializer(initializer: (this: This) => void): void;
}

/** A method as the decorators handle it. */
export type AnyMethod = (this: unknown, ...args: unknown[]) => unknown;

interface StandardContext {
  readonly kind: string;
  readonly name: string | symbol;
  readonly static: boolean;
  readonly private: boolean;
  addInitializer(initializer: (this: unknown) => void): void;
}

/** What a decorator factory (`Timed()`, ...) hands to {@link createMethodDecorator}. */
export interface DecoratorSpec {
  readonly base: DefinitionBase;
  readonly options: DecoratorOptionsView;
  /** Builds the method's recorder in one runtime; `original` is the undecorated method. */
  readonly createRecorder: (context: MethodContext, original: AnyMethod) => MethodRecorder;
  /** Why the decorator cannot go on a class, when it cannot (e.g. a mode reading one method's result). */
  readonly notOnClass?: string;
  /** Checks the decorated method itself (e.g. that it takes no argument); throws `InvalidDecoratorTargetError`. */
  readonly checkMethod?: (method: AnyMethod, where: string) => void;
  /** Whether the recorder's series are computed at scrape time (long-task timers, scrape-time gauges). */
  readonly scrapeTime?: boolean;
}

/** Builds the legacy-or-standard decorator of one `@Timed()`/`@Counted()`/... application. */
export function createMethodDecorator(spec: DecoratorSpec): MethodMetricDecorator {
  function decorate(target: unknown, key: unknown, descriptor?: unknown): unknown {
    if (isStandardContext(key)) return key.kind === 'class' ? decorateClass(spec, target, key.name) : decorateStandard(spec, target, key);
    if (key === undefined && typeof target === 'function') return decorateClass(spec, target, undefined);
    return decorateLegacy(spec, target as object, key as string | symbol, descriptor as PropertyDescriptor | undefined);
  }
  return decorate as MethodMetricDecorator;
}

function isStandardContext(value: unknown): value is StandardContext {
  return typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string';
}

function decorateClass(spec: DecoratorSpec, cls: unknown, name: string | symbol | undefined): undefined {
  const className = spec.options.className ?? (typeof name === 'string' ? name : (cls as { name?: string }).name ?? '(class)');
  if (spec.notOnClass !== undefined) throw new InvalidDecoratorTargetError(spec.base.decorator, `class ${className}`, spec.notOnClass);
  // Class decorators run once the methods are defined (after their own decorators), in
  // both modes: each method is instrumented on the prototype as a legacy decorator would.
  instrumentClassMethods(cls, spec.base.decorator, (prototype, key, descriptor) => decorateLegacy(spec, prototype, key, descriptor));
  return undefined;
}

function decorateLegacy(spec: DecoratorSpec, target: object, key: string | symbol, descriptor: PropertyDescriptor | undefined): PropertyDescriptor {
  const isStatic = typeof target === 'function';
  const className = spec.options.className ?? (isStatic ? (target as { name: string }).name : constructorNameOf(target));
  const methodName = methodNameOf(key);
  const where = `${className}.${methodName}`;
  const decorator = spec.base.decorator;
  if (descriptor === undefined) {
    throw new InvalidDecoratorTargetError(decorator, where, 'it is a field; only methods can be instrumented');
  }
  if (descriptor.get !== undefined || descriptor.set !== undefined) {
    throw new InvalidDecoratorTargetError(decorator, where, `it is ${descriptor.get !== undefined ? 'a getter' : 'a setter'}; only methods can be instrumented`);
  }
  const original = descriptor.value as unknown;
  if (typeof original !== 'function') {
    throw new InvalidDecoratorTargetError(decorator, where, 'it is not a method');
  }
  assertNotGenerator(decorator, where, original);
  spec.checkMethod?.(original as AnyMethod, where);
  const method = defineMethod(spec, where, methodName, key, isStatic, className, original as AnyMethod);
  const wrapper = instrument(original as AnyMethod, method, spec.scrapeTime === true);
  registerInstrumentedMethod(target, method);
  // Static methods always record into the default registry: their series exist from the
  // class's definition. An instance's exist once it is tied to a runtime (its first call
  // or its activation: legacy decorators have no construction hook).
  if (isStatic) defaultMetricsRuntime().recorderOf(method)?.attach?.(target);
  return { ...descriptor, value: wrapper };
}

function decorateStandard(spec: DecoratorSpec, value: unknown, context: StandardContext): unknown {
  const decorator = spec.base.decorator;
  const methodName = methodNameOf(context.name);
  const where = `${spec.options.className ?? '(class)'}.${methodName}`;
  if (context.kind !== 'method') {
    const what = context.kind === 'accessor' ? 'an auto-accessor' : context.kind === 'class' ? 'a class' : `a ${context.kind}`;
    throw new InvalidDecoratorTargetError(decorator, where, `it is ${what}; only methods can be instrumented`);
  }
  if (typeof value !== 'function') throw new InvalidDecoratorTargetError(decorator, where, 'it is not a method');
  assertNotGenerator(decorator, where, value);
  spec.checkMethod?.(value as AnyMethod, where);
  const method = defineMethod(spec, where, methodName, context.name, context.static, spec.options.className, value as AnyMethod);
  const wrapper = instrument(value as AnyMethod, method, spec.scrapeTime === true);
  let registered = false;
  // Standard decorators do not see the class of an instance method: learn it when the
  // first instance is constructed. Each construction is where an instance made outside
  // any container gets its series (in the default registry). Static initializers run once
  // the class is defined: static methods record into the default registry.
  context.addInitializer(function (this: unknown) {
    if (!registered) {
      registered = true;
      method.resolveClassName(this);
      const owner = method.ownerIn(this);
      if (owner !== undefined) registerInstrumentedMethod(owner, method);
      if (context.static && typeof this === 'function') defaultMetricsRuntime().recorderOf(method)?.attach?.(this);
    }
    if (!context.static) noteConstructed(this, method);
  });
  return wrapper;
}

function defineMethod(
  spec: DecoratorSpec,
  where: string,
  methodName: string,
  key: string | symbol,
  isStatic: boolean,
  className: string | undefined,
  original: AnyMethod,
): InstrumentedMethod {
  const definition = buildDefinition(spec.base, spec.options, where);
  claimMetricName(definition, where);
  const method = new InstrumentedMethod(definition, methodName, key, isStatic, className, (context) => spec.createRecorder(context, original));
  noteObjective(method);
  return method;
}

function assertNotGenerator(decorator: DecoratorKind, where: string, fn: unknown): void {
  if (isGeneratorFunction(fn)) {
    throw new InvalidDecoratorTargetError(
      decorator,
      where,
      'it is a generator method; its body runs on iteration, not on the call, so it cannot be measured per call',
    );
  }
}

function methodNameOf(key: string | symbol): string {
  return typeof key === 'symbol' ? `[${key.description ?? 'symbol'}]` : key;
}

/**
 * Wraps `original` so each call is recorded by `method`'s recorder for the instance's
 * runtime. Sync calls stay sync (no Promise, no closure); a returned native Promise is
 * recorded when it settles and the caller gets a Promise with the same outcome (an
 * unhandled rejection stays unhandled). Only native Promises count as asynchronous:
 * other thenables (query builders...) are returned untouched, since calling their
 * `then` could start work.
 */
function instrument(original: AnyMethod, method: InstrumentedMethod, scrapeTime: boolean): AnyMethod {
  const wrapper = scrapeTime
    ? withScrapeTimeRecorder(original, method)
    : method.definition.callLabelNames.length > 0
      ? withCallLabels(original, method)
      : withFixedLabels(original, method);
  Object.defineProperty(wrapper, 'name', { value: original.name, configurable: true });
  Object.defineProperty(wrapper, 'length', { value: original.length, configurable: true });
  const inner = (original as Partial<InstrumentedFunction>)[INSTRUMENTED_METHODS_KEY] ?? [];
  Object.defineProperty(wrapper, INSTRUMENTED_METHODS_KEY, { value: [method, ...inner] });
  const optedOut = optedOutKinds(original);
  if (optedOut.length > 0) markOptedOut(wrapper, optedOut);
  copyReflectMetadata(original, wrapper);
  return wrapper;
}

// The hot path. `arguments` is only ever handed to `apply`, which V8 does without
// materializing it: a sync call allocates nothing here.
function withFixedLabels(original: AnyMethod, method: InstrumentedMethod): AnyMethod {
  const unrecorded = method.unrecorded(original);
  return function (this: unknown): unknown {
    const recorder = method.recorderFor(this);
    if (recorder === null) return unrecorded.apply(this, arguments as unknown as unknown[]);
    const start = recorder.enter(undefined);
    let result: unknown;
    try {
      result = original.apply(this, arguments as unknown as unknown[]);
    } catch (error) {
      recorder.exit(start, undefined, true, error);
      throw error;
    }
    if (result instanceof Promise) return settled(recorder, result, start, undefined);
    recorder.exit(start, undefined, false, result);
    return result;
  };
}

// Methods with `labelNames`: each call computes its label set (an object per call, by nature).
function withCallLabels(original: AnyMethod, method: InstrumentedMethod): AnyMethod {
  const unrecorded = method.unrecorded(original);
  return function (this: unknown): unknown {
    const recorder = method.recorderFor(this);
    if (recorder === null) return unrecorded.apply(this, arguments as unknown as unknown[]);
    const labels = recorder.callLabels(arguments, this);
    const start = recorder.enter(labels);
    let result: unknown;
    try {
      result = original.apply(this, arguments as unknown as unknown[]);
    } catch (error) {
      recorder.exit(start, labels, true, error);
      throw error;
    }
    if (result instanceof Promise) return settled(recorder, result, start, labels);
    recorder.exit(start, labels, false, result);
    return result;
  };
}

// Long-task timers and scrape-time gauges, which do not care how a call ended: call sites
// of their own, so the ordinary wrappers' calls into recorders keep seeing only the four
// ordinary recorder classes.
function withScrapeTimeRecorder(original: AnyMethod, method: InstrumentedMethod): AnyMethod {
  const unrecorded = method.unrecorded(original);
  return function (this: unknown): unknown {
    const recorder = method.recorderFor(this);
    if (recorder === null) return unrecorded.apply(this, arguments as unknown as unknown[]);
    const labels = recorder.perCallLabels ? recorder.callLabels(arguments, this) : undefined;
    const start = recorder.enter(labels);
    let result: unknown;
    try {
      result = original.apply(this, arguments as unknown as unknown[]);
    } catch (error) {
      recorder.exit(start, labels, true, error);
      throw error;
    }
    if (result instanceof Promise) return result.finally(() => recorder.exit(start, labels, false, undefined));
    recorder.exit(start, labels, false, result);
    return result;
  };
}

function settled(recorder: MethodRecorder, promise: Promise<unknown>, start: number, labels: SeriesLabels | undefined): Promise<unknown> {
  return promise.then(
    (value) => {
      recorder.exit(start, labels, false, value);
      return value;
    },
    (error: unknown) => {
      recorder.exit(start, labels, true, error);
      throw error;
    },
  );
}

interface ReflectMetadataApi {
  getOwnMetadataKeys?(target: object): unknown[];
  getOwnMetadata?(key: unknown, target: object): unknown;
  defineMetadata?(key: unknown, value: unknown, target: object): void;
}

/**
 * Other decorators may have stored reflect-metadata on the method function itself (e.g.
 * `Reflect.defineMetadata(key, value, descriptor.value)`); the wrapper must carry it so
 * that they still find it. Metadata stored on (prototype, key) is not affected by
 * wrapping. Only done when `reflect-metadata` is loaded.
 */
function copyReflectMetadata(from: object, to: object): void {
  const api = Reflect as unknown as ReflectMetadataApi;
  if (typeof api.getOwnMetadataKeys !== 'function' || typeof api.getOwnMetadata !== 'function' || typeof api.defineMetadata !== 'function') return;
  for (const key of api.getOwnMetadataKeys(from)) {
    api.defineMetadata(key, api.getOwnMetadata(key, from), to);
  }
}
