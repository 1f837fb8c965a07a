export * from './decorator-options.js';
export { exceptionLabelOf, NO_EXCEPTION } from './exception-label.js';
export { CLASS_LABEL, METHOD_LABEL, EXCEPTION_LABEL, RESULT_LABEL } from './metric-definition.js';
export type { DecoratorKind, DecoratorErrorReason, InstrumentKind, MethodObjective, MetricDefinition } from './decorator-types.js';
export { declaredMetrics } from './metric-definition.js';
export { declaredObjectives } from './objective.js';
export type { DeclaredObjective } from './objective.js';
export { MetricsRuntime, DECORATOR_ERRORS_METRIC, defaultMetricsRuntime } from './metrics-runtime.js';
export type { MetricsRuntimeOptions } from './metrics-runtime.js';
export {
  METRICS_RUNTIME_KEY,
  metricsRuntimeOf,
  bindMetricsRuntime,
  adoptInstance,
  noteContainerRuntime,
} from './instance-runtime.js';
export { instrumentedClasses, hasInstrumentedMethods, learnClassNames } from './instrumented-classes.js';
export { InvalidDecoratorTargetError } from './method-decorator.js';
export type { MethodMetricDecorator, StandardMethodContext, StandardClassContext, AnyClass } from './method-decorator.js';
export { Unmeasured } from './unmeasured.js';
export type { UnmeasuredDecorator } from './unmeasured.js';
export { Timed, TIMED_METRIC } from './timed.js';
export { LONG_TASK_METRIC, LONG_TASK_SUFFIXES } from './long-task.js';
export { Counted, COUNTED_METRIC, SUCCESS_RESULT, FAILURE_RESULT } from './counted.js';
export { Gauged, GAUGED_METRICS } from './gauged.js';
export { ExceptionCounted, EXCEPTIONS_METRIC } from './exception-counted.js';
