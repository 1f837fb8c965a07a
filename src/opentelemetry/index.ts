/**
 * The `promkit/opentelemetry` entry point: tunes the exemplars that counters and histograms
 * (and so `@Timed`, `@Counted` and the HTTP request metrics) take from the active
 * OpenTelemetry span. Importing `promkit` already turns them on when `@opentelemetry/api`
 * is installed; only this part of promkit loads OpenTelemetry.
 *
 * @module opentelemetry
 */
export { configureTraceExemplars, traceExemplarsActive } from './trace-exemplars.js';
export type { TraceExemplarOptions } from './trace-exemplars.js';
export type { ExemplarClock } from './exemplar-clock.js';
