/**
 * The live venue: a real exchange's `ExecutionClient` plus the bar-by-bar duties of a `Venue`.
 * `openBar` polls the orders still open at the exchange; `rangeBar` triggers protective orders the
 * trader holds itself ("local": a take-profit, and the stop unless `risk.stop_on_exchange`),
 * selling at market under the protective order's own client id, so the exchange sees that id
 * exactly once. A stop kept on the exchange protects a dead process too.
 */
import { OrderRejectedError, TransientExchangeError } from "../core/errors.ts";
import type { ExecutionClient, Venue } from "../core/ports.ts";
import {
  type Balances,
  type Candle,
  type Fill,
  type Order,
  type OrderRequest,
  TERMINAL_ORDER_STATUSES,
} from "../core/types.ts";
import type { ManagerLogger } from "./order_manager.ts";
import { LOCAL_ORDER_ID } from "./order_records.ts";

/** Options of a live venue. */
export interface LiveVenueOptions {
  /** Keep the stop as an order on the exchange (where CCXT supports it) instead of locally. */
  readonly stopOnExchange: boolean;
  /** Called before a held order is sent as a market sell: its row goes back to `submitting`. */
  readonly beforeTriggerSend: (clientOrderId: string) => void;
  readonly nowMs: () => number;
  readonly logger?: ManagerLogger;
}

const NONE: readonly never[] = Object.freeze([]);
/** How far before an order's update time its trades are searched for. */
const TRADE_LOOKBACK_MS = 10 * 60_000;

/** The `Venue` of a real exchange. */
export class LiveVenue implements Venue {
  readonly #inner: ExecutionClient;
  readonly #options: LiveVenueOptions;
  readonly #local = new Map<string, Order>();
  readonly #tracked = new Map<string, Order>();
  #needsReconcile = false;

  constructor(inner: ExecutionClient, options: LiveVenueOptions) {
    this.#inner = inner;
    this.#options = options;
  }

  /** True when a triggered sell was not confirmed: the trader should reconcile. */
  get needsReconcile(): boolean {
    return this.#needsReconcile;
  }

  /** A reconciliation has run: the unconfirmed sell is resolved. */
  reconciled(): void {
    this.#needsReconcile = false;
  }

