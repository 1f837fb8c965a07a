/** `promkit/inversify`: the inversify 8 module (`MetricsModule`), its tokens, `MetricsScraper` and `MetricsServer`. */
export * from './metrics-tokens.js';
export * from './metrics-module-options.js';
export * from './metrics-scraper.js';
export * from './metrics-server.js';
export * from './metrics-module.js';
export * from './metrics-plugin.js';
// Exemplars from the active OpenTelemetry span when the OpenTelemetry API is installed (tuned via `promkit/opentelemetry`).
import '../opentelemetry/when-present.js';
