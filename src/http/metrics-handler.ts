import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGzip, gzip } from 'node:zlib';
import { contentTypeFor, negotiateFormat, type ScrapeChunk, type ScrapeSource } from '../exposition/index.js';
import { InvalidOptionsError } from '../model/index.js';
import { defaultRegistry } from '../registry/index.js';
import { writeChunks, WriteStalledError } from './chunked-writing.js';
import { acceptsGzip } from './content-encoding.js';
import { handlerMetricsOf, type HandlerMetrics } from './handler-metrics.js';
import { limitOption, rejectUnknownKeys } from './option-keys.js';
import { sendPlain } from './plain-response.js';
import { SharedScrapes, type ScrapeBody } from './shared-scrape.js';

const gzipAsync = promisify(gzip);

/** What the handler scrapes: a `Registry`, or anything that collects like one. */
export type MetricsSource = ScrapeSource;

/** The scraper's own timeout, from Prometheus's `X-Prometheus-Scrape-Timeout-Seconds` header. */
function scraperTimeout(req: IncomingMessage): number | undefined {
  const header = req.headers['x-prometheus-scrape-timeout-seconds'];
  const seconds = typeof header === 'string' ? Number(header) : NaN;
  return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

/** Options of {@link metricsHandler}. */
export interface MetricsHandlerOptions {
  /** The registry to serve; the default registry when not given. */
  readonly registry?: MetricsSource;
  /** Whether to gzip when the scraper accepts it. Default `true`. */
  readonly compression?: boolean;
  /**
   * Scrapes this handler serves at once; one more is answered `503` with `Retry-After`
   * (golang's `MaxRequestsInFlight`). Default `32`; `0` for no limit.
   */
  readonly maxScrapesInFlight?: number;
  /** `name[]` values one request may give; more is answered `400`. Default `256`; `0` for no limit. */
  readonly maxNames?: number;
  /**
   * Milliseconds a response may wait for the scraper to take more bytes; a reader that
   * stopped for longer has its connection destroyed, so it holds no body in memory.
   * Default `10000` (Prometheus's default scrape timeout); `0` for none.
   */
  readonly writeTimeout?: number;
  /**
   * Whether to count this handler's work in `promkit_http_requests_total{code}`,
   * `promkit_http_scrapes_in_flight` and `promkit_http_scrapes_rejected_total{reason}`,
   * registered in the served registry (which must be a `Registry`). Default `false`:
   * a handler adds no series to a registry unless asked.
   */
  readonly selfMetrics?: boolean;
  /**
   * Whether concurrent scrapes of the same format and `name[]` selection share one
   * collection and one encoding. Default `true`; `false` collects for each request.
   */
  readonly shareScrapes?: boolean;
}

/** The keys {@link MetricsHandlerOptions} may have. */
export const METRICS_HANDLER_OPTION_KEYS: readonly string[] = ['registry', 'compression', 'maxScrapesInFlight', 'maxNames', 'writeTimeout', 'selfMetrics', 'shareScrapes'];

/** The limits a handler runs with, every default filled in. */
interface HandlerLimits {
  readonly maxScrapesInFlight: number;
  readonly maxNames: number;
  readonly writeTimeout: number;
}

/** A `node:http` request listener that is also an Express/Connect middleware. */
export type MetricsRequestHandler = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => void;

const ALLOWED_METHODS = 'GET, HEAD';

/** The `name[]` query values, as Prometheus and client_python read them (empty ones ignored). */
function requestedNames(url: string | undefined): string[] | undefined {
  const query = url?.indexOf('?') ?? -1;
  if (url === undefined || query < 0) return undefined;
  const names = new URLSearchParams(url.slice(query + 1)).getAll('name[]').filter((n) => n !== '');
  return names.length > 0 ? names : undefined;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Answers `500` with a body that names no internal detail, only an id; the warning
 * carries the same id with the real error, so an operator can match the two.
 */
function sendInternalError(res: ServerResponse, error: unknown): void {
  const id = randomBytes(6).toString('hex');
  process.emitWarning(`promkit: a scrape failed (error id ${id}): ${describeError(error)}`, { code: 'PROMKIT_SCRAPE_FAILED' });
  sendPlain(res, 500, `Internal Server Error: the metrics could not be served (error id ${id})`);
}

function handlerLimits(options: MetricsHandlerOptions): HandlerLimits {
  return {
    maxScrapesInFlight: limitOption(options.maxScrapesInFlight, 'maxScrapesInFlight', 32),
    maxNames: limitOption(options.maxNames, 'maxNames', 256),
    writeTimeout: limitOption(options.writeTimeout, 'writeTimeout', 10_000),
  };
}

/**
 * Serves a registry to Prometheus: `GET` collects and answers in the format negotiated
 * from `Accept` (OpenMetrics 1.0.0 or text 0.0.4), restricted to the `name[]` query
 * values, gzipped when `Accept-Encoding` allows; `HEAD` answers the same headers without
 * collecting; other methods get `405` with `Allow: GET, HEAD`.
 *
 * - A failing collector, or a family that breaks the exposition rules, never fails the
 *   scrape (it is left out and reported); only when collection itself throws does the
 *   handler answer `500`. Collecting and checking are over before the status line is
 *   sent, so a `200` is never followed by a broken body.
 * - Large bodies are streamed in ~64 KiB pieces with backpressure, yielding to the event
 *   loop between pieces; when the scraper hangs up, collection is aborted and writing stops.
 * - Responses carry `Cache-Control: no-store` (a cached scrape is a wrong scrape) and
 *   `Vary: Accept, Accept-Encoding`.
 *
 * The handler always answers and never calls `next`: mount it on the route you want.
 *
 * @example
 * ```ts
 * http.createServer(metricsHandler({ registry })).listen(9100);
 * app.get('/metrics', metricsHandler());            // Express
 * ```
 */
export function metricsHandler(options: MetricsHandlerOptions = {}): MetricsRequestHandler {
  rejectUnknownKeys(options, METRICS_HANDLER_OPTION_KEYS, 'metricsHandler options');
  const source = options.registry ?? defaultRegistry;
  const compression = options.compression ?? true;
  const limits = handlerLimits(options);
  const scrapes = new SharedScrapes(source, options.shareScrapes ?? true);
  const counts = options.selfMetrics === true ? handlerMetricsOf(source) : undefined;
  if (options.selfMetrics === true && counts === undefined) throw new InvalidOptionsError(undefined, 'selfMetrics needs a Registry to register its metrics in');
  let inFlight = 0;
  return (req, res) => {
    if (counts !== undefined) res.once('finish', () => counts.responded(res.statusCode));
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendPlain(res, 405, 'Method Not Allowed: use GET or HEAD', { Allow: ALLOWED_METHODS });
      return;
    }
    if (req.method === 'GET' && limits.maxScrapesInFlight > 0 && inFlight >= limits.maxScrapesInFlight) {
      counts?.rejected('in_flight');
      sendPlain(res, 503, `Service Unavailable: ${inFlight} scrapes are in flight already`, { 'Retry-After': '1' });
      return;
    }
    inFlight++;
    counts?.scrapeStarted();
    serve(scrapes, compression, limits, req, res, counts)
      .catch((error: unknown) => {
        if (error instanceof WriteStalledError) res.destroy();
        else if (!res.headersSent) sendInternalError(res, error);
        // Only reached when the response could not be ended cleanly.
        else res.destroy(error instanceof Error ? error : new Error(String(error)));
      })
      .finally(() => {
        inFlight--;
        counts?.scrapeEnded();
      });
  };
}

async function serve(scrapes: SharedScrapes, compression: boolean, limits: HandlerLimits, req: IncomingMessage, res: ServerResponse, counts: HandlerMetrics | undefined): Promise<void> {
  const names = requestedNames(req.url);
  if (names !== undefined && limits.maxNames > 0 && names.length > limits.maxNames) {
    counts?.rejected('too_many_names');
    sendPlain(res, 400, `Bad Request: ${names.length} name[] values, at most ${limits.maxNames} are served`);
    return;
  }
  const format = negotiateFormat(req.headers.accept);
  const gzipped = compression && acceptsGzip(req.headers['accept-encoding']);
  const headers: Record<string, string> = {
    'Content-Type': contentTypeFor(format),
    'Cache-Control': 'no-store',
    Vary: compression ? 'Accept, Accept-Encoding' : 'Accept',
  };
  if (gzipped) headers['Content-Encoding'] = 'gzip';
  if (req.method === 'HEAD') {
    res.writeHead(200, headers);
    res.end();
    return;
  }

  const scrape = new AbortController();
  const onClose = (): void => {
    if (!res.writableFinished) scrape.abort(new Error('the scraper closed the connection'));
  };
  res.once('close', onClose);
  try {
    let prepared: ScrapeBody;
    try {
      prepared = await scrapes.scrape({ accept: req.headers.accept, names, scrapeTimeoutSeconds: scraperTimeout(req) }, scrape.signal);
    } catch (error) {
      if (scrape.signal.aborted) return;
      sendInternalError(res, error);
      return;
    }
    if (scrape.signal.aborted) return;

    const chunks = prepared.chunks;
    // A body of one piece goes out whole, with a length; a longer one is streamed.
    const first = chunks.next();
    const second = first.done === true ? first : chunks.next();
    if (first.done === true || second.done === true) {
      const body = first.done === true ? '' : first.value;
      const bytes = gzipped ? await gzipAsync(body) : typeof body === 'string' ? Buffer.from(body) : body;
      if (scrape.signal.aborted) return;
      res.writeHead(200, { ...headers, 'Content-Length': String(bytes.length) });
      res.end(bytes);
      return;
    }
    res.writeHead(200, headers);
    const pieces = prepend([first.value, second.value], chunks);
    if (gzipped) {
      const zip = createGzip();
      const piping = pipeline(zip, res, { signal: scrape.signal });
      // Awaited below; observed now so that a failure while we write is not "unhandled".
      piping.catch(() => undefined);
      try {
        await writeChunks(pieces, zip, scrape.signal, limits.writeTimeout);
        zip.end();
      } catch (error) {
        zip.destroy();
        await piping.catch(() => undefined);
        throw error;
      }
      await piping;
    } else {
      await writeChunks(pieces, res, scrape.signal, limits.writeTimeout);
      res.end();
    }
  } catch (error) {
    if (scrape.signal.aborted) return;
    throw error;
  } finally {
    res.off('close', onClose);
  }
}

/** `head` followed by the rest of `tail`, as one iterator. */
function* prepend(head: readonly ScrapeChunk[], tail: Iterator<ScrapeChunk>): Generator<ScrapeChunk, void, undefined> {
  yield* head;
  for (let next = tail.next(); next.done !== true; next = tail.next()) yield next.value;
}
