/**
 * The simulated exchange behind the async `Venue` port, for the order manager in paper and replay.
 * Every call delegates to the synchronous `SimulatedExchange`, so paper and replay fill exactly as
 * the backtest does.
 */
import type { Venue } from "../core/ports.ts";
import type { Balances, Candle, Fill, Order } from "../core/types.ts";
import type { SimOrderRequest, SimulatedExchange } from "./simulated_exchange.ts";

/** The `Venue` of a simulated exchange; it holds no credentials and reaches no network. */
export class SimulatedVenue implements Venue {
  readonly exchange: SimulatedExchange;

  constructor(exchange: SimulatedExchange) {
    this.exchange = exchange;
  }

  /** Queues an order; a request may carry `quoteAmount` (market buy budget). */
  submit(request: SimOrderRequest): Promise<Order> {
    return Promise.resolve(this.exchange.submit(request));
  }

  /** Cancels an open order; its final state, or null when unknown. */
  cancel(clientOrderId: string, _symbol?: string): Promise<Order | null> {
    return Promise.resolve(this.exchange.cancel(clientOrderId));
  }

  /** The order with this client id, or null. */
  fetchOrder(clientOrderId: string, _symbol: string): Promise<Order | null> {
    return Promise.resolve(this.exchange.order(clientOrderId));
  }

  /** Orders still open. */
  openOrders(_symbol: string): Promise<Order[]> {
    return Promise.resolve(this.exchange.openOrders());
  }

  /** The simulated account. */
  balances(_symbol: string): Promise<Balances> {
    return Promise.resolve(this.exchange.balances());
  }

  /** Fills since `sinceMs`. */
  myFills(_symbol: string, sinceMs: number): Promise<Fill[]> {
    return Promise.resolve(this.exchange.fills(sinceMs));
  }

  /** Fills market orders due at the candle's open. */
  openBar(candle: Candle): Promise<readonly Order[]> {
    return Promise.resolve(this.exchange.openBar(candle));
  }

  /** Triggers resting stops and take-profits inside the candle. */
  rangeBar(candle: Candle): Promise<readonly Order[]> {
    return Promise.resolve(this.exchange.rangeBar(candle));
  }

  /** Sells at market the first resting stop or take-profit a ticker price crossed. */
  priceTick(price: number, timeMs: number): Promise<readonly Order[]> {
    return Promise.resolve(this.exchange.triggerAtPrice(price, timeMs));
  }

  /** Fills pending market orders at the candle's close (end of a run). */
  settle(candle: Candle): Promise<readonly Order[]> {
    return Promise.resolve(this.exchange.settle(candle));
  }
}
