/**
 * Accounts, balances, orders and trades of the emulator, with market, limit and stop matching.
 * With a depth set for a symbol (`setDepth`), each matching event takes only what the depth holds:
 * a market order (or a triggered stop) walks the levels and its remainder expires (`EXPIRED`),
 * a limit order rests `PARTIALLY_FILLED` and takes the next level on each later candle that
 * crosses it.
 */
import { alignOpen, type CandleSource, lowerBound, partialCandle } from "./candle_source.ts";
import { type BookDepth, walkDepth } from "./emulator_depth.ts";
import { filterFailure, type SymbolSpec } from "./emulator_markets.ts";

/** A Binance-style error: HTTP status, Binance code and message. */
export class BinanceError extends Error {
  constructor(readonly httpStatus: number, readonly code: number, message: string) {
    super(message);
  }
}

/** Balance of one asset. */
export interface AssetBalance {
  free: number;
  locked: number;
}

/** An API key, its secret and its balances. */
export interface EmulatorAccount {
  readonly apiKey: string;
  readonly secret: string;
  readonly balances: Map<string, AssetBalance>;
}

/** Binance order statuses the emulator uses. */
export type EmulatorOrderStatus =
  | "NEW"
  | "PARTIALLY_FILLED"
  | "FILLED"
  | "CANCELED"
  | "EXPIRED"
  | "REJECTED";

/** How an order left the book without filling: cancelled, or expired by the exchange. */
export type EndedStatus = "CANCELED" | "EXPIRED";

/** An order as the emulator stores it. */
export interface EmulatorOrder {
  orderId: number;
  apiKey: string;
  symbol: string;
  clientOrderId: string;
  side: "BUY" | "SELL";
  type: string;
  timeInForce: string | null;
  price: number;
  stopPrice: number;
  origQty: number;
  executedQty: number;
  cumQuote: number;
  status: EmulatorOrderStatus;
  timeMs: number;
  updateTimeMs: number;
  lockedAsset: string | null;
  lockedAmount: number;
  /** A stop-limit order whose stop was hit and now rests as a limit. */
  triggered: boolean;
  /** Candles with open time up to this one were already checked for a fill. */
  checkedFromMs: number;
}

/** One execution. */
export interface EmulatorTrade {
  id: number;
  orderId: number;
  apiKey: string;
  symbol: string;
  price: number;
  qty: number;
  quoteQty: number;
  commission: number;
  commissionAsset: string;
  timeMs: number;
  isBuyer: boolean;
  isMaker: boolean;
}

/** Parameters of a new order, already parsed from the request. */
export interface NewOrder {
  symbol: string;
  side: string;
  type: string;
  quantity: number;
  price: number | null;
  stopPrice: number | null;
  timeInForce: string | null;
  clientOrderId: string;
}

/** Fee options: rate, and whether the fee is taken from the received asset (Binance) or quote. */
export interface BookOptions {
  feeRate?: number;
  /** Rate for maker fills (a resting limit order that fills later); default `feeRate`. */
  makerFeeRate?: number;
  /** Market prices on the symbol's tick, as an exchange trades (default: the raw pro-rated price). */
  tickPrices?: boolean;
  commissionIn?: "received" | "quote";
}

const RESTING = new Set([
  "LIMIT",
  "STOP_LOSS",
  "STOP_LOSS_LIMIT",
  "TAKE_PROFIT",
  "TAKE_PROFIT_LIMIT",
]);
const TYPES = new Set(["MARKET", ...RESTING]);
const TAKER_MARKET = { market: true, isMaker: false } as const;
const TAKER_LIMIT = { market: false, isMaker: false } as const;
const MAKER_LIMIT = { market: false, isMaker: true } as const;

/** The emulator's matching engine and ledger. */
export class EmulatorBook {
  readonly accounts = new Map<string, EmulatorAccount>();
  readonly orders: EmulatorOrder[] = [];
  readonly trades: EmulatorTrade[] = [];
  readonly feeRate: number;
  readonly makerFeeRate: number;
  readonly #tickPrices: boolean;
  readonly #commissionIn: "received" | "quote";
  readonly #depth = new Map<string, BookDepth>();
  #nextOrderId = 100_000_001;
  #nextTradeId = 500_000_001;

  constructor(
    readonly symbols: ReadonlyMap<string, SymbolSpec>,
    readonly source: CandleSource,
    options: BookOptions = {},
  ) {
    this.feeRate = options.feeRate ?? 0.001;
    this.makerFeeRate = options.makerFeeRate ?? this.feeRate;
    this.#tickPrices = options.tickPrices ?? false;
    this.#commissionIn = options.commissionIn ?? "received";
  }

