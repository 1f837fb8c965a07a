/**
 * The formats promkit writes: the Prometheus text format 0.0.4 (`text`), OpenMetrics
 * 1.0.0 (`openmetrics`) and the delimited protobuf format (`protobuf`), the only one that
 * carries native histograms.
 */
export type ExpositionFormat = TextFormat | 'protobuf';

/** The two text formats: what {@link encode} writes as a string. */
export type TextFormat = 'text' | 'openmetrics';

/** Every format, in the order a tie between them is broken when the client gives none. */
export const EXPOSITION_FORMATS: readonly ExpositionFormat[] = Object.freeze(['text', 'openmetrics', 'protobuf']);

/** The text formats only: for a caller that can only send a string. */
export const TEXT_FORMATS: readonly TextFormat[] = Object.freeze(['text', 'openmetrics']);

/** The `Content-Type` of the Prometheus text format 0.0.4. */
export const TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * The `Content-Type` of OpenMetrics 1.0.0. We always write 1.0.0, also to scrapers that
 * asked for the pre-release `version=0.0.1` (what Prometheus 2.x parses either way).
 */
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

/** The `Content-Type` of the delimited protobuf format (client_golang spells it so). */
export const PROTOBUF_CONTENT_TYPE = 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';

/** The `Content-Type` header value for a format. */
export function contentTypeFor(format: ExpositionFormat): string {
  return format === 'openmetrics' ? OPENMETRICS_CONTENT_TYPE : format === 'protobuf' ? PROTOBUF_CONTENT_TYPE : TEXT_CONTENT_TYPE;
}