  /** Holds a protective order locally again (after a restart). */
  adoptLocal(order: Order): void {
    this.#local.set(order.clientOrderId, {
      ...order,
      status: "open",
      exchangeOrderId: LOCAL_ORDER_ID,
    });
  }

  /** Polls this exchange order on each bar until it is terminal. */
  track(order: Order): void {
    if (TERMINAL_ORDER_STATUSES.has(order.status)) this.#tracked.delete(order.clientOrderId);
    else this.#tracked.set(order.clientOrderId, order);
  }

  #isLocal(request: OrderRequest): boolean {
    if (request.type === "market") return false;
    return !(request.type === "stop_market" && this.#options.stopOnExchange);
  }

  /** Holds protective orders locally (unless the stop goes to the exchange); sends the rest. */
  async submit(request: OrderRequest): Promise<Order> {
    if (this.#isLocal(request)) {
      const order: Order = {
        clientOrderId: request.clientOrderId,
        exchangeOrderId: LOCAL_ORDER_ID,
        symbol: request.symbol,
        side: request.side,
        type: request.type,
        baseAmount: request.baseAmount,
        price: request.price,
        status: "open",
        filledBaseAmount: 0,
        averagePrice: null,
        feeQuote: 0,
        updatedMs: this.#options.nowMs(),
      };
      this.#local.set(order.clientOrderId, order);
      return order;
    }
    const order = await this.#withTrades(await this.#inner.submit(request));
    this.track(order);
    return order;
  }

  /**
   * Binance's order lookups carry neither trades nor commission: take them from our trades when
   * the answer lacks them, so the DB stores the exchange's trades and fees.
   */
  async #withTrades(order: Order): Promise<Order> {
    if (!(order.filledBaseAmount > 0) || coversFilled(order.fills, order.filledBaseAmount)) {
      return order;
    }
    const sinceMs = order.updatedMs - TRADE_LOOKBACK_MS;
    const fills = (await this.#inner.myFills(order.symbol, sinceMs))
      .filter((fill) => fill.clientOrderId === order.clientOrderId);
    if (fills.length === 0) return order;
    if (order.feeQuote > 0) return { ...order, fills };
    return {
      ...order,
      fills,
      feeQuote: fills.reduce((sum, fill) => sum + fill.feeQuote, 0),
      feeBaseAmount: fills.reduce((sum, fill) => sum + (fill.feeBaseAmount ?? 0), 0),
    };
  }

  /** Cancels a held order locally, an exchange order at the exchange. */
  async cancel(clientOrderId: string, symbol: string): Promise<Order | null> {
    const local = this.#local.get(clientOrderId);
    if (local !== undefined) {
      this.#local.delete(clientOrderId);
      return { ...local, status: "canceled", updatedMs: this.#options.nowMs() };
    }
    const order = await this.#inner.cancel(clientOrderId, symbol);
    if (order !== null) this.track(order);
    return order;
  }

  /** A held order, else the exchange's view. */
  async fetchOrder(clientOrderId: string, symbol: string): Promise<Order | null> {
    const local = this.#local.get(clientOrderId);
    if (local !== undefined) return local;
    const order = await this.#inner.fetchOrder(clientOrderId, symbol);
    return order === null ? null : await this.#withTrades(order);
  }

  /** Open orders at the exchange. */
  openOrders(symbol: string): Promise<Order[]> {
    return this.#inner.openOrders(symbol);
  }

  /** The exchange's balances. */
  balances(symbol: string): Promise<Balances> {
    return this.#inner.balances(symbol);
  }

  /** The exchange's fills. */
  myFills(symbol: string, sinceMs: number): Promise<Fill[]> {
    return this.#inner.myFills(symbol, sinceMs);
  }

  /** Polls every tracked exchange order; returns those that changed. */
  async openBar(_candle: Candle): Promise<readonly Order[]> {
    if (this.#tracked.size === 0) return NONE;
    const changed: Order[] = [];
    for (const known of [...this.#tracked.values()]) {
      let order: Order | null;
      try {
        order = await this.fetchOrder(known.clientOrderId, known.symbol);
      } catch (error) {
        if (!(error instanceof TransientExchangeError)) throw error;
        this.#options.logger?.warn("Order poll failed; next bar: {error}", {
          error: error.message,
        });
        continue;
      }
      if (order === null) continue; // not (yet) there: reconciliation decides
      if (order.status !== known.status || order.filledBaseAmount !== known.filledBaseAmount) {
        changed.push(order);
      }
      this.track(order);
    }
    return changed;
  }

  /** Sells at market when the closed candle crossed a held stop (first) or take-profit. */
  async rangeBar(candle: Candle): Promise<readonly Order[]> {
    const hits = [...this.#local.values()].filter((o) => triggered(o, candle));
    if (hits.length === 0) return NONE;
    hits.sort((a, b) => (a.type === "stop_market" ? 0 : 1) - (b.type === "stop_market" ? 0 : 1));
    const hit = hits[0];
    const changed: Order[] = [];
    // A stop resting on the exchange holds the base: free it first; if it filled, we are done.
    for (const held of [...this.#tracked.values()].filter((o) => o.side === "sell")) {
      const after = await this.#inner.cancel(held.clientOrderId, held.symbol);
      if (after === null) continue;
      this.track(after);
      changed.push(after);
      if (after.filledBaseAmount > 0) return changed;
    }
    // The sell first: the kernel then knows the stop was cancelled for it, not ended by the
    // exchange on its own (which it would place again).
    return [await this.#sellAtMarket(hit), ...changed];
  }

  async #sellAtMarket(hit: Order): Promise<Order> {
    this.#options.beforeTriggerSend(hit.clientOrderId);
    this.#local.delete(hit.clientOrderId);
    const request: OrderRequest = { ...hit, type: "market", price: null };
    try {
      const sent = await this.#inner.submit(request);
      this.track(sent);
      return sent;
    } catch (error) {
      if (error instanceof OrderRejectedError) {
        this.#options.logger?.error("Protective sell {cid} rejected: {error}", {
          cid: hit.clientOrderId,
          error: error.message,
        });
        return { ...hit, status: "rejected", updatedMs: this.#options.nowMs() };
      }
      if (!(error instanceof TransientExchangeError)) throw error;
      this.#needsReconcile = true;
      return { ...hit, status: "submitting", updatedMs: this.#options.nowMs() };
    }
  }

  /** A ticker price between closes: as `rangeBar` over a candle that only traded there. */
  priceTick(price: number, timeMs: number): Promise<readonly Order[]> {
    return this.rangeBar({
      openTimeMs: timeMs,
      open: price,
      high: price,
      low: price,
      close: price,
      volume: 0,
    });
  }

  /** Live orders are never settled at a candle's close. */
  settle(_candle: Candle): Promise<readonly Order[]> {
    return Promise.resolve(NONE);
  }
}

/** True when the fills add up to the filled amount. */
function coversFilled(fills: readonly Fill[] | undefined, filledBaseAmount: number): boolean {
  if (fills === undefined || fills.length === 0) return false;
  const baseAmount = fills.reduce((sum, fill) => sum + fill.baseAmount, 0);
  return Math.abs(baseAmount - filledBaseAmount) <= filledBaseAmount * 1e-9;
}

function triggered(order: Order, candle: Candle): boolean {
  if (order.price === null) return false;
  return order.type === "stop_market" ? candle.low <= order.price : candle.high >= order.price;
}
