import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidOptionsError } from '../model/index.js';
import { metricsHandler, type MetricsSource } from './metrics-handler.js';
import { sendBody } from './plain-response.js';

/** Options of {@link startHttpServer}. */
export interface HttpServerOptions {
  /** TCP port; `0` picks a free one. Default `8000` (client_python's `start_http_server`). */
  readonly port?: number;
  /** Address to bind. Default `127.0.0.1`: exposing metrics beyond the host is a choice. */
  readonly host?: string;
  /** Where the metrics are served. Default `/metrics`. */
  readonly path?: string;
  /** The registry to serve; the default registry when not given. */
  readonly registry?: MetricsSource;
  /** Whether to gzip when the scraper accepts it. Default `true`. */
  readonly compression?: boolean;
}

/** A running metrics server. */
export interface MetricsHttpServer {
  /** The metrics URL, e.g. `http://127.0.0.1:8000/metrics`. */
  readonly url: string;
  /** The bound port (the real one when `0` was asked for). */
  readonly port: number;
  /** The bound address, as given. */
  readonly host: string;
  /** Stops listening, closes idle keep-alive connections, and resolves once every open request is answered. */
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

/**
 * Starts an HTTP server that serves a registry on `path` (client_python's
 * `start_http_server`, golang's `promhttp.Handler` on its own listener). `/` answers a
 * small HTML page linking to the metrics (when `path` is elsewhere), other paths `404`.
 *
 * @example
 * ```ts
 * const server = await startHttpServer({ port: 8000 });
 * console.log(`metrics at ${server.url}`);
 * process.on('SIGTERM', () => void server.close());
 * ```
 */
export async function startHttpServer(options: HttpServerOptions = {}): Promise<MetricsHttpServer> {
  const port = options.port ?? 8000;
  const host = options.host ?? '127.0.0.1';
  const path = options.path ?? '/metrics';
  if (!path.startsWith('/')) throw new InvalidOptionsError(undefined, `path ${JSON.stringify(path)} must start with "/"`);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidOptionsError(undefined, `port ${port} must be an integer in 0..65535`);

  const metrics = metricsHandler({ registry: options.registry, compression: options.compression });
  const home = landingPage(path);
  const notFound = Buffer.from(`Not Found: metrics are served at ${path}\n`);
  const server = createServer((req, res) => {
    const pathname = pathnameOf(req.url);
    if (pathname === path) {
      metrics(req, res);
    } else if (pathname === '/' && (req.method === 'GET' || req.method === 'HEAD')) {
      sendBody(res, 200, 'text/html; charset=utf-8', home);
    } else {
      sendBody(res, 404, 'text/plain; charset=utf-8', notFound);
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}${path}`,
    port: bound,
    host,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        // Keep-alive sockets between requests would otherwise hold close() open until
        // they time out; sockets in the middle of a response finish it first.
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
