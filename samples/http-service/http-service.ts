import 'reflect-metadata';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InversifyExpressHttpAdapter } from '@inversifyjs/http-express';
import { Container } from 'inversify';
import type { Registry } from '../../src/index.js';
import { METRICS_REGISTRY, MetricsModule, MetricsPlugin } from '../../src/di/index.js';
import { HttpMetricsModule, HttpRequestMetricsMiddleware } from '../../src/adapters/inversify-http/index.js';
import { OrderBook } from './catalog.js';
import { OrdersController } from './orders-controller.js';

/** Options of {@link startHttpService}. */
export interface HttpServiceOptions {
  /** Port of the service (API and `/metrics`); `0` picks a free one. Default 8002. */
  readonly port?: number;
  /** Address to listen on. Default `127.0.0.1`. */
  readonly host?: string;
  /** Whether the framework logs each controller error. Default true. */
  readonly logErrors?: boolean;
}

/** The running service. */
export interface HttpService {
  /** The service's base URL, e.g. `http://127.0.0.1:8002`. */
  readonly url: string;
  /** Where Prometheus scrapes it: `${url}/metrics`. */
  readonly metricsUrl: string;
  /** The container's registry (what `/metrics` serves). */
  readonly registry: Registry;
  /** Stops listening and releases the container. */
  stop(): Promise<void>;
}

const quiet = { log() {}, error() {}, warn() {}, info() {}, http() {}, verbose() {}, debug() {}, silly() {} };

/**
 * An inversify HTTP application (`@inversifyjs/http-express`) with promkit: `MetricsModule`
 * (registry, default collectors, decorators through `MetricsPlugin`), `HttpMetricsModule`
 * (request metrics as a global middleware, `/metrics` as a controller), and an orders
 * controller over a decorated service — API and metrics on one port.
 *
 * @example
 * ```ts
 * const service = await startHttpService({ port: 0 });
 * console.log(service.metricsUrl);
 * await service.stop();
 * ```
 */
export async function startHttpService(options: HttpServiceOptions = {}): Promise<HttpService> {
  const container = new Container();
  container.register(MetricsPlugin);
  container.load(new MetricsModule({ defaultLabels: { service: 'orders-http' } }), new HttpMetricsModule());
  container.bind(OrderBook).toSelf().inSingletonScope();
  container.bind(OrdersController).toSelf().inSingletonScope();

  const adapter = new InversifyExpressHttpAdapter(container, options.logErrors === false ? { logger: quiet } : { logger: true });
  adapter.applyGlobalMiddleware(HttpRequestMetricsMiddleware);
  const app = await adapter.build();
  const host = options.host ?? '127.0.0.1';
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(options.port ?? 8002, host, (error?: Error) => (error ? reject(error) : resolve(listening)));
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    metricsUrl: `${url}/metrics`,
    registry: container.get(METRICS_REGISTRY),
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections(); // keep-alive connections would hold close() open
      await closed;
      await container.unbindAll();
    },
  };
}
