import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { InvalidOptionsError } from '../model/index.js';
import { gracefulCloser } from './graceful-close.js';
import { METRICS_HANDLER_OPTION_KEYS, metricsHandler, type MetricsHandlerOptions } from './metrics-handler.js';
import { rejectUnknownKeys } from './option-keys.js';
import { sendBody, sendPlain } from './plain-response.js';
import { requestAuth, type RequestAuth } from './request-auth.js';
import { applyServerLimits, SERVER_LIMIT_KEYS, serverCreationOptions, serverLimits, type ServerLimitOptions, type ServerLimits } from './server-limits.js';
import { tlsCertificates } from './tls-certificates.js';
import { checkWebConfig, loadWebConfig, type WebConfig } from './web-config.js';
import { frozenCopy } from '../model/frozen-copy.js';

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
  /**
   * TLS, basic auth and security headers, as Prometheus exporters configure them: the
   * path of an exporter-toolkit `web-config.yml` (what `--web.config.file` takes; read with
   * the optional `yaml` package), or the same content as an object. `undefined` or `''`:
   * plain HTTP, no auth. Basic auth needs the optional `bcryptjs` package.
   */
  readonly webConfig?: string | WebConfig;
  /** Tokens accepted in `Authorization: Bearer <token>` (with or instead of basic auth). */
  readonly bearerTokens?: readonly string[];
}

const SERVER_KEYS: readonly string[] = ['port', 'host', 'path', 'webConfig', 'bearerTokens', ...METRICS_HANDLER_OPTION_KEYS, ...SERVER_LIMIT_KEYS];

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
    selfMetrics: options.selfMetrics,
    shareScrapes: options.shareScrapes,
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

/** Answers `401` unless the request's credentials are accepted, then hands it on. */
function authenticated(auth: RequestAuth | undefined, next: RequestListener): RequestListener {
  if (auth === undefined) return next;
  return (req, res) => {
    auth.allows(req).then(
      (ok) => (ok ? next(req, res) : sendPlain(res, 401, 'Unauthorized', { 'WWW-Authenticate': [...auth.challenges] })),
      () => sendPlain(res, 500, 'Internal Server Error: credentials could not be checked'),
    );
  };
}

/** An HTTP server, or an HTTPS one (certificates re-read when their files change) when the web config has TLS. */
function createListener(config: WebConfig, limits: ServerLimits, listener: RequestListener): { server: Server; scheme: 'http' | 'https' } {
  const tls = config.tls_server_config;
  if (tls === undefined) return { server: createServer(serverCreationOptions(limits), listener), scheme: 'http' };
  const certificates = tlsCertificates(tls);
  const server = createHttpsServer({ ...serverCreationOptions(limits), ...certificates.serverOptions }, listener);
  certificates.watch(server);
  server.on('secureConnection', (socket: TLSSocket) => {
    if (certificates.clientProblem(socket) !== undefined) socket.destroy();
  });
  return { server, scheme: 'https' };
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
  // A copy, checked: the server keeps what was checked, not the caller's array.
  const tokens = frozenCopy(options.bearerTokens);
  if (tokens !== undefined && (!Array.isArray(tokens) || !tokens.every((t) => typeof t === 'string' && t !== ''))) {
    throw new InvalidOptionsError(undefined, 'bearerTokens must be a list of non-empty strings');
  }
  const webConfig = typeof options.webConfig === 'string' ? (options.webConfig === '' ? {} : await loadWebConfig(options.webConfig)) : checkWebConfig(options.webConfig ?? {});
  const auth = requestAuth({ basicAuthUsers: webConfig.basic_auth_users, bearerTokens: tokens });
  await auth?.ready();
  const headers = Object.entries(webConfig.http_server_config?.headers ?? {});

  const route = authenticated(auth, router(options, path));
  const { server, scheme } = createListener(webConfig, limits, (req, res) => {
    closer.track(res);
    for (const [name, value] of headers) res.setHeader(name, value);
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
    url: `${scheme}://${host.includes(':') ? `[${host}]` : host}:${bound}${path}`,
    port: bound,
    host,
    close: () => closer.close(limits.closeGracePeriod),
  };
}
