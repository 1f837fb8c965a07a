// Imported by the `promkit` entry point for this effect alone: exemplars from the active
// span with no set-up beyond the application's own tracing, as client_java does when it
// finds OpenTelemetry. Without `@opentelemetry/api` nothing is installed and recording
// stays as it was.
import { configureTraceExemplars } from './trace-exemplars.js';

configureTraceExemplars();
