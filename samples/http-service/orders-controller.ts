import { Body, Controller, CreatedHttpResponse, Get, NotFoundHttpResponse, Params, Post } from '@inversifyjs/http-core';
import { inject } from 'inversify';
import { Timed } from '../../src/index.js';
import { OrderBook, OrderNotFoundError, type Order } from './catalog.js';

/**
 * `GET /orders/:id` and `POST /orders`. The request metrics label these by their route
 * templates (`/orders/:id`, `/orders`), whatever id is asked for; the handlers carry
 * `@Timed()` like any other method (`method_timed_seconds{class="OrdersController",...}`).
 */
@Controller('/orders')
export class OrdersController {
  constructor(@inject(OrderBook) private readonly book: OrderBook) {}

  @Timed()
  @Get('/:id')
  async show(@Params({ name: 'id' }) id: string): Promise<Order | NotFoundHttpResponse> {
    try {
      return await this.book.find(id);
    } catch (error) {
      if (error instanceof OrderNotFoundError) return new NotFoundHttpResponse({ error: error.message });
      throw error;
    }
  }

  @Timed()
  @Post()
  place(@Body() body: { sku?: unknown; quantity?: unknown } | undefined): CreatedHttpResponse {
    const sku = typeof body?.sku === 'string' ? body.sku : 'unknown';
    const quantity = typeof body?.quantity === 'number' ? body.quantity : 1;
    return new CreatedHttpResponse(this.book.place(sku, quantity));
  }

  /** Fails on purpose: the request metrics count it under `/orders/:id/fail` with status 500. */
  @Get('/:id/fail')
  fail(): never {
    throw new Error('the order system is on fire');
  }
}
