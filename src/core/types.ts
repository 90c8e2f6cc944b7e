/** Domain types shared by every module. Prices and amounts are plain numbers in exchange units. */

/** One OHLCV candle; `openTimeMs` is the candle's open time in epoch milliseconds (UTC). */
export interface Candle {
  readonly openTimeMs: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** A candle as a positional row, the shape storage returns with `setReturnArrays`. */
export type CandleRow = [
  openTimeMs: number,
  open: number,
  high: number,
  low: number,
  close: number,
  volume: number,
];

/** Candles as parallel typed arrays: the cache-friendly shape for indicators and backtests. */
export interface CandleColumns {
  readonly length: number;
  readonly openTimeMs: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

/** One market: a CCXT exchange id, a unified symbol and a timeframe such as `1h`. */
export interface MarketRef {
  readonly exchange: string;
  readonly symbol: string;
  readonly timeframe: string;
}

/** Run modes of the one engine. */
export type Mode = "backtest" | "paper" | "live" | "replay";

/** Order side. Spot is long-only: `buy` enters, `sell` exits. */
export type Side = "buy" | "sell";

/** Order types the order manager sends. */
export type OrderType = "market" | "limit" | "stop_market";

/** Why a position was closed. */
export type ExitReason =
  | "signal"
  | "stop_loss"
  | "take_profit"
  | "trailing_stop"
  | "end"
  | "manual";

/** What a strategy asks for after a closed candle. It never names an amount; risk sizes it. */
export type OrderIntent =
  | {
    readonly kind: "enter";
    readonly reason: string;
    /** Absolute stop price; overrides the config's `stop_loss_pct` when given. */
    readonly stopLossPrice?: number;
    /** Absolute take-profit price; overrides the config's `take_profit_pct` when given. */
    readonly takeProfitPrice?: number;
  }
  | { readonly kind: "exit"; readonly reason: string }
  | {
    readonly kind: "adjust_stops";
    readonly reason: string;
    readonly stopLossPrice?: number | null;
    readonly takeProfitPrice?: number | null;
  };

/** Order lifecycle. `submitting` is written before the order is sent. */
export type OrderStatus =
  | "submitting"
  | "open"
  | "partially_filled"
  | "filled"
  | "canceled"
  | "rejected"
  | "failed";

/** Terminal statuses: an order in one of these never changes again. */
export const TERMINAL_ORDER_STATUSES: ReadonlySet<OrderStatus> = new Set([
  "filled",
  "canceled",
  "rejected",
  "failed",
]);

/** A request to the venue, already sized and rounded by risk and the order manager. */
export interface OrderRequest {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly baseAmount: number;
  /** Limit price for `limit`, trigger price for `stop_market`; null for `market`. */
  readonly price: number | null;
}

/** The venue's view of an order. */
export interface Order {
  readonly clientOrderId: string;
  readonly exchangeOrderId: string | null;
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly baseAmount: number;
  readonly price: number | null;
  readonly status: OrderStatus;
  readonly filledBaseAmount: number;
  readonly averagePrice: number | null;
  /** Every fee of the order valued in quote (a base fee at `averagePrice`). */
  readonly feeQuote: number;
  /**
   * The part of the fee charged in the base currency, in base units (Binance takes a buyer's fee
   * from the base received unless paid in BNB). It is valued inside `feeQuote` too. Absent: 0.
   */
  readonly feeBaseAmount?: number;
  readonly updatedMs: number;
  /**
   * The venue's executions of the order, each with its trade id, when it reported them (a live
   * exchange); absent when unknown. Stored as the order's fills when they add up to what filled.
   */
  readonly fills?: readonly Fill[];
}

/** One execution of (part of) an order. */
export interface Fill {
  readonly clientOrderId: string;
  readonly tradeId: string;
  readonly timeMs: number;
  readonly side: Side;
  readonly price: number;
  readonly baseAmount: number;
  /** The fill's fees valued in quote (a base fee at `price`). */
  readonly feeQuote: number;
  /** The part of the fee charged in base units, valued inside `feeQuote` too. Absent: 0. */
  readonly feeBaseAmount?: number;
}

/** An open long position with its protective levels. */
export interface Position {
  readonly symbol: string;
  readonly baseAmount: number;
  readonly entryPrice: number;
  readonly entryTimeMs: number;
  readonly entryFeeQuote: number;
  readonly stopLossPrice: number | null;
  readonly takeProfitPrice: number | null;
  /** Highest high since entry, for the trailing stop. */
  readonly highestPrice: number;
}

/** Free and total balances of the market's two currencies. */
export interface Balances {
  readonly baseFree: number;
  readonly baseTotal: number;
  readonly quoteFree: number;
  readonly quoteTotal: number;
}

/** A closed round trip, as reported by backtests and stored in `trades`. */
export interface ClosedTrade {
  readonly entryTimeMs: number;
  readonly exitTimeMs: number;
  readonly entryPrice: number;
  readonly exitPrice: number;
  readonly amount: number;
  readonly pnl: number;
  readonly pnlPct: number;
  readonly fees: number;
  readonly exitReason: ExitReason;
}

/** What the risk policy decided about an intent. A "no" is a value, never an exception. */
export type RiskDecision =
  | { readonly verdict: "accept"; readonly baseAmount: number; readonly reason: string }
  | { readonly verdict: "resize"; readonly baseAmount: number; readonly reason: string }
  | { readonly verdict: "reject"; readonly reason: string };

/** One market's cached facts (precision, limits, fees), as the exchange layer and storage share them. */
export interface MarketRecord {
  readonly exchange: string;
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly active: boolean;
  readonly amountStep: number | null;
  readonly priceStep: number | null;
  readonly minAmount: number | null;
  readonly minNotional: number | null;
  readonly makerFee: number | null;
  readonly takerFee: number | null;
  /** The exchange's timeframes, null when unknown. */
  readonly timeframes: readonly string[] | null;
  /** CCXT's market structure, restored into CCXT on a cache hit. */
  readonly raw: unknown;
  readonly fetchedMs: number;
}
