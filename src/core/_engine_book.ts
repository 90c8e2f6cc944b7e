/** The kernel's books: balances and the open position, changed only by fills. */
import { floorToStep } from "./amounts.ts";
import type { OrderPurpose, PositionState } from "./engine_types.ts";
import type { Balances, ClosedTrade, ExitReason, Position } from "./types.ts";

/** The open position, mutable inside the kernel; strategies see frozen `Position` views. */
export type OpenPosition = PositionState;

const EXIT_REASONS: Readonly<Record<OrderPurpose, ExitReason>> = {
  enter: "manual",
  exit: "signal",
  end: "end",
  stop_loss: "stop_loss",
  take_profit: "take_profit",
  trailing_stop: "trailing_stop",
};

/** One fill as the book sees it; `notionalQuote` is price × amount as the venue charged it. */
export interface BookFill {
  readonly baseAmount: number;
  readonly price: number;
  readonly notionalQuote: number;
  readonly feeQuote: number;
  /** Fee charged in base units (0 when the venue charges quote), valued inside `feeQuote`. */
  readonly feeBaseAmount: number;
  /** Quote value of `feeBaseAmount`; `feeQuote − feeBaseQuote` is the quote actually charged. */
  readonly feeBaseQuote: number;
  readonly timeMs: number;
}

/** Balances plus the position; every change comes from a fill. */
export class EngineBook {
  readonly symbol: string;
  quoteFree: number;
  baseFree: number;
  position: OpenPosition | null = null;
  /** Base left when the last trade closed (below one amount step); 0 when none. */
  lastDustBaseAmount = 0;
  readonly #amountStep: number;
  #view: Position | null = null;
  /** The object of the last closed position, reused by the next entry; null when none. */
  #spare: OpenPosition | null = null;

  constructor(symbol: string, balances: Balances, amountStep: number | null = null) {
    this.symbol = symbol;
    this.#amountStep = amountStep ?? 0;
    this.quoteFree = balances.quoteFree;
    this.baseFree = balances.baseFree;
  }

  /** Balances as the venue port shapes them (the simulated account has nothing locked). */
  balances(): Balances {
    return {
      baseFree: this.baseFree,
      baseTotal: this.baseFree,
      quoteFree: this.quoteFree,
      quoteTotal: this.quoteFree,
    };
  }

  /** Equity at `price`: quote plus the base held, valued at `price`. */
  equityAt(price: number): number {
    return this.quoteFree + this.baseFree * price;
  }

