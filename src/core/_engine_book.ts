/** The kernel's books: balances and the open position, changed only by fills. */
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
  readonly timeMs: number;
}

/** Balances plus the position; every change comes from a fill. */
export class EngineBook {
  readonly symbol: string;
  quoteFree: number;
  baseFree: number;
  position: OpenPosition | null = null;
  #view: Position | null = null;

  constructor(symbol: string, balances: Balances) {
    this.symbol = symbol;
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

  /** Books a buy fill: quote out (notional + fee), base in. */
  buy(fill: BookFill): void {
    const { baseAmount, price, notionalQuote: costQuote, feeQuote } = fill;
    this.quoteFree -= costQuote + feeQuote;
    this.baseFree += baseAmount;
    const p = this.position;
    if (p === null) {
      this.position = {
        baseAmount,
        boughtBaseAmount: baseAmount,
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
    } else {
      p.baseAmount += baseAmount;
      p.boughtBaseAmount += baseAmount;
      p.entryCostQuote += costQuote;
      p.entryFeeQuote += feeQuote;
      p.entryPrice = p.entryCostQuote / p.boughtBaseAmount;
      if (price > p.highestPrice) p.highestPrice = price;
    }
    this.#view = null;
  }

  /** Books a sell fill; returns the closed trade when it leaves no more than dust. */
  sell(fill: BookFill, purpose: OrderPurpose): ClosedTrade | null {
    this.quoteFree += fill.notionalQuote - fill.feeQuote;
    this.baseFree -= fill.baseAmount;
    const p = this.position;
    if (p === null) return null;
    p.baseAmount -= fill.baseAmount;
    p.exitPrice = p.soldBaseAmount === 0
      ? fill.price
      : (p.exitProceedsQuote + fill.notionalQuote) / (p.soldBaseAmount + fill.baseAmount);
    p.soldBaseAmount += fill.baseAmount;
    p.exitProceedsQuote += fill.notionalQuote;
    p.exitFeeQuote += fill.feeQuote;
    this.#view = null;
    if (p.baseAmount > p.boughtBaseAmount * 1e-9) return null;
    this.position = null;
    const fees = p.entryFeeQuote + p.exitFeeQuote;
    const pnl = p.exitProceedsQuote - p.entryCostQuote - fees;
    return {
      entryTimeMs: p.entryTimeMs,
      exitTimeMs: fill.timeMs,
      entryPrice: p.entryPrice,
      exitPrice: p.exitPrice,
      amount: p.boughtBaseAmount,
      pnl,
      pnlPct: (pnl / p.entryCostQuote) * 100,
      fees,
      exitReason: EXIT_REASONS[purpose],
    };
  }
}
