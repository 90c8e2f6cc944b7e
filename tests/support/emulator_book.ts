/** Accounts, balances, orders and trades of the emulator, with market, limit and stop matching. */
import { alignOpen, type CandleSource, lowerBound, partialCandle } from "./candle_source.ts";
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
export type EmulatorOrderStatus = "NEW" | "PARTIALLY_FILLED" | "FILLED" | "CANCELED" | "REJECTED";

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
  /** Candles with open time below this were already checked for a fill. */
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

/** The emulator's matching engine and ledger. */
export class EmulatorBook {
  readonly accounts = new Map<string, EmulatorAccount>();
  readonly orders: EmulatorOrder[] = [];
  readonly trades: EmulatorTrade[] = [];
  readonly feeRate: number;
  readonly #commissionIn: "received" | "quote";
  #nextOrderId = 100_000_001;
  #nextTradeId = 500_000_001;

  constructor(
    readonly symbols: ReadonlyMap<string, SymbolSpec>,
    readonly source: CandleSource,
    options: BookOptions = {},
  ) {
    this.feeRate = options.feeRate ?? 0.001;
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

  /** The symbol's spec or Binance's -1121. */
  spec(symbol: string): SymbolSpec {
    const s = this.symbols.get(symbol);
    if (!s) throw new BinanceError(400, -1121, "Invalid symbol.");
    return s;
  }

  /** Last traded price at `nowMs`: the still-open candle's pro-rated close. */
  priceAt(symbol: string, nowMs: number): number {
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
    if (o.type === "MARKET") this.#fill(account, order, marketPrice, nowMs, false);
    else if (o.type === "LIMIT" && crosses(order, marketPrice)) {
      this.#fill(account, order, marketPrice, nowMs, false);
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

  #fill(
    account: EmulatorAccount,
    order: EmulatorOrder,
    price: number,
    timeMs: number,
    isMaker: boolean,
  ) {
    const spec = this.spec(order.symbol);
    const qty = order.origQty - order.executedQty;
    const quoteQty = qty * price;
    this.#unlock(account, order);
    const base = this.balance(account, spec.baseAsset);
    const quote = this.balance(account, spec.quoteAsset);
    const buy = order.side === "BUY";
    const feeInBase = buy && this.#commissionIn === "received";
    const commission = (feeInBase ? qty : quoteQty) * this.feeRate;
    if (buy) {
      quote.free -= quoteQty + (feeInBase ? 0 : commission);
      base.free += qty - (feeInBase ? commission : 0);
    } else {
      base.free -= qty;
      quote.free += quoteQty - commission;
    }
    order.executedQty += qty;
    order.cumQuote += quoteQty;
    order.status = "FILLED";
    order.updateTimeMs = timeMs;
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
      timeMs,
      isBuyer: buy,
      isMaker,
    });
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

  /** Cancels an open order; Binance's -2011 when it is unknown or already done. */
  cancel(account: EmulatorAccount, order: EmulatorOrder | null, nowMs: number): EmulatorOrder {
    if (!order || !isOpen(order)) throw new BinanceError(400, -2011, "Unknown order sent.");
    this.#unlock(account, order);
    order.status = "CANCELED";
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
        if (this.#trigger(account, order, c, at)) break;
        if (!open) order.checkedFromMs = c.openTimeMs;
      }
    }
  }

  /** Applies one candle to a resting order; true when the order filled. */
  #trigger(account: EmulatorAccount, order: EmulatorOrder, c: CandleLike, atMs: number): boolean {
    const buy = order.side === "BUY";
    if (order.type !== "LIMIT" && !order.triggered) {
      const stopUp = (order.type.startsWith("STOP") && buy) ||
        (order.type.startsWith("TAKE") && !buy);
      const hit = stopUp ? c.high >= order.stopPrice : c.low <= order.stopPrice;
      if (!hit) return false;
      if (!order.type.endsWith("LIMIT")) {
        const gapped = stopUp ? c.open > order.stopPrice : c.open < order.stopPrice;
        this.#fill(account, order, gapped ? c.open : order.stopPrice, atMs, false);
        return true;
      }
      order.triggered = true;
    }
    const hitLimit = buy ? c.low <= order.price : c.high >= order.price;
    if (hitLimit) this.#fill(account, order, order.price, atMs, true);
    return hitLimit;
  }
}

interface CandleLike {
  open: number;
  high: number;
  low: number;
}

/** True while an order can still fill or be canceled. */
export function isOpen(o: EmulatorOrder): boolean {
  return o.status === "NEW" || o.status === "PARTIALLY_FILLED";
}

function crosses(order: EmulatorOrder, marketPrice: number): boolean {
  return order.side === "BUY" ? marketPrice <= order.price : marketPrice >= order.price;
}
