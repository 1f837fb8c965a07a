import type { MetricFamily } from '../model/index.js';
import type { ExpositionFormat } from './content-type.js';
import { encodeOpenMetrics, encodeOpenMetricsChunks } from './openmetrics-encoder.js';
import { encodeText, encodeTextChunks } from './text-encoder.js';

import { DEFAULT_CHUNK_SIZE } from './chunk-size.js';

export { DEFAULT_CHUNK_SIZE };

/** Encodes families in the given format ({@link encodeText} or {@link encodeOpenMetrics}). */
export function encode(families: Iterable<MetricFamily>, format: ExpositionFormat): string {
  return format === 'openmetrics' ? encodeOpenMetrics(families) : encodeText(families);
}

/**
 * Encodes families incrementally: yields the output in pieces of about `chunkSize`
 * characters, each ending at a line end, so a caller can write a huge registry piece by
 * piece and yield to the event loop in between. The concatenation of the pieces equals
 * {@link encode}'s output.
 *
 * @example
 * ```ts
 * for (const piece of encodeChunks(families, 'openmetrics')) {
 *   if (!res.write(piece)) await once(res, 'drain');
 *   await new Promise((r) => setImmediate(r));
 * }
 * ```
 */
export function encodeChunks(
  families: Iterable<MetricFamily>,
  format: ExpositionFormat,
  chunkSize: number = DEFAULT_CHUNK_SIZE,
): Generator<string, void, undefined> {
  return format === 'openmetrics' ? encodeOpenMetricsChunks(families, chunkSize) : encodeTextChunks(families, chunkSize);
}
