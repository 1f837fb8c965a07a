import { acceptFamilySteps, InvalidFamilyError, sampleNamesOf, type MetricFamily } from '../model/index.js';
import { isVouchedFamily } from '../model/vouched-families.js';
import { Registry } from '../registry/index.js';
import { CollectTurns, DEFAULT_SLICE_MILLISECONDS } from '../registry/collect-turns.js';
import { negotiateFormat } from './accept-negotiation.js';
import { DEFAULT_CHUNK_SIZE } from './chunk-size.js';
import { contentTypeFor, TEXT_FORMATS, type ExpositionFormat } from './content-type.js';
import { encodeChunks, type ScrapeChunk } from './encode.js';
import { filterFamilies } from './family-filter.js';

/** What one scrape asks a source for. */
export interface ScrapeCollectOptions {
  /** Prometheus's `name[]` selection; a hint the source may ignore (the pipeline filters). */
  readonly names?: readonly string[];
  /** Aborted when the scraper hangs up. */
  readonly signal?: AbortSignal;
  /** The scraper's own timeout, in seconds (`X-Prometheus-Scrape-Timeout-Seconds`). */
  readonly scrapeTimeoutSeconds?: number;
}

/** Anything that collects families on demand; a `Registry` is one. */
export interface ScrapeSource {
  /** Collects the families of one scrape. */
  collect(options?: ScrapeCollectOptions): Promise<{ families: readonly MetricFamily[] }>;
}

/** What the scraper asked for. */
export interface ScrapeOptions extends ScrapeCollectOptions {
  /** The request's `Accept` header (decides the format). */
  readonly accept?: string | null;
  /** The size the body chunks aim at, in UTF-16 code units (bytes for protobuf). Default about 64 KiB. */
  readonly chunkSize?: number;
  /**
   * The formats the caller can send, default all three. A caller that can only send a
   * string leaves out `protobuf` (as {@link scrape} does).
   */
  readonly formats?: readonly ExpositionFormat[];
}

/** One scrape, collected and checked, ready to be encoded. */
export interface PreparedScrape {
  /** The format negotiated from `accept`. */
  readonly format: ExpositionFormat;
  /** The `Content-Type` header to send with the body. */
  readonly contentType: string;
  /** The families that will be written: every one checked, `name[]` applied. */
  readonly families: readonly MetricFamily[];
  /**
   * Families a source other than a `Registry` handed in that break the exposition rules,
   * left out of the body. (A `Registry` leaves them out itself and reports them in
   * `promkit_collector_success`.)
   */
  readonly rejected: readonly InvalidFamilyError[];
  /**
   * Encodes the body, in pieces of about `chunkSize` characters each ending at a line end
   * (for `protobuf`, byte arrays each ending at a family's end). Nothing here can fail on
   * account of the data: it was checked before this object was made, so a server may
   * send its status line first and stream the pieces after it.
   */
  chunks(): Generator<ScrapeChunk, void, undefined>;
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
 * The one scrape pipeline: negotiates the format from `accept`, collects from `source`,
 * checks every family (a `Registry` has checked its collectors' already; any other
 * source's are checked here, whatever their origin: a family that breaks a rule, or
 * exposes a sample name an earlier one did, is left out), applies the `name[]`
 * selection once, and hands back the body as pieces to encode. Collection and checks are
 * over when the promise resolves; only encoding is left, and it cannot fail.
 *
 * @example
 * ```ts
 * const scrape = await prepareScrape(registry, { accept: req.headers.accept });
 * res.writeHead(200, { 'Content-Type': scrape.contentType });
 * for (const piece of scrape.chunks()) res.write(piece);
 * res.end();
 * ```
 */
export async function prepareScrape(source: ScrapeSource, options: ScrapeOptions = {}): Promise<PreparedScrape> {
  const format = negotiateFormat(options.accept, options.formats);
  const names = options.names !== undefined && options.names.length > 0 ? options.names : undefined;
  const collected = await source.collect({
    ...(names === undefined ? {} : { names }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.scrapeTimeoutSeconds === undefined ? {} : { scrapeTimeoutSeconds: options.scrapeTimeoutSeconds }),
  });
  const given: unknown = collected?.families;
  if (!Array.isArray(given)) throw new InvalidFamilyError(undefined, 'the source did not collect an array of families');
  // A Registry checks each collector's families and applies name[] itself (it skips the
  // collectors that cannot match): its result is taken as it is, unless a subclass
  // collects its own way (what it adds is checked like any other source's).
  const trusted = source instanceof Registry && source.collect === Registry.prototype.collect;
  const rejected: InvalidFamilyError[] = [];
  let families = trusted ? (given as MetricFamily[]) : await acceptable(given, rejected);
  if (!trusted && names !== undefined) families = filterFamilies(families, names);
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  return { format, contentType: contentTypeFor(format), families, rejected, chunks: () => encodeChunks(families, format, chunkSize) };
}

/**
 * The families of `given` that keep the rules and claim no sample name an earlier one
 * claimed, each as the copy it was checked on; checked in steps, with turns of the event
 * loop between them (as a `Registry` checks its collectors' families).
 */
async function acceptable(given: readonly unknown[], rejected: InvalidFamilyError[]): Promise<MetricFamily[]> {
  const kept: MetricFamily[] = [];
  const exposed = new Set<string>();
  const turns = new CollectTurns(DEFAULT_SLICE_MILLISECONDS);
  for (const candidate of given) {
    const family = isVouchedFamily(candidate) ? (candidate as MetricFamily) : await turns.run(acceptFamilySteps(candidate), undefined);
    if (family instanceof InvalidFamilyError) {
      rejected.push(family);
      continue;
    }
    const claimed = sampleNamesOf(family.type, family.name);
    const clash = claimed.find((n) => exposed.has(n));
    if (clash !== undefined) {
      rejected.push(new InvalidFamilyError(family.name, `"${clash}" was already exposed by another family of this scrape`));
      continue;
    }
    for (const n of claimed) exposed.add(n);
    kept.push(family);
  }
  return kept;
}

/**
 * {@link prepareScrape}, with the body encoded into one string. For servers other than
 * promkit's own (`http/`), e.g. a Fastify or Koa route. Offers the text formats only
 * (a string cannot carry protobuf); use `prepareScrape` to serve protobuf too.
 *
 * @example
 * ```ts
 * const { contentType, body } = await scrape(registry, { accept: req.headers.accept });
 * reply.header('Content-Type', contentType).send(body);
 * ```
 */
export async function scrape(source: ScrapeSource, options: ScrapeOptions = {}): Promise<ScrapeResult> {
  const prepared = await prepareScrape(source, { ...options, formats: (options.formats ?? TEXT_FORMATS).filter((f) => f !== 'protobuf') });
  let body = '';
  for (const piece of prepared.chunks()) body += piece as string;
  return { format: prepared.format, contentType: prepared.contentType, body };
}
