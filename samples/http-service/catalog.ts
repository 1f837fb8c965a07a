import { injectable } from 'inversify';
import { Counted, Timed } from '../../src/index.js';

/** An order as the HTTP service stores and returns it. */
export interface Order {
  readonly id: string;
  readonly sku: string;
  readonly quantity: number;
}

/** What the controller asks for when an id is not in the catalog. */
export class OrderNotFoundError extends Error {
  constructor(readonly orderId: string) {
    super(`no order ${orderId}`);
    this.name = 'OrderNotFoundError';
  }
}

/**
 * The service behind the controller: an in-memory order book. Its methods are decorated
 * (`method_timed_seconds{class="OrderBook",...}`, `method_counted_total{...}`); the code
 * knows nothing of metrics.
 */
@injectable()
export class OrderBook {
  private readonly orders = new Map<string, Order>([
    ['1', { id: '1', sku: 'book', quantity: 2 }],
    ['2', { id: '2', sku: 'lamp', quantity: 1 }],
  ]);
  private sequence = 2;

  @Timed()
  @Counted()
  async find(id: string): Promise<Order> {
    await new Promise((resolve) => setImmediate(resolve));
    const order = this.orders.get(id);
    if (order === undefined) throw new OrderNotFoundError(id);
    return order;
  }

  @Timed()
  @Counted()
  place(sku: string, quantity: number): Order {
    this.sequence++;
    const order = { id: String(this.sequence), sku, quantity };
    this.orders.set(order.id, order);
    return order;
  }
}