  /** Adds or replaces an account with the given free balances. */
  addAccount(apiKey: string, secret: string, balances: Record<string, number>): void {
    const map = new Map<string, AssetBalance>();
    for (const [asset, free] of Object.entries(balances)) map.set(asset, { free, locked: 0 });
    this.accounts.set(apiKey, { apiKey, secret, balances: map });
  }

  /** The balance record of an asset, created at zero. */
  balance(account: EmulatorAccount, asset: string): AssetBalance {
    let b = account.balances.get(asset);
    if (!b) account.balances.set(asset, b = { free: 0, locked: 0 });
    return b;
  }

  /** Limits what each matching event of `symbol` can take; null: unlimited (the default). */
  setDepth(symbol: string, depth: BookDepth | null): void {
    this.spec(symbol);
    if (depth === null) this.#depth.delete(symbol);
    else this.#depth.set(symbol, depth);
  }

  /** The symbol's spec or Binance's -1121. */
  spec(symbol: string): SymbolSpec {
    const s = this.symbols.get(symbol);
    if (!s) throw new BinanceError(400, -1121, "Invalid symbol.");
    return s;
  }

  /** Last traded price at `nowMs`: the still-open candle's pro-rated close (on the tick if asked). */
  priceAt(symbol: string, nowMs: number): number {
    const price = this.#rawPriceAt(symbol, nowMs);
    if (!this.#tickPrices) return price;
    const tick = Number(this.spec(symbol).tickSize);
    return Number((Math.round(price / tick) * tick).toFixed(12));
  }

  #rawPriceAt(symbol: string, nowMs: number): number {
    const series = this.source.finest(symbol, nowMs);
    if (!series) return this.spec(symbol).fallbackPrice;
    const { candles, intervalMs } = series;
    const i = lowerBound(candles, alignOpen(nowMs, intervalMs) + 1) - 1;
    if (i < 0) return candles[0].open;
    const c = candles[i];
    return c.openTimeMs + intervalMs > nowMs ? partialCandle(c, intervalMs, nowMs).close : c.close;
  }

  /** Validates, funds and places an order; market orders fill at once. */
  place(account: EmulatorAccount, o: NewOrder, nowMs: number): EmulatorOrder {
    const spec = this.spec(o.symbol);
    this.#validate(o, spec);
    const duplicate = this.orders.find((x) =>
      x.apiKey === account.apiKey && x.clientOrderId === o.clientOrderId && isOpen(x)
    );
    if (duplicate) throw new BinanceError(400, -2010, "Duplicate order sent.");
    const marketPrice = this.priceAt(o.symbol, nowMs);
    const failure = filterFailure(spec, {
      quantity: o.quantity,
      price: o.price,
      notionalPrice: o.price ?? o.stopPrice ?? marketPrice,
    });
    if (failure) throw new BinanceError(400, -1013, failure);
    const order = this.#newOrder(account, o, nowMs);
    this.#lock(account, order, spec, marketPrice);
    this.orders.push(order);
    if (o.type === "MARKET") this.#execute(account, order, marketPrice, nowMs, TAKER_MARKET);
    else if (o.type === "LIMIT" && crosses(order, marketPrice)) {
      this.#execute(account, order, marketPrice, nowMs, TAKER_LIMIT);
    }
    return order;
  }

