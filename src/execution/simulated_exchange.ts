/**
 * The simulated exchange: the fill model of docs/backtesting.md over one account and symbol, with
 * every method synchronous. The backtest steps it directly (no Promise per candle);
 * `SimulatedVenue` puts it behind the async `Venue` port for paper and replay. Per bar: `openBar`
 * fills market orders due at the open, `rangeBar` triggers resting sells (stop_market, limit)
 * inside the bar, the adverse stop first; a fill that empties the base balance cancels the other
 * resting sells (OCO).
 */
import { floorToStep } from "../core/amounts.ts";
import type { SyncVenue } from "../core/ports.ts";
import type { Balances, Candle, Fill, Order, OrderRequest } from "../core/types.ts";
import { marketFillPrice, sellLimitFillPrice, sellStopFillPrice } from "./fill_model.ts";

/** Fees, slippage, market limits and the starting account of a simulated exchange. */
export interface SimulatedExchangeOptions {
  readonly symbol: string;
  /** Fee as a fraction of notional (0.001 = 0.1 %). */
  readonly feeRate: number;
  readonly slippageBps: number;
  readonly amountStep: number;
  readonly minAmount?: number;
  readonly minNotional?: number;
  /** Extra candles between a market order and its fill. */
  readonly latencyCandles?: number;
  readonly quoteBalance: number;
  readonly baseBalance?: number;
  /**
   * Keep finished orders and fills for `order()` and `fills()` (default true). A backtest turns
   * it off: nobody looks them up, and retaining them slows the run down. Off, an order's object
   * is also updated in place when it ends (the caller must have used the earlier states by then).
   */
  readonly retainHistory?: boolean;
}

/** An order request that may carry a quote budget (market buys sized at the fill price). */
export type SimOrderRequest = OrderRequest & { readonly quoteAmount?: number | null };

interface Pending {
  readonly request: SimOrderRequest;
  readonly dueBar: number;
}

/** The exchange's state as JSON-safe data, for paper mode to resume after a restart. */
export interface SimulatedExchangeSnapshot {
  readonly quote: number;
  readonly base: number;
  readonly bar: number;
  readonly timeMs: number;
  readonly orders: readonly Order[];
  readonly pending: readonly Pending[];
  readonly resting: readonly SimOrderRequest[];
}

const NONE: readonly never[] = Object.freeze([]);

/** How an order of this exchange ends; every update ends one. */
type Ended = "filled" | "canceled" | "rejected";

function allDue(pending: readonly Pending[], bar: number): boolean {
  for (let i = 0; i < pending.length; i++) if (pending[i].dueBar > bar) return false;
  return true;
}

/** The exchange's state machine; every method is synchronous. */
export class SimulatedExchange implements SyncVenue {
  readonly options: SimulatedExchangeOptions;
  #quote: number;
  #base: number;
  #bar = 0;
  #timeMs = 0;
  /**
   * Orders by client id: every order when history is kept, else only those rejected on arrival.
   * Open orders are in `#live` as well; a backtest never touches the map (hashing a fresh client
   * id and adding and deleting map entries cost more per order than the rest of a fill).
   */
  #orders = new Map<string, Order>();
  /** `#orders.size`, kept as a field: the Map's `size` getter is a slow call on this path. */
  #mapped = 0;
  /** The current state of every open order, oldest first: a handful at most. */
  #live: Order[] = [];
  #pending: Pending[] = [];
  /** An empty list `openBar` swaps in for `#pending` when it fills every pending order. */
  #spare: Pending[] = [];
  #resting: SimOrderRequest[] = [];
  #fills: Fill[] = [];
  readonly #retain: boolean;

  constructor(options: SimulatedExchangeOptions) {
    this.options = options;
    this.#retain = options.retainHistory ?? true;
    this.#quote = options.quoteBalance;
    this.#base = options.baseBalance ?? 0;
  }

  /** Accepts an order (idempotent per client id: a repeat returns the known order). */
  submit(request: SimOrderRequest): Order {
    const known = this.#find(request.clientOrderId);
    if (known !== null) return known;
    const problem = this.#invalid(request);
    const order = this.#record(request, problem === null ? "open" : "rejected");
    if (problem !== null) return order;
    if (request.type === "market") {
      this.#pending.push({ request, dueBar: this.#bar + (this.options.latencyCandles ?? 0) });
    } else {
      this.#resting.push(request);
    }
    return order;
  }

