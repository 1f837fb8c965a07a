/**
 * The two text formats promkit writes: the Prometheus text format 0.0.4 (`text`) and
 * OpenMetrics 1.0.0 (`openmetrics`).
 */
export type ExpositionFormat = 'text' | 'openmetrics';

/** The `Content-Type` of the Prometheus text format 0.0.4. */
export const TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * The `Content-Type` of OpenMetrics 1.0.0. We always write 1.0.0, also to scrapers that
 * asked for the pre-release `version=0.0.1` (what Prometheus 2.x parses either way).
 */
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

/** The `Content-Type` header value for a format. */
export function contentTypeFor(format: ExpositionFormat): string {
  return format === 'openmetrics' ? OPENMETRICS_CONTENT_TYPE : TEXT_CONTENT_TYPE;
}
