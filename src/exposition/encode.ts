import type { MetricFamily } from '../model/index.js';
import type { ExpositionFormat, TextFormat } from './content-type.js';
import { encodeOpenMetrics, encodeOpenMetricsChunks } from './openmetrics-encoder.js';
import { encodeProtobuf, encodeProtobufChunks } from './protobuf-encoder.js';
import { encodeText, encodeTextChunks } from './text-encoder.js';

import { DEFAULT_CHUNK_SIZE } from './chunk-size.js';

export { DEFAULT_CHUNK_SIZE };

/** A piece of an encoded body: text for the text formats, bytes for protobuf. */
export type ScrapeChunk = string | Uint8Array;

/**
 * Encodes families in the given format ({@link encodeText}, {@link encodeOpenMetrics}, or
 * as bytes {@link encodeProtobuf}).
 */
export function encode(families: Iterable<MetricFamily>, format: TextFormat): string;
/** Encodes families as delimited protobuf messages. */
export function encode(families: Iterable<MetricFamily>, format: 'protobuf'): Uint8Array;
/** Encodes families in any format: a string for the text formats, bytes for protobuf. */
export function encode(families: Iterable<MetricFamily>, format: ExpositionFormat): ScrapeChunk;
export function encode(families: Iterable<MetricFamily>, format: ExpositionFormat): ScrapeChunk {
  if (format === 'protobuf') return encodeProtobuf(families);
  return format === 'openmetrics' ? encodeOpenMetrics(families) : encodeText(families);
}

/**
 * Encodes families incrementally: yields the output in pieces of about `chunkSize`
 * characters (bytes for protobuf), each ending at a line end (a family's end for
 * protobuf), so a caller can write a huge registry piece by piece and yield to the event
 * loop in between. The concatenation of the pieces equals {@link encode}'s output.
 *
 * @example
 * ```ts
 * for (const piece of encodeChunks(families, 'openmetrics')) {
 *   if (!res.write(piece)) await once(res, 'drain');
 *   await new Promise((r) => setImmediate(r));
 * }
 * ```
 */
export function encodeChunks(families: Iterable<MetricFamily>, format: TextFormat, chunkSize?: number): Generator<string, void, undefined>;
/** Encodes families as delimited protobuf messages, in pieces of about `chunkSize` bytes. */
export function encodeChunks(families: Iterable<MetricFamily>, format: 'protobuf', chunkSize?: number): Generator<Uint8Array, void, undefined>;
/** Encodes families in any format, in pieces. */
export function encodeChunks(families: Iterable<MetricFamily>, format: ExpositionFormat, chunkSize?: number): Generator<ScrapeChunk, void, undefined>;
export function encodeChunks(
  families: Iterable<MetricFamily>,
  format: ExpositionFormat,
  chunkSize: number = DEFAULT_CHUNK_SIZE,
): Generator<ScrapeChunk, void, undefined> {
  if (format === 'protobuf') return encodeProtobufChunks(families, chunkSize);
  return format === 'openmetrics' ? encodeOpenMetricsChunks(families, chunkSize) : encodeTextChunks(families, chunkSize);
}
