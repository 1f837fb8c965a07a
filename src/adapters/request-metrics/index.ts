export * from './request-labels.js';
export * from './request-metrics-options.js';
export * from './http-request-metrics.js';
export * from './request-exchange.js';
// Exemplars from the active OpenTelemetry span when the OpenTelemetry API is installed (tuned via `promkit/opentelemetry`).
import '../../opentelemetry/when-present.js';
