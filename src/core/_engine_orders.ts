/** The kernel's order side: turns accepted intents into commands and books order updates. */
import type { EngineBook } from "./_engine_book.ts";
import { fillScratch, fillSince } from "./_engine_fill.ts";
import { OrderFactory } from "./_engine_order_factory.ts";
import type {
  ClientOrderIdParts,
  EngineCommand,
  EngineOrder,
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
  type Side,
  TERMINAL_ORDER_STATUSES,
} from "./types.ts";

const NONE: readonly never[] = Object.freeze([]);
const NO_OUTCOME: OrderOutcome = Object.freeze({ commands: NONE, trade: null });

/** A tracked order as the kernel keeps it: refilled for the next order once it is terminal. */
type Tracked = { -readonly [K in keyof TrackedOrder]: TrackedOrder[K] };
/** Re-issues of a failed protective order before the kernel gives up on it (default). */
export const DEFAULT_PROTECTION_RETRIES = 3;

/** Order bookkeeping for one kernel. */
export class EngineOrders {
  lastCandleMs = 0;
  readonly #book: EngineBook;
  readonly #risk: EngineRiskPolicy;
  readonly #factory: OrderFactory;
  readonly #fill = fillScratch();
  /** Orders not yet terminal, oldest first: a handful at most, so a list beats a Map here. */
  #open: Tracked[] = [];
  /** The record of the last order that went terminal, reused by the next submit; or null. */
  #spare: Tracked | null = null;
  /** The follow-up commands of the update `apply` is booking (emptied before each one). */
  readonly #out: EngineCommand[] = [];
  #stopId: string | null = null;
  #stopPrice: number | null = null;
  #takeProfitId: string | null = null;
  #exitPending = false;
  #closing = false;
  /** Protective orders rejected or failed in a row (reset when one rests or fills). */
  protectionFailures = 0;
  /** Why the position is left unprotected after the retries ran out, or null. */
  unprotected: string | null = null;
  readonly #maxProtectionRetries: number;

  constructor(
    book: EngineBook,
    risk: EngineRiskPolicy,
    ids: {
      prefix: string;
      clientOrderId: (parts: ClientOrderIdParts) => string;
      maxProtectionRetries?: number;
    },
  ) {
    this.#book = book;
    this.#risk = risk;
    this.#factory = new OrderFactory(book.symbol, ids);
    this.#maxProtectionRetries = ids.maxProtectionRetries ?? DEFAULT_PROTECTION_RETRIES;
  }

  /** Client ids of orders not yet terminal. */
  openIds(): string[] {
    return this.#open.map((tracked) => tracked.order.clientOrderId);
  }

  /** Open positions as risk counts them: the position plus entries still in flight. */
  openPositions(): number {
    let count = this.#book.position === null ? 0 : 1;
    const open = this.#open;
    for (let i = 0; i < open.length; i++) if (open[i].order.purpose === "enter") count++;
    return count;
  }

