import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidOptionsError } from '../model/index.js';
import { gracefulCloser } from './graceful-close.js';
import { METRICS_HANDLER_OPTION_KEYS, metricsHandler, type MetricsHandlerOptions } from './metrics-handler.js';
import { rejectUnknownKeys } from './option-keys.js';
import { sendBody } from './plain-response.js';
import { applyServerLimits, SERVER_LIMIT_KEYS, serverCreationOptions, serverLimits, type ServerLimitOptions } from './server-limits.js';

/** Options of {@link startHttpServer}. An unknown key is an {@link UnknownOptionError}. */
export interface HttpServerOptions extends MetricsHandlerOptions, ServerLimitOptions {
  /** TCP port; `0` picks a free one. Default `8000` (client_python's `start_http_server`). */
  readonly port?: number;
  /**
   * Address to bind. Default `127.0.0.1`: exposing metrics beyond the host is a choice,
   * made by naming an address (`0.0.0.0`, `::`). An empty string (what `HOST= npm start`
   * passes) means the default too, never "every interface".
   */
  readonly host?: string;
  /** Where the metrics are served. Default `/metrics`. */
  readonly path?: string;
}

const SERVER_KEYS: readonly string[] = ['port', 'host', 'path', ...METRICS_HANDLER_OPTION_KEYS, ...SERVER_LIMIT_KEYS];

/** A running metrics server. */
export interface MetricsHttpServer {
  /** The metrics URL, e.g. `http://127.0.0.1:8000/metrics`. */
  readonly url: string;
  /** The bound port (the real one when `0` was asked for). */
  readonly port: number;
  /** The bound address. */
  readonly host: string;
  /**
   * Stops listening and resolves once every connection is closed: idle keep-alive
   * connections at once, in-flight scrapes when they are answered, and any still open
   * after `closeGracePeriod` are destroyed.
   */
  close(): Promise<void>;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function landingPage(path: string): Buffer {
  const href = escapeHtml(path);
  return Buffer.from(
    `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>promkit exporter</title></head>\n` +
      `<body><h1>promkit exporter</h1><p><a href="${href}">${href}</a></p></body></html>\n`,
  );
}

function pathnameOf(url: string | undefined): string {
  if (url === undefined) return '/';
  const end = url.search(/[?#]/);
  return end < 0 ? url : url.slice(0, end);
}

/** The request listener: metrics on `path`, a landing page on `/`, `404` elsewhere. */
function router(options: HttpServerOptions, path: string): (req: IncomingMessage, res: ServerResponse) => void {
  const metrics = metricsHandler({
    registry: options.registry,
    compression: options.compression,
    maxScrapesInFlight: options.maxScrapesInFlight,
    maxNames: options.maxNames,
    writeTimeout: options.writeTimeout,
  });
  const home = landingPage(path);
  const notFound = Buffer.from(`Not Found: metrics are served at ${path}\n`);
  return (req, res) => {
    const pathname = pathnameOf(req.url);
    if (pathname === path) {
      metrics(req, res);
    } else if (pathname === '/' && (req.method === 'GET' || req.method === 'HEAD')) {
      sendBody(res, 200, 'text/html; charset=utf-8', home);
    } else {
      sendBody(res, 404, 'text/plain; charset=utf-8', notFound);
    }
  };
}

/**
 * Starts an HTTP server that serves a registry on `path` (client_python's
 * `start_http_server`, golang's `promhttp.Handler` on its own listener). `/` answers a
 * small HTML page linking to the metrics (when `path` is elsewhere), other paths `404`.
 * Every limit has a safe default (see {@link ServerLimitOptions} and
 * {@link MetricsHandlerOptions}).
 *
 * @example
 * ```ts
 * const server = await startHttpServer({ port: 8000 });
 * console.log(`metrics at ${server.url}`);
 * process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
 * ```
 */
export async function startHttpServer(options: HttpServerOptions = {}): Promise<MetricsHttpServer> {
  rejectUnknownKeys(options, SERVER_KEYS, 'startHttpServer options');
  const port = options.port ?? 8000;
  const host = options.host === undefined || options.host === '' ? '127.0.0.1' : options.host;
  const path = options.path ?? '/metrics';
  if (typeof path !== 'string' || !path.startsWith('/')) throw new InvalidOptionsError(undefined, `path ${JSON.stringify(path)} must start with "/"`);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidOptionsError(undefined, `port ${port} must be an integer in 0..65535`);
  if (typeof host !== 'string') throw new InvalidOptionsError(undefined, `host must be a string, got ${typeof host}`);
  const limits = serverLimits(options);

  const route = router(options, path);
  const server = createServer(serverCreationOptions(limits), (req, res) => {
    closer.track(res);
    route(req, res);
  });
  applyServerLimits(server, limits);
  const closer = gracefulCloser(server);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}${path}`,
    port: bound,
    host,
    close: () => closer.close(limits.closeGracePeriod),
  };
}
