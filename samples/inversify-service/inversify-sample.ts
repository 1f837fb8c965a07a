import 'reflect-metadata';
import { Container } from 'inversify';
import type { Registry } from '../../src/index.js';
import { METRICS_REGISTRY, METRICS_SERVER, MetricsModule, MetricsPlugin } from '../../src/di/index.js';
import { OrderRepository } from './order-repository.js';
import { OrderService } from './order-service.js';
import { ORDER_STORE, ORDERS, type Order, type Orders, type OrderStore } from './orders.js';

/** Options of {@link startInversifySample}. */
export interface InversifySampleOptions {
  /** Port of the metrics endpoint; `0` picks a free one. Default 8001. */
  readonly port?: number;
  /** Address of the metrics endpoint. Default `127.0.0.1`. */
  readonly host?: string;
  /** An exporter-toolkit web-config.yml (TLS, basic auth): what `WEB_CONFIG_FILE` names. Default: plain HTTP. */
  readonly webConfigFile?: string;
  /** Milliseconds between two rounds of generated traffic; `0` generates none. Default 250. */
  readonly trafficIntervalMs?: number;
}

/** The running sample. */
export interface InversifySample {
  /** Where the metrics are served, e.g. `http://127.0.0.1:8001/metrics`. */
  readonly url: string;
  readonly container: Container;
  /** The container's registry (what `url` serves). */
  readonly registry: Registry;
  /** Runs one round of traffic now: a few orders (some fail) and a few cancellations. */
  driveTraffic(): Promise<void>;
  /** Stops the traffic and the endpoint, and releases the container. */
  stop(): Promise<void>;
}

const SKUS = ['book', 'lamp', 'mug', 'book', 'poster'];
const CUSTOMERS = ['ada', 'grace', 'linus'];

/**
 * Builds the order service's container — the repository and the service under interface
 * tokens, promkit's `MetricsPlugin` and `MetricsModule` — starts the metrics endpoint and generates traffic.
 *
 * @example
 * ```ts
 * const sample = await startInversifySample({ port: 0 });
 * console.log(sample.url);
 * await sample.stop();
 * ```
 */
export async function startInversifySample(options: InversifySampleOptions = {}): Promise<InversifySample> {
  const container = new Container();
  // Ties every instance the container creates to its registry, whatever the binding.
  container.register(MetricsPlugin);
  const metrics = new MetricsModule({
    defaultLabels: { service: 'orders' },
    endpoint: { host: options.host ?? '127.0.0.1', port: options.port ?? 8001, path: '/metrics', webConfig: options.webConfigFile },
  });
  container.load(metrics);
  // Interface tokens, as inversify documents: the program depends on `Orders`, not on the class.
  container.bind<OrderStore>(ORDER_STORE).to(OrderRepository).inSingletonScope();
  container.bind<Orders>(ORDERS).to(OrderService).inSingletonScope();

  const service = container.get<Orders>(ORDERS);
  const server = container.get(METRICS_SERVER);
  const url = await server.start();

  let sequence = 0;
  const driveTraffic = async (): Promise<void> => {
    const orders: Order[] = [];
    for (let i = 0; i < 4; i++) {
      sequence++;
      orders.push({
        id: `order-${sequence}`,
        customer: CUSTOMERS[sequence % CUSTOMERS.length],
        sku: SKUS[sequence % SKUS.length],
        // Every eleventh order is malformed.
        quantity: sequence % 11 === 0 ? 0 : 1 + (sequence % 3),
      });
    }
    // Failures are expected here: they are what the metrics count.
    await Promise.allSettled(orders.map((order) => service.place(order)));
    for (const id of [`order-${sequence}`, `ref-${sequence}`]) {
      try {
        service.cancel(id);
      } catch {
        // counted by @ExceptionCounted
      }
    }
    service.storedOrders();
  };

  const interval = options.trafficIntervalMs ?? 250;
  let running: Promise<void> = Promise.resolve();
  const timer = interval > 0 ? setInterval(() => void (running = running.then(driveTraffic)), interval) : undefined;

  let stopped: Promise<void> | undefined;
  return {
    url,
    container,
    registry: container.get(METRICS_REGISTRY),
    driveTraffic,
    stop() {
      stopped ??= (async () => {
        if (timer !== undefined) clearInterval(timer);
        await running;
        await server.stop();
        await container.unloadAsync(metrics);
      })();
      return stopped;
    },
  };
}
