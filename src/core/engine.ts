/**
 * The engine kernel: the one decision loop that backtest, paper, live and replay all run.
 *
 * Boundary (what a driver does, in this order, for every closed candle — see `engine_driver.ts`):
 *   1. venue: fill market orders due at the candle's open → `kernel.applyOrder(order)` for each
 *      changed order; run the commands it returns (e.g. protective orders of a new position);
 *   2. venue: trigger resting stop / take-profit orders inside the candle → `applyOrder` again;
 *   3. `kernel.onCandle(candle)` → strategy → risk → `EngineStep` with decisions and commands;
 *   4. run the step's commands (submit / cancel) through the venue or the order manager.
 * The kernel never calls a venue, never awaits and never reads the clock: it consumes candles
 * and `Order` updates and emits commands. The backtest drives it synchronously over arrays; the
 * trader drives it from a live feed through its async order manager. Same inputs, same outputs,
 * so replay trades equal backtest trades.
 *
 * Protective levels are computed by the risk policy from the entry fill price and kept on the
 * venue as resting orders: a `stop_market` sell (the higher of stop-loss and trailing level) and
 * a `limit` sell (take-profit). The trailing level follows the highest high of closed candles.
 */
import { closeTime } from "./boundaries.ts";
import { isFixedLength, type Timeframe, timeframeMs } from "./timeframe.ts";
import { EngineBook } from "./_engine_book.ts";
import type { EquityMarks } from "./equity_marks.ts";
import { EngineOrders } from "./_engine_orders.ts";
import { defaultClientOrderId } from "./_engine_order_factory.ts";
import type {
  BatchStrategy,
  ClientOrderIdParts,
  EngineCommand,
  EngineDecision,
  EngineRiskDecision,
  EngineRiskPolicy,
  EngineSnapshot,
  EngineStep,
  OrderOutcome,
} from "./engine_types.ts";
import type { RiskContext, Strategy, StrategyContext } from "./ports.ts";
import type {
  Balances,
  Candle,
  CandleColumns,
  ClosedTrade,
  Order,
  OrderIntent,
  Position,
  RiskDecision,
} from "./types.ts";

const DAY_MS = 86_400_000;
const NONE: readonly never[] = Object.freeze([]);
/** The intent a review context holds before its first review. */
const NO_INTENT: OrderIntent = Object.freeze({ kind: "exit", reason: "" });

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A candle the driver refills in place for each candle of a run over columns. */
export type CandleBar = { -readonly [K in keyof Candle]: Candle[K] };

function isBatch(strategy: Strategy): strategy is BatchStrategy {
  return typeof (strategy as Partial<BatchStrategy>).onCandles === "function";
}

/** Everything a kernel is built from. */
export interface EngineKernelOptions {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly strategy: Strategy;
  readonly risk: EngineRiskPolicy;
  /** Starting balances (the simulated account, or the exchange's at start). */
  readonly balances: Balances;
  /** Client id prefix, e.g. the instance name. Default `bt`. */
  readonly idPrefix?: string;
  /** Derives a client order id; default `<prefix>-<candle time base36>-<purpose code><seq>`. */
  readonly clientOrderId?: (parts: ClientOrderIdParts) => string;
  /** The market's amount step: sells are floored to it and a smaller remainder is dust. */
  readonly amountStep?: number | null;
  /** Re-issues of a rejected or failed protective order before giving up (default 3). */
  readonly maxProtectionRetries?: number;
}

