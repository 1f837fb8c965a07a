import type { MetricFamily } from '../model/index.js';
import { negotiateFormat } from './accept-negotiation.js';
import { contentTypeFor, type ExpositionFormat } from './content-type.js';
import { encode } from './encode.js';
import { filterFamilies } from './family-filter.js';

/** Anything that collects families on demand; a `Registry` is one. */
export interface ScrapeSource {
  /** Collects the families of one scrape; `names` is a hint the source may ignore. */
  collect(options?: { names?: readonly string[] }): Promise<{ families: MetricFamily[] }>;
}

/** What the scraper asked for. */
export interface ScrapeOptions {
  /** The request's `Accept` header (decides the format). */
  readonly accept?: string | null;
  /** The request's `name[]` values; absent or empty means every sample. */
  readonly names?: readonly string[];
}

/** One encoded scrape. */
export interface ScrapeResult {
  /** The format negotiated from `accept`. */
  readonly format: ExpositionFormat;
  /** The `Content-Type` header to send with `body`. */
  readonly contentType: string;
  /** The encoded exposition. */
  readonly body: string;
}

/**
 * Collects from `source` and encodes the result the way the scraper asked: the format
 * negotiated from `accept`, restricted to the `names` samples. For servers other than
 * promkit's own (`http/`), e.g. a Fastify or Koa route.
 *
 * @example
 * ```ts
 * const { contentType, body } = await scrape(registry, { accept: req.headers.accept });
 * reply.header('Content-Type', contentType).send(body);
 * ```
 */
export async function scrape(source: ScrapeSource, options: ScrapeOptions = {}): Promise<ScrapeResult> {
  const format = negotiateFormat(options.accept);
  const names = options.names !== undefined && options.names.length > 0 ? options.names : undefined;
  const { families } = await source.collect(names === undefined ? {} : { names });
  // The source may not know `names` (any object with collect() will do); when it already
  // filtered, this pass keeps every family as it is.
  const selected = names === undefined ? families : filterFamilies(families, names);
  return { format, contentType: contentTypeFor(format), body: encode(selected, format) };
}
