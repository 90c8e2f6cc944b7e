/** Types at the engine kernel's boundary: what it emits (commands, steps) and what it needs (risk). */
import type { RiskContext, RiskPolicy, Strategy } from "./ports.ts";
import type {
  Candle,
  CandleColumns,
  ClosedTrade,
  OrderIntent,
  OrderRequest,
  RiskDecision,
} from "./types.ts";

/** Why the engine sends an order; it becomes the trade's `exitReason` for sells. */
export type OrderPurpose = "enter" | "exit" | "stop_loss" | "take_profit" | "trailing_stop" | "end";

/** An order request as the kernel emits it: sized by risk, with its purpose and origin. */
export interface EngineOrder extends OrderRequest {
  readonly purpose: OrderPurpose;
  readonly reason: string;
  /** Open time of the last candle the kernel had handled when it made this order. */
  readonly candleTimeMs: number;
  /** Kernel-wide sequence number; part of the default client id. */
  readonly seq: number;
  /**
   * Market buys only: quote to spend, fee included. The simulated exchange sizes the fill as
   * `floor_to_step(quoteAmount / (fillPrice × (1 + fee)))`; `baseAmount` is the estimate at the
   * decision price. Null for every other order.
   */
  readonly quoteAmount: number | null;
}

/** What the kernel asks its driver to do, in order: cancels come before the submits they free. */
export type EngineCommand =
  | { readonly kind: "submit"; readonly order: EngineOrder }
  | { readonly kind: "cancel"; readonly clientOrderId: string; readonly symbol: string };

/** One risk review, recorded whether or not it became an order. */
export interface EngineDecision {
  readonly candleTimeMs: number;
  readonly intent: OrderIntent;
  readonly decision: RiskDecision;
}

/** The result of handing the kernel one closed candle. */
export interface EngineStep {
  readonly candle: Candle;
  readonly closeTimeMs: number;
  /** Equity marked at this candle's close: quote + base × close. */
  readonly equityQuote: number;
  readonly intents: readonly OrderIntent[];
  readonly decisions: readonly EngineDecision[];
  readonly commands: readonly EngineCommand[];
}

/** What applying an order update produced: follow-up commands and the trade it closed, if any. */
export interface OrderOutcome {
  readonly commands: readonly EngineCommand[];
  readonly trade: ClosedTrade | null;
  /** Base left over when `trade` closed: less than one amount step, so it cannot be sold. */
  readonly dustBaseAmount?: number;
}

/** Protective levels of a new position, computed from its entry fill price. */
export interface Protection {
  readonly stopLossPrice: number | null;
  readonly takeProfitPrice: number | null;
  /** Trailing distance below the highest price since entry, in %. */
  readonly trailingStopPct: number | null;
}

/** A risk decision that may carry the quote budget of a market buy. */
export type EngineRiskDecision = RiskDecision & { readonly quoteAmount?: number };

/** The risk policy the kernel needs: reviews, plus the protective levels of each new position. */
export interface EngineRiskPolicy extends RiskPolicy {
  review(context: RiskContext): EngineRiskDecision;
  /** Levels for a position entered at `entryPrice`; the intent's absolute levels win. */
  protection(entryPrice: number, intent: OrderIntent | null): Protection;
}

/** Parts a client order id is derived from; the same inputs always give the same id. */
export interface ClientOrderIdParts {
  /** The kernel's `idPrefix`, reduced to at most 16 of `[A-Za-z0-9_-]`. */
  readonly prefix: string;
  readonly candleTimeMs: number;
  readonly purpose: OrderPurpose;
  readonly seq: number;
}

/** The open position as the kernel books it (mutable inside the kernel, JSON-safe). */
export interface PositionState {
  /** Base held: bought, less base-currency fees and what was sold. */
  baseAmount: number;
  /** Base bought, gross of base-currency fees (the entry price's weight). */
  boughtBaseAmount: number;
  /** Entry fees charged in base units (absent in snapshots from before base fees: 0). */
  entryFeeBaseAmount?: number;
  /** Quote value of every fee charged in base units, entry and exit (absent: 0). */
  feeBaseQuote?: number;
  entryCostQuote: number;
  entryFeeQuote: number;
  entryTimeMs: number;
  /** Fill price of a single entry fill, else the amount-weighted average. */
  entryPrice: number;
  highestPrice: number;
  stopLossPrice: number | null;
  takeProfitPrice: number | null;
  trailingStopPct: number | null;
  soldBaseAmount: number;
  exitProceedsQuote: number;
  exitFeeQuote: number;
  /** Fill price of a single exit fill, else the amount-weighted average. */
  exitPrice: number;
}

/** An order the kernel sent and has not yet seen terminal, with what has filled so far. */
export interface TrackedOrder {
  readonly order: EngineOrder;
  /** The intent behind an entry, for its protective levels; null otherwise. */
  readonly intent: OrderIntent | null;
  filledBaseAmount: number;
  notionalQuote: number;
  feeQuote: number;
  /** Fees charged in base units so far (absent in older snapshots: 0). */
  feeBaseAmount?: number;
}

/** Everything a kernel needs to resume exactly where it stopped (JSON-safe). */
export interface EngineSnapshot {
  readonly quoteFree: number;
  readonly baseFree: number;
  readonly position: PositionState | null;
  readonly openOrders: readonly TrackedOrder[];
  readonly stopOrderId: string | null;
  readonly stopPrice: number | null;
  readonly takeProfitOrderId: string | null;
  readonly exitPending: boolean;
  readonly closing: boolean;
  readonly seq: number;
  readonly lastCandleMs: number;
  readonly peakEquityQuote: number;
  readonly dayStartEquityQuote: number;
  readonly dayIndex: number;
  readonly equityQuote: number;
}

/**
 * A strategy that also takes a run of candles in one call: the backtest's fast path over quiet
 * stretches (nothing pending at the venue, no protective order, the position unchanged). Only
 * built-ins implement it; user modules always go candle by candle through `onCandle`.
 */
export interface BatchStrategy extends Strategy {
  /**
   * Feeds candles `from`, `from + 1`, … of `columns` exactly as `onCandle` would, with a context
   * whose position is null unless `held` (nothing else of the context may matter), and stops at
   * the first candle that yields intents: returns its index, its intents in `batchIntents`.
   * Returns `to` when no candle of `[from, to)` yielded any.
   */
  onCandles(columns: CandleColumns, from: number, to: number, held: boolean): number;
  /** The intents of the candle the last `onCandles` stopped at. */
  readonly batchIntents: readonly OrderIntent[];
}