/** The decision kernel. One instance per run; it owns the strategy instance it is given. */
export class EngineKernel {
  readonly #strategy: Strategy;
  /** The strategy again when it takes runs of candles (`onCandles`), else null. */
  readonly #batch: BatchStrategy | null;
  #runEnd = 0;
  readonly #risk: EngineRiskPolicy;
  readonly #book: EngineBook;
  readonly #orders: EngineOrders;
  readonly #timeframe: Timeframe;
  readonly #fixedMs: number;
  readonly #context: { position: Position | null; closeTimeMs: number } = {
    position: null,
    closeTimeMs: 0,
  };
  readonly #trades: ClosedTrade[] = [];
  /** The step `handleRun` returns, refilled by each call that has one. */
  readonly #runStep: Mutable<EngineStep> = {
    candle: { openTimeMs: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 },
    closeTimeMs: 0,
    equityQuote: 0,
    intents: NONE,
    decisions: NONE,
    commands: NONE,
  };
  /** The commands `#review` collects (emptied before each review; the step gets a copy). */
  readonly #out: EngineCommand[] = [];
  readonly #reviewBalances: Mutable<Balances> = {
    baseFree: 0,
    baseTotal: 0,
    quoteFree: 0,
    quoteTotal: 0,
  };
  readonly #reviewContext: Mutable<RiskContext>;
  #equity: number;
  #peak: number;
  #dayStart: number;
  #dayIndex = -1;
  /** The UTC day of `#dayIndex` as `[from, until)` ms, so most candles skip the division. */
  #dayFromMs = 0;
  #dayUntilMs = 0;
  #lastClose = Number.NaN;

  constructor(options: EngineKernelOptions) {
    this.#strategy = options.strategy;
    this.#batch = isBatch(options.strategy) ? options.strategy : null;
    this.#risk = options.risk;
    this.#timeframe = options.timeframe;
    this.#fixedMs = isFixedLength(options.timeframe) ? timeframeMs(options.timeframe) : 0;
    this.#book = new EngineBook(options.symbol, options.balances, options.amountStep ?? null);
    this.#orders = new EngineOrders(this.#book, options.risk, {
      prefix: options.idPrefix ?? "bt",
      clientOrderId: options.clientOrderId ?? defaultClientOrderId,
      maxProtectionRetries: options.maxProtectionRetries,
    });
    this.#equity = this.#book.quoteFree;
    this.#peak = this.#equity;
    this.#dayStart = this.#equity;
    this.#reviewContext = {
      intent: NO_INTENT,
      price: 0,
      balances: this.#reviewBalances,
      position: null,
      equityQuote: 0,
      peakEquityQuote: 0,
      dayStartEquityQuote: 0,
      openPositions: 0,
    };
  }

  /** The open position, or null. */
  get position(): Position | null {
    return this.#book.view();
  }

  /** Balances as the kernel has booked them from fills. */
  get balances(): Balances {
    return this.#book.balances();
  }

  /** Equity marked at the last candle's close (or after the last fill). */
  get equityQuote(): number {
    return this.#equity;
  }

  /** Every round trip closed so far, oldest first (append-only). */
  get trades(): readonly ClosedTrade[] {
    return this.#trades;
  }

  /** Protective orders rejected or failed in a row; each is re-issued on the next candle. */
  get protectionFailures(): number {
    return this.#orders.protectionFailures;
  }

  /** Why the open position is unprotected after the re-issues ran out, or null. */
  get unprotected(): string | null {
    return this.#orders.unprotected;
  }

  /** Orders the kernel sent that are not yet terminal. */
  get openOrderIds(): readonly string[] {
    return this.#orders.openIds();
  }

  /** Feeds a candle to the strategy without trading (warm-up from stored candles). */
  warmUp(candle: Candle): void {
    const context = this.#contextFor(candle);
    this.#strategy.onCandle(candle, context);
  }

  /** Handles one closed candle: mark equity, run the strategy, review its intents. */
  onCandle(candle: Candle): EngineStep {
    return this.handleCandle(candle) ?? this.#step(candle, NONE, NONE, NONE);
  }

  /**
   * `onCandle` for the backtest's hot path: null when the candle produced no intent and no
   * command (most candles), so nothing is allocated; equity is then `equityQuote`.
   */
  handleCandle(candle: Candle): EngineStep | null {
    // The hot path: small enough to be inlined into the driver's loop; the rest is out of line.
    const openTimeMs = candle.openTimeMs;
    this.#orders.lastCandleMs = openTimeMs;
    if (!(openTimeMs >= this.#dayFromMs && openTimeMs < this.#dayUntilMs)) this.#newDay(openTimeMs);
    const book = this.#book;
    const position = book.position;
    if (position !== null && candle.high > position.highestPrice) {
      position.highestPrice = candle.high;
      book.touch();
    }
    const close = candle.close;
    this.#lastClose = close;
    const equity = book.quoteFree + book.baseFree * close;
    this.#equity = equity;
    if (equity > this.#peak) this.#peak = equity;
    const context = this.#context;
    context.position = position === null ? null : book.view();
    context.closeTimeMs = this.#fixedMs > 0
      ? openTimeMs + this.#fixedMs
      : closeTime(openTimeMs, this.#timeframe);
    const intents = this.#strategy.onCandle(candle, context);
    if (intents.length === 0 && position === null) return null;
    return this.#review(candle, intents, position !== null, null, true);
  }

  /**
   * True when `handleRun` may take the next candles: the strategy takes runs of candles and the
   * kernel has no order in flight, no protection to restore and is not finishing.
   */
  get canRun(): boolean {
    return this.#batch !== null && this.#orders.quiet();
  }

  /** The index after the last candle the last `handleRun` took. */
  get runEnd(): number {
    return this.#runEnd;
  }

  /**
   * `handleCandle` over candles `from`, `from + 1`, … of `columns` in one call, for a driver whose
   * venue has nothing pending or resting (only when `canRun`): the strategy runs them until one
   * yields intents, the kernel marks equity, peak, day and the highest price of each, then
   * reviews that candle's intents as `handleCandle` would, with `candle` filled with it.
   * Candles `[from, runEnd)` were taken; returns the step of the last one when it has intents:
   * the kernel's own step object, refilled by the next `handleRun` (copy what you keep). With
   * `decisions` false its reviews are not recorded: its `decisions` stay empty.
   */
  handleRun(
    columns: CandleColumns,
    range: { readonly from: number; readonly to: number },
    candle: CandleBar,
    decisions = true,
  ): EngineStep | null {
    const { from, to } = range;
    const book = this.#book;
    const position = book.position;
    const last = this.#batch!.onCandles(columns, from, to, position !== null);
    const end = last < to ? last + 1 : to;
    this.#runEnd = end;
    if (end <= from) return null;
    this.#markRun(columns, from, end);
    if (last >= to) return null;
    candle.openTimeMs = columns.openTimeMs[last];
    candle.open = columns.open[last];
    candle.high = columns.high[last];
    candle.low = columns.low[last];
    candle.close = columns.close[last];
    candle.volume = columns.volume[last];
    this.#contextFor(candle);
    const intents = this.#batch!.batchIntents;
    if (intents.length === 0 && position === null) return null;
    // The driver is done with a run's step before its next call: one step object, refilled.
    return this.#review(candle, intents, position !== null, this.#runStep, decisions);
  }

  /**
   * Marks candles `[from, end)` in `marks` with the balances the kernel marked them at. Call it
   * right after the `handleCandle` (one candle) or `handleRun` (`[from, runEnd)`) that marked
   * them: their equity is `quote + base × close` of the balances booked now.
   */
  markInto(marks: EquityMarks, from: number, end: number): void {
    marks.mark(from, end, this.#book.quoteFree, this.#book.baseFree);
  }

  /**
   * The marks `handleCandle` makes before the strategy, for candles `[from, end)` at once (the
   * equity of each goes to the peak and the day's start; `markInto` records the curve).
   * The balances hold still over a run, so a candle's equity `quote + base × close` rises and
   * falls with its close (for `base ≥ 0`; rounding keeps that order): the run's peak is the equity
   * at its highest close, and a flat run (`base` 0) has one equity throughout. Only the candles
   * that start a UTC day need their own equity (the one before them): they are found by a binary
   * search of the open times, which ascend.
   */
  #markRun(columns: CandleColumns, from: number, end: number): void {
    const { openTimeMs: times, high, close } = columns;
    const book = this.#book;
    const position = book.position;
    const quote = book.quoteFree;
    const base = book.baseFree;
    if (!(base >= 0) || !(times[from] >= this.#dayFromMs)) {
      this.#markEach(columns, from, end);
    } else {
      // Most runs end on the day they start: one comparison tells.
      for (let i = from; times[end - 1] >= this.#dayUntilMs; i++) {
        i = firstAtOrAfter(times, this.#dayUntilMs, i, end);
        this.#equity = i === from ? this.#equity : quote + base * close[i - 1];
        this.#newDay(times[i]);
      }
      let highestClose = close[from];
      let highest = position === null ? 0 : position.highestPrice;
      if (base === 0 && position === null) {
        // Flat: no close changes the equity (nor is any high needed).
      } else if (position === null) {
        for (let k = from + 1; k < end; k++) if (close[k] > highestClose) highestClose = close[k];
      } else {
        for (let k = from; k < end; k++) {
          if (close[k] > highestClose) highestClose = close[k];
          if (high[k] > highest) highest = high[k];
        }
      }
      const top = quote + base * highestClose;
      if (top > this.#peak) this.#peak = top;
      this.#equity = quote + base * close[end - 1];
      if (position !== null && highest > position.highestPrice) {
        position.highestPrice = highest;
        book.touch();
      }
    }
    this.#lastClose = close[end - 1];
    this.#orders.lastCandleMs = times[end - 1];
  }

  /** `#markRun` candle by candle: for balances or times outside what it assumes. */
  #markEach(columns: CandleColumns, from: number, end: number): void {
    const { openTimeMs: times, high, close } = columns;
    const book = this.#book;
    const position = book.position;
    const quote = book.quoteFree;
    const base = book.baseFree;
    let equity = this.#equity;
    let peak = this.#peak;
    let dayFromMs = this.#dayFromMs;
    let dayUntilMs = this.#dayUntilMs;
    for (let i = from; i < end; i++) {
      const timeMs = times[i];
      if (!(timeMs >= dayFromMs && timeMs < dayUntilMs)) {
        this.#equity = equity;
        this.#newDay(timeMs);
        dayFromMs = this.#dayFromMs;
        dayUntilMs = this.#dayUntilMs;
      }
      equity = quote + base * close[i];
      if (equity > peak) peak = equity;
    }
    if (position !== null) {
      let highest = position.highestPrice;
      for (let i = from; i < end; i++) if (high[i] > highest) highest = high[i];
      if (highest > position.highestPrice) {
        position.highestPrice = highest;
        book.touch();
      }
    }
    this.#equity = equity;
    this.#peak = peak;
  }

  /** Starts the UTC day of `openTimeMs`: its start equity is the equity before this candle. */
  #newDay(openTimeMs: number): void {
    const day = Math.floor(openTimeMs / DAY_MS);
    this.#dayFromMs = day * DAY_MS;
    this.#dayUntilMs = this.#dayFromMs + DAY_MS;
    if (day !== this.#dayIndex) {
      this.#dayIndex = day;
      this.#dayStart = this.#equity;
    }
  }

  /** The candle's intents through risk, then trailing and re-protection of an open position. */
  #review(
    candle: Candle,
    intents: readonly OrderIntent[],
    held: boolean,
    into: Mutable<EngineStep> | null,
    keep: boolean,
  ): EngineStep | null {
    let decisions: readonly EngineDecision[] = NONE;
    let commands: EngineCommand[] | readonly never[] = NONE;
    if (intents.length > 0) {
      const out = this.#out;
      while (out.length > 0) out.pop();
      if (keep) {
        // One intent per candle is the rule: a one-element literal, no growing of an empty list.
        const made: EngineDecision[] = [this.#record(intents[0], candle, out)];
        for (let i = 1; i < intents.length; i++) made.push(this.#record(intents[i], candle, out));
        decisions = made;
      } else {
        for (let i = 0; i < intents.length; i++) this.#decide(intents[i], candle, out);
      }
      // Usually one command: a one-element literal, not the scratch list grown from empty.
      commands = out.length === 0 ? [] : out.length === 1 ? [out[0]] : out.slice();
    }
    if (held) {
      const trailing = this.#orders.trailStop();
      if (trailing.length > 0) commands = [...commands, ...trailing];
      if (this.#orders.protectionFailures > 0) {
        const again = this.#orders.reprotect();
        if (again.length > 0) commands = [...commands, ...again];
      }
      if (intents.length === 0 && commands.length === 0) return null;
    }
    if (into === null) return this.#step(candle, intents, decisions, commands);
    into.candle = candle;
    into.closeTimeMs = this.#context.closeTimeMs;
    into.equityQuote = this.#equity;
    into.intents = intents;
    into.decisions = decisions;
    into.commands = commands;
    return into;
  }

  #step(
    candle: Candle,
    intents: readonly OrderIntent[],
    decisions: readonly EngineDecision[],
    commands: readonly EngineCommand[],
  ): EngineStep {
    return {
      candle,
      closeTimeMs: this.#context.closeTimeMs,
      equityQuote: this.#equity,
      intents,
      decisions,
      commands,
    };
  }

  /** Books an order update from the venue (fills by delta, terminal status); idempotent. */
  applyOrder(order: Order): OrderOutcome {
    const outcome = this.#orders.apply(order);
    if (outcome.trade !== null) this.#trades.push(outcome.trade);
    // Re-mark at the last close so that an exit after the last candle shows in equity at once.
    if (!Number.isNaN(this.#lastClose)) this.#equity = this.#book.equityAt(this.#lastClose);
    return outcome;
  }

  /** End of a run: cancel every open order and sell the position (exit reason `end`). */
  finish(candle: Candle): readonly EngineCommand[] {
    this.#orders.lastCandleMs = candle.openTimeMs;
    return this.#orders.closeAll();
  }

  /** A JSON-safe snapshot to resume from after a restart. */
  snapshot(): EngineSnapshot {
    return {
      ...this.#orders.snapshot(),
      peakEquityQuote: this.#peak,
      dayStartEquityQuote: this.#dayStart,
      dayIndex: this.#dayIndex,
      equityQuote: this.#equity,
    };
  }

  /** Restores a snapshot taken by `snapshot()` (before the first candle of this run). */
  restore(snapshot: EngineSnapshot): void {
    this.#orders.restore(snapshot);
    this.#peak = snapshot.peakEquityQuote;
    this.#dayStart = snapshot.dayStartEquityQuote;
    this.#dayIndex = snapshot.dayIndex;
    this.#dayFromMs = 0;
    this.#dayUntilMs = 0;
    this.#equity = snapshot.equityQuote;
  }

  #contextFor(candle: Candle): StrategyContext {
    const context = this.#context;
    context.position = this.#book.view();
    context.closeTimeMs = this.#fixedMs > 0
      ? candle.openTimeMs + this.#fixedMs
      : closeTime(candle.openTimeMs, this.#timeframe);
    return context;
  }

  /** `#decide`, recorded. */
  #record(intent: OrderIntent, candle: Candle, out: EngineCommand[]): EngineDecision {
    return { candleTimeMs: candle.openTimeMs, intent, decision: this.#decide(intent, candle, out) };
  }

  /** Reviews `intent` (risk, or the kernel's own refusal) and acts on it; returns the decision. */
  #decide(intent: OrderIntent, candle: Candle, out: EngineCommand[]): RiskDecision {
    const blocked = this.#orders.blocked();
    let decision: EngineRiskDecision;
    if (blocked !== null) decision = blocked;
    else {
      // One context and one balances object per kernel, refilled for each review (the policy
      // reads them during the call; nobody keeps them).
      const book = this.#book;
      const balances = this.#reviewBalances;
      balances.baseFree = book.baseFree;
      balances.baseTotal = book.baseFree;
      balances.quoteFree = book.quoteFree;
      balances.quoteTotal = book.quoteFree;
      const context = this.#reviewContext;
      context.intent = intent;
      context.price = candle.close;
      context.position = book.view();
      context.equityQuote = this.#equity;
      context.peakEquityQuote = this.#peak;
      context.dayStartEquityQuote = this.#dayStart;
      context.openPositions = this.#orders.openPositions();
      decision = this.#risk.review(context);
    }
    if (decision.verdict !== "reject") this.#orders.act(intent, decision, out);
    return decision;
  }
}

/** The first index in `[from, end)` whose time is at least `timeMs` (times ascend), or `end`. */
function firstAtOrAfter(times: Float64Array, timeMs: number, from: number, end: number): number {
  if (times[from] >= timeMs) return from;
  if (!(times[end - 1] >= timeMs)) return end;
  let low = from; // times[low] < timeMs
  let high = end - 1; // times[high] >= timeMs
  while (high - low > 1) {
    const middle = (low + high) >>> 1;
    if (times[middle] >= timeMs) high = middle;
    else low = middle;
  }
  return high;
}
