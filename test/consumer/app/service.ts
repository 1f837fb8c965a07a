/**
 * A small service as a user of the published package writes it: instruments, the four
 * decorators, and the inversify module, imported from `promkit` and `promkit/inversify`.
 * test/consumer/consumer.test.ts copies it into fresh ESM and CommonJS projects, compiles it
 * with legacy (`experimentalDecorators`) and TC39 standard decorators, runs it and scrapes
 * it. It prints one JSON line once it serves, and stops when its stdin closes.
 *
 * The root tsconfig excludes this folder: `promkit` resolves only where the package is
 * installed.
 */
import 'reflect-metadata';
import { Container } from 'inversify';
import { Counted, Counter, defaultRegistry, ExceptionCounted, Gauged, gaugeFamily, Histogram, Timed, type Collector } from 'promkit';
import { METRICS_REGISTRY, METRICS_SERVER, MetricsModule, MetricsPlugin } from 'promkit/inversify';

class OrderRejectedError extends Error {}

interface Orders {
  place(quantity: number): number;
  find(id: string): Promise<string>;
}
const ORDERS = Symbol('Orders');

/** Read at scrape time; built by the container (no decorator of inversify's: works in both modes). */
class QueueCollector implements Collector {
  collect() {
    return [gaugeFamily('consumer_queue_depth', 'Jobs waiting.').add(3)];
  }
}

export class OrderService implements Orders {
  @Timed()
  @Counted()
  place(quantity: number): number {
    if (quantity <= 0) throw new OrderRejectedError('an order needs at least one item');
    return quantity * 2;
  }

  @Timed({ name: 'order_lookup_seconds', buckets: [0.1, 1] })
  @ExceptionCounted()
  @Gauged()
  async find(id: string): Promise<string> {
    await new Promise((resolve) => setImmediate(resolve));
    if (id === '') throw new TypeError('no order id');
    return `order ${id}`;
  }
}

async function main(): Promise<void> {
  const build = process.argv[2] ?? 'unnamed';
  const container = new Container();
  container.register(MetricsPlugin);
  container.load(
    new MetricsModule({
      defaultLabels: { build },
      endpoint: { host: '127.0.0.1', port: 0, path: '/metrics' },
      collectors: [QueueCollector],
    }),
  );
  container.bind<Orders>(ORDERS).to(OrderService).inSingletonScope();

  const registry = container.get(METRICS_REGISTRY);
  const orders = new Counter({ name: 'consumer_orders', help: 'Orders by channel.', labelNames: ['channel'], registry });
  const sizes = new Histogram({ name: 'consumer_order_items', help: 'Items per order.', buckets: [1, 5, 10], registry });

  const service = container.get<Orders>(ORDERS);
  service.place(3);
  try {
    service.place(0);
  } catch {
    // counted as a failure
  }
  await service.find('7');
  await service.find('').catch(() => undefined);
  orders.labels({ channel: 'web' }).inc(2);
  orders.labels('shop').inc();
  sizes.observe(3);

  // One instance whichever way the package is loaded: no second copy of the default registry.
  const viaImport = await import('promkit');
  const server = container.get(METRICS_SERVER);
  const url = await server.start();
  process.stdout.write(
    `${JSON.stringify({
      url,
      moduleSystem: typeof require === 'function' ? 'commonjs' : 'esm',
      sameInstance: viaImport.defaultRegistry === defaultRegistry,
    })}\n`,
  );
  process.stdin.resume();
  process.stdin.on('end', () => {
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`stop failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