  /** True when no order is in flight, no protection is missing and the run is not finishing. */
  quiet(): boolean {
    return this.#open.length === 0 && this.protectionFailures === 0 && !this.#exitPending &&
      !this.#closing;
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
      this.#submit(
        out,
        "enter",
        intent.reason,
        "buy",
        decision.baseAmount,
        null,
        quoteAmount,
        intent,
      );
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
    const id = order.clientOrderId;
    const tracked = this.#find(id);
    if (tracked === null) return NO_OUTCOME;
    const current = id === this.#stopId || id === this.#takeProfitId;
    const status = order.status;
    const terminal = TERMINAL_ORDER_STATUSES.has(status);
    if (terminal) this.#forget(id);
    if (current) this.#watchProtection(status, order.filledBaseAmount);
    const trade = this.#bookFill(tracked, order);
    // An update that is not final and closed nothing (an acknowledgement, a partial entry fill)
    // leads to no command.
    if (!terminal && trade === null) return NO_OUTCOME;
    const out = this.#out;
    while (out.length > 0) out.pop();
    if (trade !== null) this.#cancelProtection(out);
    // The kernel forgets a protective order before it cancels one: still current, the venue ended it.
    if (terminal) {
      this.#afterTerminal(tracked, out, current && status === "canceled");
      // Nothing reads the record after this (snapshots copy it): the next submit refills it.
      this.#spare = tracked;
    }
    if (out.length === 0) {
      if (trade === null) return NO_OUTCOME;
      const left = this.#book.lastDustBaseAmount;
      return left > 0 ? { commands: NONE, trade, dustBaseAmount: left } : { commands: NONE, trade };
    }
    const commands = out.slice();
    const dust = trade === null ? 0 : this.#book.lastDustBaseAmount;
    return dust > 0 ? { commands, trade, dustBaseAmount: dust } : { commands, trade };
  }

  /** Counts protective orders the venue refused; all of them resting again clears the count. */
  #watchProtection(status: Order["status"], filled: number): void {
    if (status === "rejected" || status === "failed") {
      if (filled === 0 && this.#book.position !== null) this.protectionFailures++;
    } else if (status !== "submitting" && status !== "canceled" && this.protectionFailures > 0) {
      if (this.#missingProtection() !== null) return;
      this.protectionFailures = 0;
      this.unprotected = null;
    }
  }

  /** Which protective orders the position should have but does not, or null. */
  #missingProtection(): { stop: boolean; takeProfit: boolean } | null {
    const position = this.#book.position;
    if (position === null) return null;
    const stop = this.#stopId === null &&
      (position.stopLossPrice !== null || position.trailingStopPct !== null);
    const takeProfit = this.#takeProfitId === null && position.takeProfitPrice !== null;
    return stop || takeProfit ? { stop, takeProfit } : null;
  }

  /**
   * Re-issues protection a failed order left missing, at most `maxProtectionRetries` times in a
   * row; after that `unprotected` says why (the trader halts entries and shows it).
   */
  reprotect(): readonly EngineCommand[] {
    if (this.protectionFailures === 0 || this.#exitPending || this.#closing) return NONE;
    const position = this.#book.position;
    if (position === null) {
      this.protectionFailures = 0;
      return NONE;
    }
    const missing = this.#missingProtection();
    if (missing === null) return NONE;
    if (this.protectionFailures > this.#maxProtectionRetries) {
      this.unprotected ??= `protective order failed ${this.protectionFailures} times in a row; ` +
        "position unprotected";
      return NONE;
    }
    const out: EngineCommand[] = [];
    const note = ` (retry ${this.protectionFailures} of ${this.#maxProtectionRetries})`;
    if (missing.stop) this.#submitStop(out, note);
    if (missing.takeProfit) this.#submitTakeProfit(out, note);
    return out;
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
    for (const { order } of this.#open) {
      out.push({ kind: "cancel", clientOrderId: order.clientOrderId, symbol: this.#book.symbol });
    }
    this.#stopId = null;
    this.#takeProfitId = null;
    const position = this.#book.position;
    if (position !== null) {
      const baseAmount = this.#book.sellableBaseAmount();
      this.#submit(out, "end", "end of run", "sell", baseAmount, null, null, null);
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
      openOrders: this.#open,
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
    this.#open = [...copy.openOrders];
    this.#stopId = copy.stopOrderId;
    this.#stopPrice = copy.stopPrice;
    this.#takeProfitId = copy.takeProfitOrderId;
    this.#exitPending = copy.exitPending;
    this.#closing = copy.closing;
    this.#factory.seq = copy.seq;
    this.lastCandleMs = copy.lastCandleMs;
  }

  #find(id: string): Tracked | null {
    const open = this.#open;
    for (let i = 0; i < open.length; i++) if (open[i].order.clientOrderId === id) return open[i];
    return null;
  }

  #forget(id: string): void {
    const open = this.#open;
    for (let i = 0; i < open.length; i++) {
      if (open[i].order.clientOrderId === id) {
        // Shift down in place and pop: `splice` would allocate the array of removed items, and
        // setting `length` is a slow call where `pop` is not.
        for (let j = i + 1; j < open.length; j++) open[j - 1] = open[j];
        open.pop();
        break;
      }
    }
    if (id === this.#stopId) this.#stopId = null;
    if (id === this.#takeProfitId) this.#takeProfitId = null;
  }

  #bookFill(tracked: Tracked, order: Order) {
    const fill = fillSince(tracked, order, this.#fill);
    if (fill === null) return null;
    if (order.side === "buy") {
      this.#book.buy(fill);
      return null;
    }
    return this.#book.sell(fill, tracked.order.purpose);
  }

  #afterTerminal(tracked: Tracked, out: EngineCommand[], endedByVenue: boolean): void {
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
      // One we replaced, or the other half of an OCO, is done; one the venue expired or someone
      // cancelled on the exchange leaves the position bare, so it is placed again at once.
      if (endedByVenue && !this.#exitPending) this.#protectMissing(out);
      return;
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
    const baseAmount = this.#book.sellableBaseAmount();
    this.#submit(out, purpose, reason, "sell", baseAmount, null, null, null);
  }

  #cancelProtection(out: EngineCommand[]): void {
    const symbol = this.#book.symbol;
    const stopId = this.#stopId;
    const takeProfitId = this.#takeProfitId;
    if (stopId !== null) out.push({ kind: "cancel", clientOrderId: stopId, symbol });
    if (takeProfitId !== null) out.push({ kind: "cancel", clientOrderId: takeProfitId, symbol });
    this.#stopId = null;
    this.#stopPrice = null;
    this.#takeProfitId = null;
  }

  /** Places the protective orders the position should have but does not. */
  #protectMissing(out: EngineCommand[]): void {
    const missing = this.#missingProtection();
    const note = " (the venue ended the last one)";
    if (missing?.stop) this.#submitStop(out, note);
    if (missing?.takeProfit) this.#submitTakeProfit(out, note);
  }

  #protect(out: EngineCommand[]): void {
    const position = this.#book.position;
    if (position === null) return;
    this.#submitStop(out);
    this.#submitTakeProfit(out);
  }

  #submitTakeProfit(out: EngineCommand[], note = ""): void {
    const position = this.#book.position;
    if (position === null || position.takeProfitPrice === null) return;
    const price = position.takeProfitPrice;
    const baseAmount = this.#book.sellableBaseAmount();
    const reason = note === "" ? "take-profit" : `take-profit${note}`;
    this.#takeProfitId = this.#submit(
      out,
      "take_profit",
      reason,
      "sell",
      baseAmount,
      price,
      null,
      null,
    );
  }

  #submitStop(out: EngineCommand[], note = ""): void {
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
    const reason = note === "" ? purpose : `${purpose}${note}`;
    const baseAmount = this.#book.sellableBaseAmount();
    this.#stopId = this.#submit(out, purpose, reason, "sell", baseAmount, price, null, null);
  }

  #submit(
    out: EngineCommand[],
    purpose: OrderPurpose,
    reason: string,
    side: Side,
    baseAmount: number,
    price: number | null,
    quoteAmount: number | null,
    intent: OrderIntent | null,
  ): string {
    const factory = this.#factory;
    const order = factory.make(
      purpose,
      reason,
      side,
      baseAmount,
      price,
      quoteAmount,
      this.lastCandleMs,
    );
    this.#open.push(this.#track(order, intent));
    out.push({ kind: "submit", order });
    return order.clientOrderId;
  }

  /** A record for a new order: the spare one refilled (its doubles written in place), or new. */
  #track(order: EngineOrder, intent: OrderIntent | null): Tracked {
    const spare = this.#spare;
    if (spare === null) {
      return {
        order,
        intent,
        filledBaseAmount: 0,
        notionalQuote: 0,
        feeQuote: 0,
        feeBaseAmount: 0,
      };
    }
    this.#spare = null;
    spare.order = order;
    spare.intent = intent;
    spare.filledBaseAmount = 0;
    spare.notionalQuote = 0;
    spare.feeQuote = 0;
    spare.feeBaseAmount = 0;
    return spare;
  }
}
