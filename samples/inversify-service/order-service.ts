import { inject, injectable } from 'inversify';
import { Counted, ExceptionCounted, Gauged, Timed } from '../../src/index.js';
import { InvalidOrderError, ORDER_STORE, PaymentDeclinedError, type Order, type Orders, type OrderStore, type Receipt } from './orders.js';

/**
 * The business service: places orders through the repository. Every public method is
 * instrumented by decorators only; the code itself knows nothing of metrics.
 *
 * - `method_timed_seconds{class="OrderService",method="place",exception=...}`: how long
 *   placing takes, successful or not;
 * - `method_counted_total{...,result="success"|"failure",exception=...}`: outcomes;
 * - `method_in_progress{...,method="place"}`: orders being placed right now;
 * - `method_exceptions_total{...}`: failures of `cancel`, by error class;
 * - `orders_stored`: the repository size, read by the gauge on `storedOrders()`.
 *
 * `place` declares two objectives: 99 % of orders placed within 250 ms (a bucket bound of
 * the default buckets), and 80 % of them successful (the sample fails orders on purpose).
 * `npx promkit rules build/samples/inversify-service/order-service.js` (after `npm run build`) prints their
 * recording and burn-rate alerting rules.
 */
@injectable()
export class OrderService implements Orders {
  private placed = 0;

  constructor(@inject(ORDER_STORE) private readonly repository: OrderStore) {}

  @Timed({ objective: { latency: 0.25, target: 0.99 }, native: true })
  @Counted({ objective: { target: 0.8 } })
  @Gauged()
  async place(order: Order): Promise<Receipt> {
    if (order.quantity <= 0) throw new InvalidOrderError(`quantity must be positive, got ${order.quantity}`);
    const price = await this.repository.priceOf(order.sku);
    this.placed++;
    // Every seventh charge is declined: the sample needs failures to show.
    if (this.placed % 7 === 0) throw new PaymentDeclinedError(order.id);
    await this.repository.save(order);
    return { orderId: order.id, total: price * order.quantity };
  }

  @ExceptionCounted({ errors: [InvalidOrderError] })
  cancel(orderId: string): void {
    if (!orderId.startsWith('order-')) throw new InvalidOrderError(`not an order id: ${orderId}`);
  }

  @Gauged({ mode: 'value', name: 'orders_stored', help: 'Orders stored in the repository.' })
  storedOrders(): number {
    return this.repository.count();
  }
}