  /** A frozen view of the position, rebuilt only after it changed. */
  view(): Position | null {
    const p = this.position;
    if (p === null) return null;
    if (this.#view === null) {
      this.#view = {
        symbol: this.symbol,
        baseAmount: p.baseAmount,
        entryPrice: p.entryPrice,
        entryTimeMs: p.entryTimeMs,
        entryFeeQuote: p.entryFeeQuote,
        stopLossPrice: p.stopLossPrice,
        takeProfitPrice: p.takeProfitPrice,
        highestPrice: p.highestPrice,
      };
    }
    return this.#view;
  }

  /** Marks the position view stale after a level or the highest price moved. */
  touch(): void {
    this.#view = null;
  }

  /** Base the position can sell: what is held, floored to the amount step. */
  sellableBaseAmount(): number {
    const p = this.position;
    if (p === null) return 0;
    return this.#amountStep > 0 ? floorToStep(p.baseAmount, this.#amountStep) : p.baseAmount;
  }

  /** Books a buy fill: quote out (notional + quote fee), base in (less any base fee). */
  buy(fill: BookFill): void {
    const { baseAmount, price, notionalQuote: costQuote, feeQuote, feeBaseAmount } = fill;
    const heldBaseAmount = baseAmount - feeBaseAmount;
    this.quoteFree -= costQuote + (feeQuote - fill.feeBaseQuote);
    this.baseFree += heldBaseAmount;
    const p = this.position;
    if (p === null) {
      const spare = this.#spare;
      if (spare !== null) {
        // The last closed position's object, refilled field by field: nothing outside the book
        // keeps it (views, trades and snapshots are copies), and refilling allocates nothing.
        this.#spare = null;
        spare.baseAmount = heldBaseAmount;
        spare.boughtBaseAmount = baseAmount;
        spare.entryFeeBaseAmount = feeBaseAmount;
        spare.feeBaseQuote = fill.feeBaseQuote;
        spare.entryCostQuote = costQuote;
        spare.entryFeeQuote = feeQuote;
        spare.entryTimeMs = fill.timeMs;
        spare.entryPrice = price;
        spare.highestPrice = price;
        spare.stopLossPrice = null;
        spare.takeProfitPrice = null;
        spare.trailingStopPct = null;
        spare.soldBaseAmount = 0;
        spare.exitProceedsQuote = 0;
        spare.exitFeeQuote = 0;
        spare.exitPrice = 0;
        this.position = spare;
      } else {
        this.position = {
          baseAmount: heldBaseAmount,
          boughtBaseAmount: baseAmount,
          entryFeeBaseAmount: feeBaseAmount,
          feeBaseQuote: fill.feeBaseQuote,
          entryCostQuote: costQuote,
          entryFeeQuote: feeQuote,
          entryTimeMs: fill.timeMs,
          entryPrice: price,
          highestPrice: price,
          stopLossPrice: null,
          takeProfitPrice: null,
          trailingStopPct: null,
          soldBaseAmount: 0,
          exitProceedsQuote: 0,
          exitFeeQuote: 0,
          exitPrice: 0,
        };
      }
    } else {
      p.baseAmount += heldBaseAmount;
      p.boughtBaseAmount += baseAmount;
      p.entryFeeBaseAmount = (p.entryFeeBaseAmount ?? 0) + feeBaseAmount;
      p.feeBaseQuote = (p.feeBaseQuote ?? 0) + fill.feeBaseQuote;
      p.entryCostQuote += costQuote;
      p.entryFeeQuote += feeQuote;
      p.entryPrice = p.entryCostQuote / p.boughtBaseAmount;
      if (price > p.highestPrice) p.highestPrice = price;
    }
    this.#view = null;
  }

  /**
   * Books a sell fill; returns the closed trade when what is left is dust: below one amount step
   * (it cannot be sold), or a rounding residue. The dust stays in `baseFree`.
   */
  sell(fill: BookFill, purpose: OrderPurpose): ClosedTrade | null {
    const outBaseAmount = fill.baseAmount + fill.feeBaseAmount;
    this.quoteFree += fill.notionalQuote - (fill.feeQuote - fill.feeBaseQuote);
    this.baseFree -= outBaseAmount;
    const p = this.position;
    if (p === null) return null;
    p.baseAmount -= outBaseAmount;
    p.exitPrice = p.soldBaseAmount === 0
      ? fill.price
      : (p.exitProceedsQuote + fill.notionalQuote) / (p.soldBaseAmount + fill.baseAmount);
    p.soldBaseAmount += fill.baseAmount;
    p.exitProceedsQuote += fill.notionalQuote;
    p.exitFeeQuote += fill.feeQuote;
    if (fill.feeBaseQuote !== 0) p.feeBaseQuote = (p.feeBaseQuote ?? 0) + fill.feeBaseQuote;
    this.#view = null;
    const left = p.baseAmount;
    if (left > p.boughtBaseAmount * 1e-9 && !(left < this.#amountStep)) return null;
    this.position = null;
    this.#spare = p;
    this.lastDustBaseAmount = left > 0 ? left : 0;
    const fees = p.entryFeeQuote + p.exitFeeQuote;
    // Fees taken in base already shrank what was sold; only the quote-charged ones cost cash.
    const pnl = p.exitProceedsQuote - p.entryCostQuote - (fees - (p.feeBaseQuote ?? 0));
    return {
      entryTimeMs: p.entryTimeMs,
      exitTimeMs: fill.timeMs,
      entryPrice: p.entryPrice,
      exitPrice: p.exitPrice,
      amount: p.boughtBaseAmount - (p.entryFeeBaseAmount ?? 0),
      pnl,
      pnlPct: (pnl / p.entryCostQuote) * 100,
      fees,
      exitReason: EXIT_REASONS[purpose],
    };
  }
}
