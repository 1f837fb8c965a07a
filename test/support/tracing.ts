import { context, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, type Sampler } from '@opentelemetry/sdk-trace-base';

/** A tracer of the real OpenTelemetry SDK whose spans `sampler` samples (or not). */
export function tracerWith(sampler: Sampler): Tracer {
  return new BasicTracerProvider({ sampler }).getTracer('promkit-test');
}

/**
 * Registers the real AsyncLocalStorage context manager as the global one, so that
 * `startActiveSpan` makes spans active; returns it (to register again after a test
 * unregistered it) and what unregisters it.
 */
export function useAsyncContext(): { manager: AsyncLocalStorageContextManager; stop: () => void } {
  const manager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(manager);
  return { manager, stop: () => context.disable() };
}