  #validate(o: NewOrder, spec: SymbolSpec): void {
    if (!TYPES.has(o.type)) throw new BinanceError(400, -1116, "Invalid orderType.");
    if (o.side !== "BUY" && o.side !== "SELL") throw new BinanceError(400, -1117, "Invalid side.");
    if (!(o.quantity > 0)) {
      throw new BinanceError(
        400,
        -1102,
        "Mandatory parameter 'quantity' was not sent, was empty/null, or malformed.",
      );
    }
    if (o.type.includes("LIMIT") && !(o.price !== null && o.price > 0)) {
      throw new BinanceError(
        400,
        -1102,
        "Mandatory parameter 'price' was not sent, was empty/null, or malformed.",
      );
    }
    if (o.type !== "MARKET" && o.type !== "LIMIT" && !(o.stopPrice !== null && o.stopPrice > 0)) {
      throw new BinanceError(
        400,
        -1102,
        "Mandatory parameter 'stopPrice' was not sent, was empty/null, or malformed.",
      );
    }
    if (!/^[.A-Z:/a-z0-9_-]{1,36}$/.test(o.clientOrderId)) {
      throw new BinanceError(
        400,
        -1100,
        "Illegal characters found in parameter 'newClientOrderId'; legal range is '^[\\.A-Z\\:/a-z0-9_-]{1,36}$'.",
      );
    }
    if (spec.symbol !== o.symbol) throw new BinanceError(400, -1121, "Invalid symbol.");
  }

  #newOrder(account: EmulatorAccount, o: NewOrder, nowMs: number): EmulatorOrder {
    return {
      orderId: this.#nextOrderId++,
      apiKey: account.apiKey,
      symbol: o.symbol,
      clientOrderId: o.clientOrderId,
      side: o.side as "BUY" | "SELL",
      type: o.type,
      timeInForce: o.type.includes("LIMIT") ? (o.timeInForce ?? "GTC") : null,
      price: o.price ?? 0,
      stopPrice: o.stopPrice ?? 0,
      origQty: o.quantity,
      executedQty: 0,
      cumQuote: 0,
      status: "NEW",
      timeMs: nowMs,
      updateTimeMs: nowMs,
      lockedAsset: null,
      lockedAmount: 0,
      triggered: false,
      checkedFromMs: nowMs,
    };
  }

  #lock(
    account: EmulatorAccount,
    order: EmulatorOrder,
    spec: SymbolSpec,
    marketPrice: number,
  ): void {
    const buy = order.side === "BUY";
    const asset = buy ? spec.quoteAsset : spec.baseAsset;
    const unitPrice = order.price || order.stopPrice || marketPrice;
    const feeFactor = buy && this.#commissionIn === "quote" ? 1 + this.feeRate : 1;
    const amount = buy ? order.origQty * unitPrice * feeFactor : order.origQty;
    const b = this.balance(account, asset);
    if (b.free + 1e-12 < amount) {
      throw new BinanceError(400, -2010, "Account has insufficient balance for requested action.");
    }
    b.free -= amount;
    b.locked += amount;
    order.lockedAsset = asset;
    order.lockedAmount = amount;
  }

  /**
   * One matching event: trades what the depth holds from `price` on, then the order is `FILLED`,
   * or (its remainder) `EXPIRED` for a market order, or rests `PARTIALLY_FILLED` for a limit.
   */
  #execute(
    account: EmulatorAccount,
    order: EmulatorOrder,
    price: number,
    timeMs: number,
    how: { readonly market: boolean; readonly isMaker: boolean },
  ): void {
    const spec = this.spec(order.symbol);
    const walk = {
      side: order.side,
      price,
      limitPrice: how.market ? null : order.price,
      tickSize: Number(spec.tickSize),
    };
    const remaining = order.origQty - order.executedQty;
    const slices = walkDepth(remaining, walk, this.#depth.get(order.symbol) ?? null);
    for (const slice of slices) {
      this.#trade(account, order, slice, { timeMs, isMaker: how.isMaker });
    }
    order.updateTimeMs = timeMs;
    if (order.origQty - order.executedQty <= order.origQty * 1e-9) {
      order.executedQty = order.origQty;
      order.status = "FILLED";
    } else if (how.market) {
      order.status = "EXPIRED"; // Binance: a market order's unfilled part expires
    } else if (order.executedQty > 0) {
      order.status = "PARTIALLY_FILLED";
      return; // the rest stays locked and resting
    } else {
      return;
    }
    this.#unlock(account, order);
  }

  /** One execution: frees its share of the order's lock, moves the balances, records the trade. */
  #trade(
    account: EmulatorAccount,
    order: EmulatorOrder,
    slice: { readonly qty: number; readonly price: number },
    at: { readonly timeMs: number; readonly isMaker: boolean },
  ): void {
    const spec = this.spec(order.symbol);
    const { qty, price } = slice;
    const quoteQty = qty * price;
    this.#release(account, order, qty / (order.origQty - order.executedQty));
    const base = this.balance(account, spec.baseAsset);
    const quote = this.balance(account, spec.quoteAsset);
    const buy = order.side === "BUY";
    const feeInBase = buy && this.#commissionIn === "received";
    const rate = at.isMaker ? this.makerFeeRate : this.feeRate;
    const commission = (feeInBase ? qty : quoteQty) * rate;
    if (buy) {
      quote.free -= quoteQty + (feeInBase ? 0 : commission);
      base.free += qty - (feeInBase ? commission : 0);
    } else {
      base.free -= qty;
      quote.free += quoteQty - commission;
    }
    order.executedQty += qty;
    order.cumQuote += quoteQty;
    this.trades.push({
      id: this.#nextTradeId++,
      orderId: order.orderId,
      apiKey: account.apiKey,
      symbol: order.symbol,
      price,
      qty,
      quoteQty,
      commission,
      commissionAsset: feeInBase ? spec.baseAsset : spec.quoteAsset,
      timeMs: at.timeMs,
      isBuyer: buy,
      isMaker: at.isMaker,
    });
  }

  /** Moves `share` (0–1) of what the order still has locked back to free. */
  #release(account: EmulatorAccount, order: EmulatorOrder, share: number): void {
    if (!order.lockedAsset) return;
    const amount = order.lockedAmount * Math.min(1, share);
    const b = this.balance(account, order.lockedAsset);
    b.locked -= amount;
    b.free += amount;
    order.lockedAmount -= amount;
  }

  #unlock(account: EmulatorAccount, order: EmulatorOrder): void {
    if (!order.lockedAsset) return;
    const b = this.balance(account, order.lockedAsset);
    b.locked -= order.lockedAmount;
    b.free += order.lockedAmount;
    order.lockedAsset = null;
    order.lockedAmount = 0;
  }

  /** Finds an order by id or client id (the latest with that client id). */
  find(apiKey: string, symbol: string, q: { orderId?: number; clientOrderId?: string }) {
    for (let i = this.orders.length - 1; i >= 0; i--) {
      const o = this.orders[i];
      if (o.apiKey !== apiKey || o.symbol !== symbol) continue;
      if (q.orderId !== undefined && o.orderId === q.orderId) return o;
      if (q.orderId === undefined && o.clientOrderId === q.clientOrderId) return o;
    }
    return null;
  }

  /**
   * Cancels an open order (or expires it, as the exchange does on its own); Binance's -2011 when
   * it is unknown or already done. What it filled stays filled.
   */
  cancel(
    account: EmulatorAccount,
    order: EmulatorOrder | null,
    nowMs: number,
    status: EndedStatus = "CANCELED",
  ): EmulatorOrder {
    if (!order || !isOpen(order)) throw new BinanceError(400, -2011, "Unknown order sent.");
    this.#unlock(account, order);
    order.status = status;
    order.updateTimeMs = nowMs;
    return order;
  }

  /** Fills resting limit and stop orders that the market crossed up to `nowMs`. */
  match(nowMs: number): void {
    for (const order of this.orders) {
      if (!isOpen(order) || !RESTING.has(order.type)) continue;
      const series = this.source.finest(order.symbol, nowMs);
      const account = this.accounts.get(order.apiKey);
      if (!series || !account) continue;
      const { candles, intervalMs } = series;
      const start = alignOpen(order.checkedFromMs, intervalMs) + intervalMs;
      for (let i = lowerBound(candles, start); i < candles.length; i++) {
        const full = candles[i];
        if (full.openTimeMs > nowMs) break;
        const open = full.openTimeMs + intervalMs > nowMs;
        const c = open ? partialCandle(full, intervalMs, nowMs) : full;
        const at = Math.max(c.openTimeMs, order.timeMs);
        const traded = this.#trigger(account, order, c, at);
        // A candle fills a resting order at most once: the next match starts after it.
        if (!open || traded) order.checkedFromMs = c.openTimeMs;
        if (!isOpen(order)) break;
      }
    }
  }

  /** Applies one candle to a resting order; true when it traded. */
  #trigger(account: EmulatorAccount, order: EmulatorOrder, c: CandleLike, atMs: number): boolean {
    const buy = order.side === "BUY";
    if (order.type !== "LIMIT" && !order.triggered) {
      const stopUp = (order.type.startsWith("STOP") && buy) ||
        (order.type.startsWith("TAKE") && !buy);
      const hit = stopUp ? c.high >= order.stopPrice : c.low <= order.stopPrice;
      if (!hit) return false;
      if (!order.type.endsWith("LIMIT")) {
        const gapped = stopUp ? c.open > order.stopPrice : c.open < order.stopPrice;
        const price = gapped ? c.open : order.stopPrice;
        this.#execute(account, order, price, atMs, TAKER_MARKET);
        return true;
      }
      order.triggered = true;
    }
    const hitLimit = buy ? c.low <= order.price : c.high >= order.price;
    if (hitLimit) this.#execute(account, order, order.price, atMs, MAKER_LIMIT);
    return hitLimit;
  }
}

interface CandleLike {
  open: number;
  high: number;
  low: number;
}

/** The client id the exchange gives an order sent without one. */
export function generatedClientOrderId(): string {
  return `emu${crypto.randomUUID().replaceAll("-", "").slice(0, 19)}`;
}

/** True while an order can still fill or be canceled. */
export function isOpen(o: EmulatorOrder): boolean {
  return o.status === "NEW" || o.status === "PARTIALLY_FILLED";
}

function crosses(order: EmulatorOrder, marketPrice: number): boolean {
  return order.side === "BUY" ? marketPrice <= order.price : marketPrice >= order.price;
}
