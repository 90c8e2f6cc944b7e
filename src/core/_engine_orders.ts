/** The kernel's order side: turns accepted intents into commands and books order updates. */
import type { BookFill, EngineBook } from "./_engine_book.ts";
import { OrderFactory, type OrderSpec } from "./_engine_order_factory.ts";
import type {
  ClientOrderIdParts,
  EngineCommand,
  EngineRiskDecision,
  EngineRiskPolicy,
  EngineSnapshot,
  OrderOutcome,
  OrderPurpose,
  TrackedOrder,
} from "./engine_types.ts";
import {
  type Order,
  type OrderIntent,
  type RiskDecision,
  TERMINAL_ORDER_STATUSES,
} from "./types.ts";

const NONE: readonly never[] = Object.freeze([]);
const NO_OUTCOME: OrderOutcome = Object.freeze({ commands: NONE, trade: null });
/** Order bookkeeping for one kernel. */
export class EngineOrders {
  lastCandleMs = 0;
  readonly #book: EngineBook;
  readonly #risk: EngineRiskPolicy;
  readonly #factory: OrderFactory;
  #open = new Map<string, TrackedOrder>();
  #stopId: string | null = null;
  #stopPrice: number | null = null;
  #takeProfitId: string | null = null;
  #exitPending = false;
  #closing = false;

  constructor(
    book: EngineBook,
    risk: EngineRiskPolicy,
    ids: { prefix: string; clientOrderId: (parts: ClientOrderIdParts) => string },
  ) {
    this.#book = book;
    this.#risk = risk;
    this.#factory = new OrderFactory(book.symbol, ids);
  }

