import { Counter, DEFAULT_BUCKETS, Gauge, Histogram, Summary } from '../metrics/index.js';
import type { Registry } from '../registry/index.js';
import type { MethodContext } from './call-recorder.js';
import type { CountingSeries, GaugeSeries, LabelledInstrument, ObservingSeries } from './decorator-types.js';

/** The `promkit_decorator_errors_total` counter. */
export type ErrorCounter = LabelledInstrument<CountingSeries>;

interface InstrumentShape {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly maxSeries?: number;
  readonly seriesTtlSeconds?: number;
}

function shapeOf(context: MethodContext): InstrumentShape {
  const { help, limits } = context.definition;
  return { name: context.metricName, help, labelNames: context.familyLabelNames, maxSeries: limits.maxSeries, seriesTtlSeconds: limits.seriesTtlSeconds };
}

/**
 * Gets or creates in `registry` the counter `shape` describes. The instrument is built
 * unregistered and handed to `registry.register`, which returns the already registered
 * instrument of the same definition when there is one (get-or-create) and throws on a
 * conflicting one.
 */
export function registerCounter(registry: Registry, shape: InstrumentShape): LabelledInstrument<CountingSeries> {
  return registry.register(new Counter<string>({ ...shape, registry: null }));
}

/** The histogram (or, with `percentiles`, the summary) of a `@Timed()` method. */
export function registerTimer(context: MethodContext): LabelledInstrument<ObservingSeries> {
  const shape = shapeOf(context);
  const { percentiles, buckets, native } = context.definition;
  const registry = context.registry;
  if (percentiles !== undefined) {
    return registry.register(new Summary<string>({ ...shape, percentiles, registry: null }));
  }
  // The classic buckets always stay beside native ones: objectives' rules and Prometheus without native histograms read them.
  const effectiveBuckets = buckets ?? context.defaultBuckets ?? DEFAULT_BUCKETS;
  return registry.register(new Histogram<string>(native === undefined ? { ...shape, buckets: effectiveBuckets, registry: null } : { ...shape, buckets: effectiveBuckets, native, registry: null }));
}

/** The counter of a `@Counted()` or `@ExceptionCounted()` method. */
export function registerMethodCounter(context: MethodContext): LabelledInstrument<CountingSeries> {
  return registerCounter(context.registry, shapeOf(context));
}

/** The gauge of a `@Gauged()` method. */
export function registerGauge(context: MethodContext): LabelledInstrument<GaugeSeries> {
  return context.registry.register(new Gauge<string>({ ...shapeOf(context), registry: null }));
}
