/** An order as the sample's service receives it. */
export interface Order {
  readonly id: string;
  readonly customer: string;
  readonly sku: string;
  readonly quantity: number;
}

/** What placing an order returns. */
export interface Receipt {
  readonly orderId: string;
  readonly total: number;
}

/** What the rest of the program knows of the order service. */
export interface Orders {
  place(order: Order): Promise<Receipt>;
  cancel(orderId: string): void;
  storedOrders(): number;
}

/** What the order service knows of its storage. */
export interface OrderStore {
  priceOf(sku: string): Promise<number>;
  save(order: Order): Promise<void>;
  count(): number;
}

/** The token {@link Orders} is bound under. */
export const ORDERS = Symbol.for('sample.Orders');
/** The token {@link OrderStore} is bound under. */
export const ORDER_STORE = Symbol.for('sample.OrderStore');

/** The catalog has no such product. */
export class UnknownProductError extends Error {
  constructor(readonly sku: string) {
    super(`unknown product ${sku}`);
    this.name = 'UnknownProductError';
  }
}

/** The payment provider refused the charge. */
export class PaymentDeclinedError extends Error {
  constructor(readonly orderId: string) {
    super(`payment declined for order ${orderId}`);
    this.name = 'PaymentDeclinedError';
  }
}

/** The request itself is wrong (no retry will help). */
export class InvalidOrderError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'InvalidOrderError';
  }
}
