import { validateConstantLabels, validateMetricPrefix } from '../model/index.js';
import { frozenCopy } from '../model/frozen-copy.js';
import { BucketLayout } from '../metrics/buckets.js';
import { defaultRegistry, type Registry } from '../registry/index.js';
import type { DecoratorErrorReason, DecoratorErrorReporter, MethodRecorder, RecordedMethod, SeriesLabels } from './decorator-types.js';
import { registerCounter, type ErrorCounter } from './instrument-registration.js';
import { instrumentedMethodsOf } from './instrumented-classes.js';

export type { DecoratorErrorReason };

/** The counter of decorator failures each registry gets when the first one happens. */
export const DECORATOR_ERRORS_METRIC = 'promkit_decorator_errors';

/** Options of a {@link MetricsRuntime}. */
export interface MetricsRuntimeOptions {
  /** Where the decorated methods record. Default: the default registry. */
  readonly registry?: Registry;
  /** Put before every decorator metric name (e.g. `orders_` gives `orders_method_timed_seconds`). */
  readonly prefix?: string;
  /**
   * Labels added to every decorator series (use them when the registry is not yours to
   * configure; a `Registry`'s own `defaultLabels` cover all its metrics). A decorator's own
   * label of the same name wins. The rules of a registry's `defaultLabels` apply (no `le`,
   * `quantile` or `__*`), checked when the runtime is created.
   */
  readonly constantLabels?: Readonly<Record<string, string>>;
  /** Buckets of `@Timed()` histograms that do not set their own. */
  readonly defaultBuckets?: readonly number[];
}

/**
 * Where decorated methods record: one registry plus the container's prefix, constant
 * labels and default buckets. Builds each method's instruments once, on first use (or
 * when an instance is bound to it), and caches them; reports internal failures.
 *
 * One runtime exists per loaded `MetricsModule`, plus the default runtime (the default
 * registry, no prefix) used by instances created outside any container.
 *
 * @example
 * ```ts
 * const runtime = new MetricsRuntime({ registry, prefix: 'shop_' });
 * const service = bindMetricsRuntime(new OrderService(repo), runtime);
 * ```
 */
export class MetricsRuntime implements DecoratorErrorReporter {
  readonly registry: Registry;
  readonly prefix: string;
  readonly constantLabels: Readonly<Record<string, string>>;
  readonly defaultBuckets: readonly number[] | undefined;
  private readonly recorders = new Map<RecordedMethod<Registry>, MethodRecorder | null>();
  private readonly warned = new Set<string>();
  private errors: ErrorCounter | null | undefined;

  constructor(options: MetricsRuntimeOptions = {}) {
    this.registry = options.registry ?? defaultRegistry;
    this.prefix = options.prefix ?? '';
    validateMetricPrefix(this.prefix);
    this.constantLabels = validateConstantLabels('(MetricsRuntime constantLabels)', options.constantLabels ?? {});
    // A copy, checked here (the histograms' own rule): a bad list fails now, not at each method's first call.
    const defaultBuckets = frozenCopy(options.defaultBuckets);
    if (defaultBuckets !== undefined) new BucketLayout('(MetricsRuntime defaultBuckets)', defaultBuckets);
    this.defaultBuckets = defaultBuckets;
  }

  /**
   * The recorder of `method` in this runtime, built (metric registered, series created at
   * zero) on first request; `null` when that failed (reported once, the method then runs
   * unmeasured in this runtime).
   */
  recorderOf(method: RecordedMethod<Registry>): MethodRecorder | null {
    const cached = this.recorders.get(method);
    if (cached !== undefined) return cached;
    const definition = method.definition;
    const metricName = this.prefix + definition.name;
    let recorder: MethodRecorder | null;
    try {
      recorder = method.createRecorder({
        reporter: this,
        registry: this.registry,
        definition,
        metricName,
        baseLabels: this.baseLabelsOf(method),
        familyLabelNames: [...definition.labelNames, ...this.extraLabelNames(definition.labelNames)],
        defaultBuckets: this.defaultBuckets,
      });
    } catch (error) {
      this.reportError(metricName, 'register', error);
      recorder = null;
    }
    this.recorders.set(method, recorder);
    return recorder;
  }

  /**
   * Creates, at zero, the series of every decorated method `instance` has (its class's
   * and inherited ones), so dashboards see them before the first call; scrape-time gauges
   * start reading the instance.
   */
  prepare(instance: object): void {
    for (const method of instrumentedMethodsOf(instance)) {
      method.resolveClassName(instance);
      this.recorderOf(method)?.attach?.(instance);
    }
  }

  /** Stops reading `instance` in this runtime's scrape-time gauges (it was tied to another runtime). */
  release(instance: object): void {
    for (const method of instrumentedMethodsOf(instance)) this.recorders.get(method)?.detach?.(instance);
  }

  /**
   * Reports a failure inside the decorators: a process warning the first time for each
   * (metric, reason), and `promkit_decorator_errors_total{metric, reason}` in this
   * runtime's registry every time. Never throws.
   */
  reportError(metric: string, reason: DecoratorErrorReason, error: unknown): void {
    const key = `${metric}\u0000${reason}`;
    if (!this.warned.has(key)) {
      this.warned.add(key);
      const message = error instanceof Error ? error.message : String(error);
      process.emitWarning(`promkit: decorator metric "${metric}" failed (${reason}); the method was not affected. ${message}`, {
        type: 'PromkitDecoratorWarning',
        code: `PROMKIT_DECORATOR_${reason.toUpperCase()}`,
      });
    }
    const counter = this.errorCounter();
    if (counter === null) return;
    try {
      counter.labels({ metric, reason }).inc();
    } catch {
      // Nothing left to report to; the warning above already told the user.
    }
  }

  private errorCounter(): ErrorCounter | null {
    if (this.errors === undefined) {
      try {
        this.errors = registerCounter(this.registry, {
          name: DECORATOR_ERRORS_METRIC,
          help: 'Failures inside promkit method decorators (the decorated methods were not affected), by metric and reason.',
          labelNames: ['metric', 'reason'],
        });
      } catch (error) {
        this.errors = null;
        process.emitWarning(`promkit: cannot register ${DECORATOR_ERRORS_METRIC}_total: ${error instanceof Error ? error.message : String(error)}`, {
          type: 'PromkitDecoratorWarning',
          code: 'PROMKIT_DECORATOR_ERRORS_METRIC',
        });
      }
    }
    return this.errors;
  }

  private baseLabelsOf(method: RecordedMethod<Registry>): SeriesLabels {
    const definition = method.definition;
    const labels: SeriesLabels = {};
    for (const name of this.extraLabelNames(definition.labelNames)) labels[name] = this.constantLabels[name];
    labels.class = method.className ?? '';
    labels.method = method.methodName;
    for (const name of definition.outcomeLabels) labels[name] = '';
    for (const [name, value] of Object.entries(definition.constantLabels)) labels[name] = value;
    return labels;
  }

  /** Label names the runtime adds to a definition's own. */
  extraLabelNames(labelNames: readonly string[]): string[] {
    return Object.keys(this.constantLabels).filter((name) => !labelNames.includes(name));
  }
}

let defaultRuntime: MetricsRuntime | undefined;

/** The runtime of instances not bound to any container: the default registry, no prefix. */
export function defaultMetricsRuntime(): MetricsRuntime {
  if (defaultRuntime === undefined) defaultRuntime = new MetricsRuntime({ registry: defaultRegistry });
  return defaultRuntime;
}
