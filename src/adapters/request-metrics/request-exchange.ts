import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GaugeChild } from '../../metrics/index.js';
import type { HttpRequestMetrics } from './http-request-metrics.js';

/** Reads a finished request's route template, for frameworks that settle it late (Express). */
export type RouteResolver = (req: IncomingMessage) => string | undefined;

/**
 * The status a request is recorded with when the client went away before the response
 * was complete (nginx's "client closed request"): the status the server had set then
 * would claim an answer the client never got.
 */
export const CLIENT_CLOSED_STATUS = 499;

type WriteFunction = ServerResponse['write'];
type EndFunction = ServerResponse['end'];
type Chunk = string | Uint8Array | null | undefined;

const EXCHANGE = Symbol('promkit.requestExchange');

interface TrackedResponse extends ServerResponse {
  [EXCHANGE]?: RequestExchange;
}

/**
 * One measured request, from the adapter's first middleware to the response's `close`:
 * when it started, the response body bytes written so far (counted as the application
 * writes them, so streamed and chunked bodies are sized too, not only a Content-Length),
 * and the route template once the framework knows it.
 */
export class RequestExchange {
  /** Response body bytes written so far. */
  bytes = 0;
  /** The route template, once the adapter knows it; {@link RouteResolver} is asked at the end otherwise. */
  route: string | undefined = undefined;
  /** Whether the request was recorded (its response closed). */
  recorded = false;

  /** @internal The response's own `write`, which the counting one calls. */
  readonly write: WriteFunction;
  /** @internal The response's own `end`, which the counting one calls. */
  readonly end: EndFunction;

  /** @internal Created by {@link trackRequest}. */
  constructor(
    /** What the request is recorded into. */
    readonly metrics: HttpRequestMetrics,
    /** The request. */
    readonly req: IncomingMessage,
    /** When it started (`performance.now()` milliseconds). */
    readonly startMs: number,
    /** Its in-flight series, when counted. */
    readonly inFlight: GaugeChild | undefined,
    /** Reads the route template at the end when {@link route} is still unset. */
    readonly resolveRoute: RouteResolver | undefined,
    write: WriteFunction,
    end: EndFunction,
  ) {
    this.write = write;
    this.end = end;
  }
}

function byteLength(chunk: Chunk, encoding: unknown): number {
  if (typeof chunk === 'string') return Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  return chunk instanceof Uint8Array ? chunk.byteLength : 0;
}

// Shared by every response (no closure per request): the exchange hangs off the response.
function countingWrite(this: TrackedResponse, chunk: Chunk, encoding?: unknown, callback?: unknown): boolean {
  const exchange = this[EXCHANGE] as RequestExchange;
  exchange.bytes += byteLength(chunk, encoding);
  return (exchange.write as (c: Chunk, e?: unknown, cb?: unknown) => boolean).call(this, chunk, encoding, callback);
}

function countingEnd(this: TrackedResponse, chunk?: unknown, encoding?: unknown, callback?: unknown): ServerResponse {
  const exchange = this[EXCHANGE] as RequestExchange;
  if (typeof chunk !== 'function') exchange.bytes += byteLength(chunk as Chunk, encoding);
  return (exchange.end as (c?: unknown, e?: unknown, cb?: unknown) => ServerResponse).call(this, chunk, encoding, callback);
}

let warned = false;

function onResponseClose(this: TrackedResponse): void {
  const exchange = this[EXCHANGE];
  // The exchange stays on the response: the application may still call write()/end()
  // after the client went away, and those go through the counting functions.
  if (exchange === undefined || exchange.recorded) return;
  exchange.recorded = true;
  try {
    exchange.inFlight?.dec();
    const metrics = exchange.metrics;
    const seconds = Math.max(0, performance.now() - exchange.startMs) / 1000;
    const route = exchange.route ?? exchange.resolveRoute?.(exchange.req) ?? metrics.options.unmatchedRoute;
    const status = this.writableFinished ? this.statusCode : CLIENT_CLOSED_STATUS;
    metrics.record(exchange.req.method, route, status, seconds, requestBodyBytes(exchange.req), exchange.bytes);
  } catch (error) {
    // A listener that threw here would crash the process; the request itself is done.
    if (!warned) {
      warned = true;
      process.emitWarning(`promkit could not record an HTTP request: ${error instanceof Error ? error.message : String(error)}`, 'PromkitWarning');
    }
  }
}

/** The request body's declared size, or -1 when it has no Content-Length. */
function requestBodyBytes(req: IncomingMessage): number {
  const header = req.headers['content-length'];
  if (header === undefined) return -1;
  const bytes = Number(header);
  return Number.isSafeInteger(bytes) && bytes >= 0 ? bytes : -1;
}

/**
 * Starts measuring one request on its `node:http` pair: counts it in flight, counts the
 * response bytes, and records duration, sizes, route and status when the response closes.
 * Returns `undefined` for a request the options skip (or one already tracked).
 */
export function trackRequest(
  metrics: HttpRequestMetrics,
  req: IncomingMessage,
  res: ServerResponse,
  resolveRoute?: RouteResolver,
): RequestExchange | undefined {
  const tracked = res as TrackedResponse;
  if (tracked[EXCHANGE] !== undefined || metrics.skips(req.method, req.url)) return undefined;
  const inFlight = metrics.inFlightSeries(req.method);
  const exchange = new RequestExchange(metrics, req, performance.now(), inFlight, resolveRoute, res.write, res.end);
  tracked[EXCHANGE] = exchange;
  tracked.write = countingWrite as WriteFunction;
  tracked.end = countingEnd as EndFunction;
  inFlight?.inc();
  // on(), not once(): once() allocates a wrapper per request, and the response is discarded after close anyway.
  res.on('close', onResponseClose);
  return exchange;
}
