import { injectable } from 'inversify';
import { ExceptionCounted, Timed } from '../../src/index.js';
import { UnknownProductError, type Order, type OrderStore } from './orders.js';

const PRICES: Readonly<Record<string, number>> = { book: 12.5, lamp: 40, mug: 8 };

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The service's storage: an in-memory stand-in for a database, with the latency of one.
 * Its methods are timed (`method_timed_seconds{class="OrderRepository",...}`), and lookups
 * of unknown products are counted as exceptions.
 */
@injectable()
export class OrderRepository implements OrderStore {
  private readonly orders = new Map<string, Order>();

  @Timed({ native: true })
  @ExceptionCounted()
  async priceOf(sku: string): Promise<number> {
    await pause(2 + (sku.length % 5));
    const price = PRICES[sku];
    if (price === undefined) throw new UnknownProductError(sku);
    return price;
  }

  @Timed({ native: true })
  async save(order: Order): Promise<void> {
    await pause(5);
    this.orders.set(order.id, order);
  }

  @Timed({ native: true })
  count(): number {
    return this.orders.size;
  }
}
