/**
 * The `promkit` entry point: instruments, registry, exposition, HTTP, push, collectors and
 * decorators. The inversify module lives at `promkit/inversify` (`src/di/`), so that only
 * programs using it load inversify.
 *
 * @module promkit
 */
export * from './model/index.js';
export * from './metrics/index.js';
export * from './registry/index.js';
export * from './exposition/index.js';
export * from './collectors/index.js';
export * from './http/index.js';
export * from './push/index.js';
export * from './decorators/index.js';
// Exemplars from the active OpenTelemetry span when the OpenTelemetry API is installed (tuned via `promkit/opentelemetry`).
import './opentelemetry/when-present.js';