  /** Client ids of orders not yet terminal. */
  openIds(): string[] {
    return [...this.#open.keys()];
  }

  /** Open positions as risk counts them: the position plus entries still in flight. */
  openPositions(): number {
    let count = this.#book.position === null ? 0 : 1;
    for (const tracked of this.#open.values()) if (tracked.order.purpose === "enter") count++;
    return count;
  }

  /** A rejection the kernel decides on its own (orders in flight), or null to ask risk. */
  blocked(): RiskDecision | null {
    if (this.#closing) return { verdict: "reject", reason: "run is finishing" };
    if (this.#exitPending) return { verdict: "reject", reason: "exit order pending" };
    return null;
  }

  /** Emits the commands for an accepted or resized decision. */
  act(intent: OrderIntent, decision: EngineRiskDecision, out: EngineCommand[]): void {
    if (decision.verdict === "reject") return;
    if (intent.kind === "enter") {
      const quoteAmount = decision.quoteAmount ?? null;
      const spec = { purpose: "enter", reason: intent.reason, side: "buy", quoteAmount } as const;
      this.#submit(out, { ...spec, baseAmount: decision.baseAmount }, intent);
    } else if (intent.kind === "exit") {
      this.#sellAll(out, "exit", intent.reason);
    } else {
      const position = this.#book.position;
      if (position === null) return;
      if (intent.stopLossPrice !== undefined) position.stopLossPrice = intent.stopLossPrice;
      if (intent.takeProfitPrice !== undefined) position.takeProfitPrice = intent.takeProfitPrice;
      this.#book.touch();
      this.#cancelProtection(out);
      this.#protect(out);
    }
  }

  /** Books one order update; returns follow-up commands and the trade it closed. */
  apply(order: Order): OrderOutcome {
    const tracked = this.#open.get(order.clientOrderId);
    if (tracked === undefined) return NO_OUTCOME;
    const terminal = TERMINAL_ORDER_STATUSES.has(order.status);
    if (terminal) this.#forget(order.clientOrderId);
    const out: EngineCommand[] = [];
    const trade = this.#bookFill(tracked, order);
    if (trade !== null) this.#cancelProtection(out);
    if (terminal) this.#afterTerminal(tracked, out);
    return out.length === 0 && trade === null ? NO_OUTCOME : { commands: out, trade };
  }

  /** Raises the stop when the trailing level passed it; commands, or none. */
  trailStop(): readonly EngineCommand[] {
    const position = this.#book.position;
    if (position === null || position.trailingStopPct === null) return NONE;
    if (this.#exitPending || this.#closing || this.#stopId === null) return NONE;
    const level = position.highestPrice * (1 - position.trailingStopPct / 100);
    if (this.#stopPrice !== null && level <= this.#stopPrice) return NONE;
    const out: EngineCommand[] = [];
    out.push({ kind: "cancel", clientOrderId: this.#stopId, symbol: this.#book.symbol });
    this.#stopId = null;
    this.#submitStop(out);
    return out;
  }

  /** Cancels every open order and sells the whole position with purpose `end`. */
  closeAll(): EngineCommand[] {
    this.#closing = true;
    const out: EngineCommand[] = [];
    for (const id of this.#open.keys()) {
      out.push({ kind: "cancel", clientOrderId: id, symbol: this.#book.symbol });
    }
    this.#stopId = null;
    this.#takeProfitId = null;
    const position = this.#book.position;
    if (position !== null) {
      this.#submit(out, {
        purpose: "end",
        reason: "end of run",
        side: "sell",
        baseAmount: position.baseAmount,
      });
    }
    return out;
  }

  /** The order side of a kernel snapshot. */
  snapshot(): Omit<
    EngineSnapshot,
    "peakEquityQuote" | "dayStartEquityQuote" | "dayIndex" | "equityQuote"
  > {
    return structuredClone({
      quoteFree: this.#book.quoteFree,
      baseFree: this.#book.baseFree,
      position: this.#book.position,
      openOrders: [...this.#open.values()],
      stopOrderId: this.#stopId,
      stopPrice: this.#stopPrice,
      takeProfitOrderId: this.#takeProfitId,
      exitPending: this.#exitPending,
      closing: this.#closing,
      seq: this.#factory.seq,
      lastCandleMs: this.lastCandleMs,
    });
  }

  /** Restores the order side of a snapshot. */
  restore(snapshot: EngineSnapshot): void {
    const copy = structuredClone(snapshot);
    this.#book.quoteFree = copy.quoteFree;
    this.#book.baseFree = copy.baseFree;
    this.#book.position = copy.position;
    this.#book.touch();
    this.#open = new Map(copy.openOrders.map((tracked) => [tracked.order.clientOrderId, tracked]));
    this.#stopId = copy.stopOrderId;
    this.#stopPrice = copy.stopPrice;
    this.#takeProfitId = copy.takeProfitOrderId;
    this.#exitPending = copy.exitPending;
    this.#closing = copy.closing;
    this.#factory.seq = copy.seq;
    this.lastCandleMs = copy.lastCandleMs;
  }

  #forget(id: string): void {
    this.#open.delete(id);
    if (id === this.#stopId) this.#stopId = null;
    if (id === this.#takeProfitId) this.#takeProfitId = null;
  }

  #bookFill(tracked: TrackedOrder, order: Order) {
    const fill = fillSince(tracked, order);
    if (fill === null) return null;
    if (order.side === "buy") {
      this.#book.buy(fill);
      return null;
    }
    return this.#book.sell(fill, tracked.order.purpose);
  }

  #afterTerminal(tracked: TrackedOrder, out: EngineCommand[]): void {
    const purpose = tracked.order.purpose;
    const position = this.#book.position;
    if (purpose === "exit" || purpose === "end") this.#exitPending = false;
    if (position === null || this.#closing) return;
    if (purpose === "enter") {
      if (tracked.filledBaseAmount === 0) return;
      const levels = this.#risk.protection(position.entryPrice, tracked.intent);
      position.stopLossPrice = levels.stopLossPrice;
      position.takeProfitPrice = levels.takeProfitPrice;
      position.trailingStopPct = levels.trailingStopPct;
      this.#book.touch();
    } else if (tracked.filledBaseAmount === 0 && purpose !== "exit") {
      return; // a protective order we replaced or that the venue cancelled (OCO)
    }
    // A new or changed position (entry, partial exit, failed exit) gets fresh protection.
    this.#cancelProtection(out);
    this.#protect(out);
  }

  #sellAll(out: EngineCommand[], purpose: OrderPurpose, reason: string): void {
    const position = this.#book.position;
    if (position === null) return;
    this.#cancelProtection(out);
    this.#exitPending = true;
    this.#submit(out, { purpose, reason, side: "sell", baseAmount: position.baseAmount });
  }

  #cancelProtection(out: EngineCommand[]): void {
    for (const id of [this.#stopId, this.#takeProfitId]) {
      if (id !== null) out.push({ kind: "cancel", clientOrderId: id, symbol: this.#book.symbol });
    }
    this.#stopId = null;
    this.#stopPrice = null;
    this.#takeProfitId = null;
  }

  #protect(out: EngineCommand[]): void {
    const position = this.#book.position;
    if (position === null) return;
    this.#submitStop(out);
    if (position.takeProfitPrice !== null) {
      const price = position.takeProfitPrice;
      const spec = { purpose: "take_profit", reason: "take-profit", side: "sell", price } as const;
      this.#takeProfitId = this.#submit(out, { ...spec, baseAmount: position.baseAmount });
    }
  }

  #submitStop(out: EngineCommand[]): void {
    const position = this.#book.position;
    if (position === null) return;
    const stop = position.stopLossPrice;
    const pct = position.trailingStopPct;
    const trail = pct === null ? null : position.highestPrice * (1 - pct / 100);
    if (stop === null && trail === null) return;
    const trailing = trail !== null && (stop === null || trail > stop);
    const price = trailing ? trail! : stop!;
    const purpose = trailing ? "trailing_stop" : "stop_loss";
    this.#stopPrice = price;
    const spec = { purpose, reason: purpose, side: "sell", price } as const;
    this.#stopId = this.#submit(out, { ...spec, baseAmount: position.baseAmount });
  }

  #submit(out: EngineCommand[], spec: OrderSpec, intent: OrderIntent | null = null): string {
    const order = this.#factory.create(spec, this.lastCandleMs);
    this.#open.set(order.clientOrderId, {
      order,
      intent,
      filledBaseAmount: 0,
      notionalQuote: 0,
      feeQuote: 0,
    });
    out.push({ kind: "submit", order });
    return order.clientOrderId;
  }
}

/** The part of `order` filled since `tracked` last saw it (updating `tracked`), or null. */
function fillSince(tracked: TrackedOrder, order: Order): BookFill | null {
  const deltaBase = order.filledBaseAmount - tracked.filledBaseAmount;
  if (!(deltaBase > 0) || order.averagePrice === null) return null;
  const first = tracked.filledBaseAmount === 0;
  // A single fill keeps its exact price; later fills are the change in average × amount.
  const notional = first
    ? order.averagePrice * deltaBase
    : order.averagePrice * order.filledBaseAmount - tracked.notionalQuote;
  const fill = {
    baseAmount: deltaBase,
    price: first ? order.averagePrice : notional / deltaBase,
    notionalQuote: notional,
    feeQuote: order.feeQuote - tracked.feeQuote,
    timeMs: order.updatedMs,
  };
  tracked.filledBaseAmount = order.filledBaseAmount;
  tracked.notionalQuote += notional;
  tracked.feeQuote = order.feeQuote;
  return fill;
}