  /** Cancels an open order; returns its final state, or null when unknown. */
  cancel(clientOrderId: string): Order | null {
    const order = this.#find(clientOrderId);
    if (order === null || order.status !== "open") return order;
    // Filtered into a new list only when the order is in it (a cancel usually hits one list).
    if (this.#pending.some((p) => p.request.clientOrderId === clientOrderId)) {
      this.#pending = this.#pending.filter((p) => p.request.clientOrderId !== clientOrderId);
    }
    if (this.#resting.some((r) => r.clientOrderId === clientOrderId)) {
      this.#resting = this.#resting.filter((r) => r.clientOrderId !== clientOrderId);
    }
    return this.#end(order, "canceled");
  }

  /**
   * Moves to the bar when nothing is pending or resting, so `openBar` and `rangeBar` would do
   * nothing: returns true and they are skipped (the backtest's common case). Else returns false
   * and changes nothing.
   */
  idleBar(candle: Candle): boolean {
    if (this.#pending.length !== 0 || this.#resting.length !== 0) return false;
    this.#bar++;
    this.#timeMs = candle.openTimeMs;
    return true;
  }

  /** `idleBar` for `count` bars in a row, the last opening at `openTimeMs`. */
  idleBars(count: number, openTimeMs: number): boolean {
    if (this.#pending.length !== 0 || this.#resting.length !== 0) return false;
    this.#bar += count;
    this.#timeMs = openTimeMs;
    return true;
  }

  /** Fills the market orders due at this bar's open; returns the orders that changed. */
  openBar(candle: Candle): readonly Order[] {
    const bar = this.#bar++;
    this.#timeMs = candle.openTimeMs;
    const pending = this.#pending;
    if (pending.length === 0) return NONE;
    if (allDue(pending, bar)) {
      // The usual case (no latency): every pending order fills now, without sorting them out.
      // The emptied list is kept as the next spare, so no list is allocated per fill.
      this.#pending = this.#spare;
      const changed = this.#fillAtOpen(pending, candle);
      while (pending.length > 0) pending.pop();
      this.#spare = pending;
      return changed;
    }
    const due: Pending[] = [];
    const later: Pending[] = [];
    for (const p of this.#pending) (p.dueBar <= bar ? due : later).push(p);
    if (due.length === 0) return NONE;
    this.#pending = later;
    return this.#fillAtOpen(due, candle);
  }

  #fillAtOpen(due: readonly Pending[], candle: Candle): Order[] {
    let changed: Order[] | null = null;
    for (let i = 0; i < due.length; i++) {
      const request = due[i].request;
      const price = marketFillPrice(candle.open, request.side, this.options.slippageBps);
      const order = this.#fill(request, price);
      // A one-element literal for the usual single fill: growing an empty list costs more.
      if (changed === null) changed = [order];
      else changed.push(order);
      if (request.side === "sell") this.#cancelUncovered(changed);
    }
    return changed ?? [];
  }

  /** Triggers resting sells inside the bar: gaps at the open first, then stops, then limits. */
  rangeBar(candle: Candle): readonly Order[] {
    if (this.#resting.length === 0) return NONE;
    const hits: { request: SimOrderRequest; price: number; rank: number }[] = [];
    for (const request of this.#resting) {
      const level = request.price!;
      const stop = request.type === "stop_market";
      const price = stop ? sellStopFillPrice(level, candle) : sellLimitFillPrice(level, candle);
      if (price === null) continue;
      // Rank: the open happened first; within the bar the adverse stop is assumed first.
      const rank = price === candle.open ? 0 : stop ? 1 : 2;
      hits.push({ request, price, rank });
    }
    if (hits.length === 0) return NONE;
    hits.sort((a, b) => a.rank - b.rank);
    const changed: Order[] = [];
    for (const { request, price } of hits) {
      if (this.#find(request.clientOrderId)?.status !== "open") continue;
      this.#resting = this.#resting.filter((r) => r !== request);
      changed.push(this.#fill(request, price));
      this.#cancelUncovered(changed);
    }
    return changed;
  }

  /**
   * A ticker price between closes (paper `trade.stop_check: ticker`): the first resting sell the
   * price crossed, the stop before the take-profit, is sold at market there (moved by the
   * slippage) at `timeMs`; the sells it leaves uncovered are cancelled (OCO).
   */
  triggerAtPrice(price: number, timeMs: number): readonly Order[] {
    const hit = this.#resting
      .filter((r) => r.type === "stop_market" ? price <= r.price! : price >= r.price!)
      .sort((a, b) => (a.type === "stop_market" ? 0 : 1) - (b.type === "stop_market" ? 0 : 1))[0];
    if (hit === undefined) return NONE;
    this.#timeMs = timeMs;
    this.#resting = this.#resting.filter((r) => r !== hit);
    const changed = [this.#fill(hit, marketFillPrice(price, "sell", this.options.slippageBps))];
    this.#cancelUncovered(changed);
    return changed;
  }

  /** End of a run: fills every pending market order at this bar's close, without slippage. */
  settle(candle: Candle): readonly Order[] {
    const due = this.#pending;
    this.#pending = [];
    this.#timeMs = candle.openTimeMs;
    const changed: Order[] = [];
    for (const { request } of due) changed.push(this.#fill(request, candle.close));
    return changed;
  }

  /** The order with this client id, or null. */
  order(clientOrderId: string): Order | null {
    return this.#find(clientOrderId);
  }

  /** Orders still open. */
  openOrders(): Order[] {
    return [...this.#live];
  }

  /** The simulated account. */
  balances(): Balances {
    return {
      baseFree: this.#base,
      baseTotal: this.#base,
      quoteFree: this.#quote,
      quoteTotal: this.#quote,
    };
  }

  /** Fills with `timeMs >= sinceMs`, oldest first. */
  fills(sinceMs: number): Fill[] {
    return this.#fills.filter((fill) => fill.timeMs >= sinceMs);
  }

  /** Balances, orders and queues; fills are not kept (the order manager records them). */
  snapshot(): SimulatedExchangeSnapshot {
    return structuredClone({
      quote: this.#quote,
      base: this.#base,
      bar: this.#bar,
      timeMs: this.#timeMs,
      orders: this.#retain ? [...this.#orders.values()] : [...this.#orders.values(), ...this.#live],
      pending: this.#pending,
      resting: this.#resting,
    });
  }

  /** Restores a snapshot taken by `snapshot()`. */
  restore(snapshot: SimulatedExchangeSnapshot): void {
    const copy = structuredClone(snapshot);
    this.#quote = copy.quote;
    this.#base = copy.base;
    this.#bar = copy.bar;
    this.#timeMs = copy.timeMs;
    const kept = this.#retain
      ? copy.orders
      : copy.orders.filter((order) => order.status !== "open");
    this.#orders = new Map(kept.map((order) => [order.clientOrderId, order]));
    this.#mapped = this.#orders.size;
    this.#live = copy.orders.filter((order) => order.status === "open");
    this.#pending = [...copy.pending];
    this.#resting = [...copy.resting];
  }

  #invalid(request: SimOrderRequest): string | null {
    if (request.symbol !== this.options.symbol) return `unknown symbol ${request.symbol}`;
    if (request.type === "market") {
      if (request.side === "buy" && (request.quoteAmount ?? 0) > 0) return null;
      return request.baseAmount > 0 ? null : "amount must be positive";
    }
    if (request.side !== "sell") return `${request.type} buys are not supported`;
    if (!(request.price !== null && request.price > 0)) return "trigger price must be positive";
    return request.baseAmount > 0 ? null : "amount must be positive";
  }

  #fill(request: SimOrderRequest, price: number): Order {
    const order = this.#find(request.clientOrderId)!;
    const { feeRate, amountStep, minAmount = 0, minNotional = 0 } = this.options;
    let amount = request.baseAmount;
    if (request.side === "buy" && request.quoteAmount != null && request.quoteAmount > 0) {
      amount = floorToStep(request.quoteAmount / (price * (1 + feeRate)), amountStep);
    } else if (request.side === "sell" && amount > this.#base) {
      // A sell of the whole position may exceed the balance by float dust; never by more.
      if (amount - this.#base > amount * 1e-9) return this.#end(order, "rejected");
      amount = this.#base;
    }
    const notional = amount * price;
    if (!(amount > 0) || amount < minAmount || notional < minNotional) {
      return this.#end(order, "rejected");
    }
    const fee = notional * feeRate;
    if (request.side === "buy") {
      if (notional + fee > this.#quote * (1 + 1e-12)) {
        return this.#end(order, "rejected");
      }
      this.#quote -= notional + fee;
      this.#base += amount;
    } else {
      this.#base -= amount;
      this.#quote += notional - fee;
    }
    if (this.#retain) {
      this.#fills.push({
        clientOrderId: request.clientOrderId,
        tradeId: `${request.clientOrderId}-1`,
        timeMs: this.#timeMs,
        side: request.side,
        price,
        baseAmount: amount,
        feeQuote: fee,
      });
    }
    return this.#update(order, "filled", amount, price, fee);
  }

  /** OCO: resting sells the base balance can no longer cover are cancelled. */
  #cancelUncovered(changed: Order[]): void {
    const resting = this.#resting;
    if (resting.length === 0) return;
    for (const request of resting) {
      if (request.baseAmount - this.#base > request.baseAmount * 1e-9) {
        changed.push(this.cancel(request.clientOrderId)!);
      }
    }
  }

  #record(request: SimOrderRequest, status: "open" | "rejected"): Order {
    const order: Order = {
      clientOrderId: request.clientOrderId,
      exchangeOrderId: `sim-${this.#mapped + (this.#retain ? 0 : this.#live.length) + 1}`,
      symbol: request.symbol,
      side: request.side,
      type: request.type,
      baseAmount: request.baseAmount,
      price: request.price,
      status,
      filledBaseAmount: 0,
      averagePrice: null,
      feeQuote: 0,
      updatedMs: this.#timeMs,
    };
    if (this.#retain || status !== "open") {
      this.#orders.set(order.clientOrderId, order);
      this.#mapped++;
    }
    if (status === "open") this.#live.push(order);
    return order;
  }

  /** The order with this client id (open ones by a short scan, by identity first), or null. */
  #find(clientOrderId: string): Order | null {
    const live = this.#live;
    for (let i = 0; i < live.length; i++) {
      if (live[i].clientOrderId === clientOrderId) return live[i];
    }
    return this.#mapped === 0 ? null : this.#orders.get(clientOrderId) ?? null;
  }

  /** `order` ended as `status` with nothing (more) filled. */
  #end(order: Order, status: "canceled" | "rejected"): Order {
    return this.#update(order, status, order.filledBaseAmount, order.averagePrice, order.feeQuote);
  }

  #update(
    order: Order,
    status: Ended,
    filledBaseAmount: number,
    averagePrice: number | null,
    feeQuote: number,
  ): Order {
    const live = this.#live;
    const at = live.indexOf(order);
    if (!this.#retain && at >= 0) {
      return this.#endInPlace(order, at, status, filledBaseAmount, averagePrice, feeQuote);
    }
    // A literal of one shape (no spread) keeps every order object monomorphic; the changed
    // fields come as arguments, so no change object is made per update.
    const next: Order = {
      clientOrderId: order.clientOrderId,
      exchangeOrderId: order.exchangeOrderId,
      symbol: order.symbol,
      side: order.side,
      type: order.type,
      baseAmount: order.baseAmount,
      price: order.price,
      status,
      filledBaseAmount,
      averagePrice,
      feeQuote,
      updatedMs: this.#timeMs,
    };
    if (this.#retain) this.#orders.set(order.clientOrderId, next);
    if (at >= 0) this.#unlive(at);
    return next;
  }

  /**
   * `#update` of the open order at `#live[at]` when history is not kept (a backtest): the order's
   * own object changes, as nobody keeps an update past the call that handed it over (the driver
   * books it at once). The order is over, so the object leaves `#live` and never changes again.
   */
  #endInPlace(
    order: Order,
    at: number,
    status: Ended,
    filledBaseAmount: number,
    averagePrice: number | null,
    feeQuote: number,
  ): Order {
    const own = order as { -readonly [K in keyof Order]: Order[K] };
    own.status = status;
    own.filledBaseAmount = filledBaseAmount;
    own.averagePrice = averagePrice;
    own.feeQuote = feeQuote;
    own.updatedMs = this.#timeMs;
    this.#unlive(at);
    return order;
  }

  /** Drops `#live[at]`: shifted down in place and popped (`splice` allocates, `length =` is slow). */
  #unlive(at: number): void {
    const live = this.#live;
    for (let j = at + 1; j < live.length; j++) live[j - 1] = live[j];
    live.pop();
  }
}
