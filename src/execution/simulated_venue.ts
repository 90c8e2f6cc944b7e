/**
 * The simulated venue behind the async ports: `ExecutionVenue` for the order manager (paper,
 * replay) and `BarVenue` for `driveCandle`. Every call delegates to the synchronous
 * `SimulatedVenueCore`, so paper and replay fill exactly as the backtest does.
 */
import type { BarVenue } from "../core/engine_driver.ts";
import type { EngineOrder } from "../core/engine_types.ts";
import type { ExecutionVenue } from "../core/ports.ts";
import type { Balances, Candle, Fill, Order, OrderRequest } from "../core/types.ts";
import {
  type SimOrderRequest,
  SimulatedVenueCore,
  type SimulatedVenueOptions,
} from "./simulated_venue_core.ts";

/** Async simulated venue; it holds no credentials and reaches no network. */
export class SimulatedVenue implements ExecutionVenue, BarVenue {
  readonly core: SimulatedVenueCore;

  constructor(options: SimulatedVenueOptions | SimulatedVenueCore) {
    this.core = options instanceof SimulatedVenueCore ? options : new SimulatedVenueCore(options);
  }

  /** Queues an order; a request may carry `quoteAmount` (market buy budget). */
  submit(request: OrderRequest | EngineOrder | SimOrderRequest): Promise<Order> {
    return Promise.resolve(this.core.submit(request));
  }

  /** Cancels an open order; its final state, or null when unknown. */
  cancel(clientOrderId: string, _symbol?: string): Promise<Order | null> {
    return Promise.resolve(this.core.cancel(clientOrderId));
  }

  /** The order with this client id, or null. */
  fetchOrder(clientOrderId: string, _symbol: string): Promise<Order | null> {
    return Promise.resolve(this.core.order(clientOrderId));
  }

  /** Orders still open. */
  openOrders(_symbol: string): Promise<Order[]> {
    return Promise.resolve(this.core.openOrders());
  }

  /** The simulated account. */
  balances(_symbol: string): Promise<Balances> {
    return Promise.resolve(this.core.balances());
  }

  /** Fills since `sinceMs`. */
  myFills(_symbol: string, sinceMs: number): Promise<Fill[]> {
    return Promise.resolve(this.core.fills(sinceMs));
  }

  /** Fills market orders due at the candle's open. */
  openBar(candle: Candle): Promise<readonly Order[]> {
    return Promise.resolve(this.core.openBar(candle));
  }

  /** Triggers resting stops and take-profits inside the candle. */
  rangeBar(candle: Candle): Promise<readonly Order[]> {
    return Promise.resolve(this.core.rangeBar(candle));
  }

  /** Sells at market the first resting stop or take-profit a ticker price crossed. */
  priceTick(price: number, timeMs: number): Promise<readonly Order[]> {
    return Promise.resolve(this.core.triggerAtPrice(price, timeMs));
  }

  /** Fills pending market orders at the candle's close (end of a run). */
  settle(candle: Candle): Promise<readonly Order[]> {
    return Promise.resolve(this.core.settle(candle));
  }
}
