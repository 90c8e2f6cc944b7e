/**
 * One trading instance around the engine kernel: per closed candle strategy → risk → order
 * manager → venue (`driveCandle`, the same driver the backtest's sync twin mirrors), with the
 * instance row, decisions, equity and the resumable state written to the DB.
 */
import { driveCandle, finish } from "../core/engine_driver.ts";
import { DatabaseUnavailableError } from "../core/errors.ts";
import type { EngineKernel } from "../core/engine.ts";
import type { EngineCommand, EngineOrder, EngineStep, OrderOutcome } from "../core/engine_types.ts";
import type { Clock, Venue } from "../core/ports.ts";
import type { Candle, Order } from "../core/types.ts";
import type { Failpoint } from "../execution/failpoints.ts";
import type { ManagerLogger, OrderManagerOptions } from "../execution/order_manager.ts";
import { fillEvent, instanceEvent, type NotifyEvent, statusChangeEvent } from "../notify/events.ts";
import type { Notifier } from "../notify/notifier.ts";
import {
  dailySummaryEvent,
  previousUtcDay,
  staleCandidatesBefore,
  staleHeartbeatEvents,
} from "../notify/watch.ts";
import { OrderManager } from "../execution/order_manager.ts";
import type { Store } from "../storage/store.ts";
import { recordStep } from "./step_rows.ts";
import type { TraderState } from "./trader_state.ts";
import {
  breakerRejection,
  type StatusView,
  type TradingState,
  TradingStateMachine,
} from "./trading_state.ts";

/** Run modes of the trader. */
export type TraderMode = "paper" | "live" | "replay";

/** What a trader is built from; `tasks/` picks the clock and venue. */
export interface TraderOptions {
  readonly name: string;
  readonly mode: TraderMode;
  readonly exchange: string;
  readonly symbol: string;
  readonly store: Store;
  readonly kernel: EngineKernel;
  readonly venue: Venue;
  /** Time for order rows (wall clock; candle time in replay). */
  readonly clock: Clock;
  /** Time for heartbeats, which the dashboard compares with the wall clock; default `clock`. */
  readonly heartbeatClock?: Clock;
  readonly state: TraderState | null;
  readonly logger: ManagerLogger;
  readonly pid?: number;
  /** Entries from candles that closed longer ago than this are refused (live catch-up). */
  readonly maxEntryAgeMs?: number | null;
  /** Consecutive failed order attempts that halt new entries. */
  readonly maxConsecutiveFailures?: number;
  readonly manager?: Pick<OrderManagerOptions, "failpoint" | "validClientId">;
  /** Queues notifications in the transaction of the change they report; none when absent. */
  readonly notifier?: Notifier;
}

/** A fill notification waiting for its update's write transaction. */
interface PendingFill {
  readonly event: NotifyEvent;
  readonly pnlPct: number | null;
}

/** The instance: kernel, order manager, trading state and the DB rows it owns. */
export class Trader {
  readonly kernel: EngineKernel;
  readonly manager: OrderManager;
  readonly options: TraderOptions;
  readonly #trading = new TradingStateMachine();
  /** The status last logged, so that each change is logged once. */
  #shownStatus: StatusView = { status: "starting", reason: null };
  #lastError: string | null = null;
  /** The last UTC day whose summary this run offered, `YYYY-MM-DD`. */
  #summarisedDay: string | null = null;
  #feedTrouble: string | null = null;
  #realizedPnlQuote: number;
  #lastSignal: string | null;
  #lastSignalMs: number | null;
  #lastPrice: number | null;
  #lastCandle: Candle | null = null;
  /** The fill event of the update being recorded, queued inside its write transaction. */
  #pendingFill: PendingFill | null = null;
  /** Why an operator asked this run to stop (`ctl stop`), or null. */
  stopRequest: string | null = null;

  constructor(options: TraderOptions) {
    this.options = options;
    this.kernel = options.kernel;
    this.#realizedPnlQuote = options.state?.realizedPnlQuote ?? 0;
    this.#lastSignal = options.state?.lastSignal ?? null;
    this.#lastSignalMs = options.state?.lastSignalMs ?? null;
    this.#lastPrice = options.state?.lastPrice ?? null;
    this.manager = new OrderManager(options.store, options.venue, {
      instance: options.name,
      exchange: options.exchange,
      clock: options.clock,
      persistState: () => {
        this.persistState();
        this.#emitPendingFill();
      },
      entryBlock: (order) => this.#entryBlock(order),
      logger: options.logger,
      ...options.manager,
    });
  }

  /** Close of the last candle seen (this run or the previous one), or null. */
  get lastPrice(): number | null {
    return this.#lastPrice;
  }

  /** The last candle handled in this run (or warmed up on before it), or null. */
  get lastCandle(): Candle | null {
    return this.#lastCandle;
  }

  /**
   * Feeds the strategy stored candles without trading; the last one stands for the last candle
   * until this run handles its own, so that `--close-on-exit` works before the first close.
   */
  warmUp(candles: readonly Candle[]): void {
    for (const candle of candles) this.kernel.warmUp(candle);
    this.#lastCandle = candles.at(-1) ?? this.#lastCandle;
  }

  /** The state to resume from. */
  state(): TraderState {
    return {
      version: 1,
      mode: this.options.mode,
      kernel: this.kernel.snapshot(),
      realizedPnlQuote: this.#realizedPnlQuote,
      lastSignal: this.#lastSignal,
      lastSignalMs: this.#lastSignalMs,
      lastPrice: this.#lastPrice,
    };
  }

  /** What the trader may send now (active; reducing: exits only; halted) and why. */
  get tradingState(): TradingState {
    return this.#trading.state;
  }

  /** Start-up is over (reconciled, warmed up): `running`, unless entries are paused. */
  start(): void {
    this.#trading.start();
    this.#statusChanged();
  }

  /** A reconciliation difference: no new entries; the reason shows as status and last error. */
  pause(reason: string): void {
    this.#lastError = reason;
    this.#trading.pause(reason);
    this.#statusChanged(() => this.#emit("reconciliation_difference", reason));
  }

  /** A clean reconciliation: paused entries resume. */
  resume(): void {
    if (this.#trading.resume()) this.#statusChanged();
  }

  /** An operator pauses entries (`ctl pause`); false when they were paused already. */
  hold(reason: string): boolean {
    const changed = this.#trading.hold(reason);
    if (changed) this.#statusChanged();
    return changed;
  }

  /** An operator resumes entries (`ctl resume`); false when they were not paused by one. */
  release(): boolean {
    const changed = this.#trading.release();
    if (changed) this.#statusChanged();
    return changed;
  }

  /** Queues a notification (no-op without a notifier). */
  notify(event: NotifyEvent, pnlPct: number | null = null): void {
    this.options.notifier?.emit(event, pnlPct);
  }

  /** Stopped cleanly (signal, end of a replay): nothing more is sent. */
  stop(reason: string): void {
    this.#trading.stop(reason);
    this.#statusChanged();
  }

  /** Stopped by an error that retrying cannot fix; it shows as status and last error. */
  fail(message: string): void {
    this.#lastError = message;
    this.#trading.stop(message, { error: true });
    this.#statusChanged();
  }

  /**
   * After a transition outside a step: log the status if it changed, write a heartbeat; its
   * notification (and `also`'s) in the same transaction.
   */
  #statusChanged(also?: () => void): void {
    const change = () => {
      also?.();
      this.#logStatus();
      this.heartbeat();
    };
    // Without notifications the heartbeat is the only write, as it always was.
    if (this.options.notifier?.active) this.options.store.transaction(change);
    else change();
  }

  /** Queues an instance event (no-op without a notifier). */
  #emit(event: NotifyEvent["event"], text: string, data: Record<string, unknown> = {}): void {
    const notifier = this.options.notifier;
    if (notifier === undefined) return;
    const timeMs = (this.options.heartbeatClock ?? this.options.clock).nowMs();
    const key = `${timeMs}`;
    notifier.emit(instanceEvent(this.options.name, event, { timeMs, key, text, data }));
  }

  #logStatus(): void {
    const { status, reason } = this.#trading.status;
    if (status === this.#shownStatus.status && reason === this.#shownStatus.reason) return;
    const before = this.#shownStatus.status;
    this.#shownStatus = { status, reason };
    if (this.options.notifier?.active) {
      const timeMs = (this.options.heartbeatClock ?? this.options.clock).nowMs();
      const event = statusChangeEvent(this.options.name, { before, status, reason, timeMs });
      if (event !== null) this.options.notifier.emit(event);
    }
    this.options.logger.info(`Status ${status}${reason ? `: ${reason}` : ""}`, { status, reason });
  }

  /** The last error the loop recovered from, for the dashboard; null after a good step. */
  get lastError(): string | null {
    return this.#lastError;
  }

  /** Records an error the loop recovered from (a failed step or reconciliation). */
  noteError(message: string): void {
    this.#lastError = message;
  }

  /** A step went through: the last error is over. */
  clearError(): void {
    this.#lastError = null;
  }

  /** The feed's trouble (missing candles), shown as the last error until it clears; null: clear. */
  feedTrouble(message: string | null): void {
    if (message !== null) this.#lastError = message;
    else if (this.#lastError === this.#feedTrouble) this.#lastError = null;
    this.#feedTrouble = message;
  }

  /**
   * The database is back after an outage: the order updates kept meanwhile are stored, then the
   * state, and a heartbeat shows `story` as the last error (until the next candle handled on
   * time). Throws `DatabaseUnavailableError` when it is still unreachable.
   */
  databaseBack(story: string): void {
    this.manager.storeUnrecorded();
    this.options.store.transaction(() => this.persistState());
    this.#lastError = story;
    this.heartbeat();
  }

  /** Writes the resumable state (joins the caller's transaction). */
  persistState(): void {
    this.options.store.instances.update(this.options.name, { state: this.state() });
  }

  #entryBlock(order: EngineOrder): string | null {
    const blocked = this.#trading.entryBlock;
    if (blocked !== null) return blocked;
    const maxAge = this.options.maxEntryAgeMs ?? null;
    const ageMs = this.options.clock.nowMs() - order.candleTimeMs;
    if (maxAge !== null && ageMs > maxAge) return `signal from a stale candle (${ageMs} ms old)`;
    return null;
  }

  /** Applies a venue update to the kernel, stores it and runs the commands it causes. */
  async applyOrder(order: Order): Promise<void> {
    const outcome = this.kernel.applyOrder(order);
    this.#recordOrder(order, outcome);
    await this.runCommands(outcome.commands);
  }

  /** Runs kernel commands through the order manager, applying each answer. */
  async runCommands(commands: readonly EngineCommand[]): Promise<void> {
    for (const command of commands) {
      const update = command.kind === "submit"
        ? await this.manager.submit(command.order)
        : await this.manager.cancel(command.clientOrderId, command.symbol);
      if (update !== null) await this.applyOrder(update);
    }
  }

  #recordOrder(order: Order, outcome: OrderOutcome): void {
    if (outcome.trade !== null) this.#realizedPnlQuote += outcome.trade.pnl;
    if ((outcome.dustBaseAmount ?? 0) > 0) {
      this.options.logger.info("Trade closed leaving {dust} base as dust (below the amount step)", {
        dust: outcome.dustBaseAmount,
      });
    }
    this.#pendingFill = this.#fillToReport(order, outcome);
    try {
      this.manager.record(order, outcome);
    } finally {
      this.#pendingFill = null;
    }
  }

  /** The notification of an order that filled with this update, or null. */
  #fillToReport(order: Order, outcome: OrderOutcome): PendingFill | null {
    if (!this.options.notifier?.active) return null;
    if (order.status !== "filled" || order.filledBaseAmount <= 0) return null;
    let row;
    try {
      row = this.options.store.orders.findByClientId(order.clientOrderId);
    } catch (error) {
      // The database is unreachable: the update is kept by the manager; its notice is lost.
      if (error instanceof DatabaseUnavailableError) return null;
      throw error;
    }
    if (row === null || row.status === "filled") return null;
    const timeMs = this.options.clock.nowMs();
    const event = fillEvent({ instance: this.options.name, order, trade: outcome.trade, timeMs });
    return { event, pnlPct: outcome.trade?.pnlPct ?? null };
  }

  /** Inside the update's write transaction: queues its fill notification. */
  #emitPendingFill(): void {
    const pending = this.#pendingFill;
    this.#pendingFill = null;
    if (pending !== null) this.options.notifier?.emit(pending.event, pending.pnlPct);
  }

  /** One closed candle through venue, kernel and order manager; then decisions and equity. */
  async step(candle: Candle): Promise<EngineStep> {
    this.#failpoint?.("step.begin");
    const step = await driveCandle(this.kernel, this.manager, candle, {
      onOrder: (order, outcome) => this.#recordOrder(order, outcome),
    });
    this.#lastCandle = candle;
    this.#lastPrice = candle.close;
    this.#afterStep(step);
    this.#failpoint?.("step.end");
    return step;
  }

  /** The kill tests' hook (`TRADER_FAILPOINT`); undefined in production. */
  get #failpoint(): Failpoint | undefined {
    return this.options.manager?.failpoint;
  }

  /** True while a ticker price could trigger something: a position with orders around it. */
  get watchesPrice(): boolean {
    return this.kernel.position !== null && this.kernel.openOrderIds.length > 0;
  }

  /**
   * A ticker price between closes (`trade.stop_check: ticker`): the venue sells at market the
   * protective order it crossed, and the kernel books it like a fill inside a candle (the other
   * protective order is cancelled). Returns how many orders changed.
   */
  async checkPrice(price: number, timeMs: number): Promise<number> {
    if (!this.watchesPrice) return 0;
    const changed = await this.manager.priceTick(price, timeMs);
    for (const order of changed) await this.applyOrder(order);
    if (changed.length > 0) {
      this.options.logger.info("Ticker at {price} crossed a protective level: {orders}", {
        price,
        orders: changed.map((order) => `${order.clientOrderId} ${order.status}`).join(", "),
      });
    }
    return changed.length;
  }

  #afterStep(step: EngineStep): void {
    for (const intent of step.intents) {
      this.#lastSignal = `${intent.kind}: ${intent.reason}`;
      this.#lastSignalMs = step.closeTimeMs;
    }
    this.#watchBreakers(step);
    recordStep(this.options.store, this.options.name, step, {
      equityQuote: this.kernel.equityQuote,
      persistState: () => this.persistState(),
    });
  }

  /** Risk breakers show as `halted` while they reject; N failed orders halt entries for good. */
  #watchBreakers(step: EngineStep): void {
    this.#watchProtection(step);
    const limit = this.options.maxConsecutiveFailures ?? 5;
    const failures = this.manager.consecutiveFailures;
    if (failures >= limit) this.#haltEntries(`${failures} consecutive order failures; exits only`);
    this.#trading.candleHandled(breakerRejection(step));
    this.#logStatus();
  }

  /** Halts entries for the rest of the run; false when they were halted already. */
  #haltEntries(reason: string): boolean {
    if (!this.#trading.haltEntries(reason)) return false;
    this.options.logger.error("Instance halted: {reason}", { reason });
    return true;
  }

  /** Logs each re-issue of a failed protective order; halts entries when they run out. */
  #watchProtection(step: EngineStep): void {
    for (const command of step.commands) {
      if (command.kind !== "submit" || command.order.side !== "sell") continue;
      if (!/\(retry \d+ of \d+\)$/.test(command.order.reason)) continue;
      this.options.logger.warn("Protective order re-issued as {cid}: {reason}", {
        cid: command.order.clientOrderId,
        reason: command.order.reason,
      });
    }
    const unprotected = this.kernel.unprotected;
    if (unprotected !== null && this.#haltEntries(unprotected)) {
      // The manager's error survives the loop clearing `lastError` after a good step.
      this.#lastError = unprotected;
      this.manager.noteError(unprotected);
    }
  }

  /** Writes the dashboard's view of the instance. */
  heartbeat(): void {
    const position = this.kernel.position;
    const balances = this.kernel.balances;
    const nowMs = (this.options.heartbeatClock ?? this.options.clock).nowMs();
    const { status, reason } = this.#trading.status;
    this.options.store.instances.heartbeat(this.options.name, nowMs, {
      mode: this.options.mode,
      status,
      statusReason: reason,
      pid: this.options.pid ?? null,
      equityQuote: this.kernel.equityQuote,
      quoteBalance: balances.quoteFree,
      positionBase: position?.baseAmount ?? 0,
      entryPrice: position?.entryPrice ?? null,
      lastPrice: this.#lastPrice,
      realizedPnlQuote: this.#realizedPnlQuote,
      lastSignal: this.#lastSignal,
      lastSignalMs: this.#lastSignalMs,
      openOrders: this.kernel.openOrderIds.length,
      lastError: this.lastError ?? this.manager.lastError,
    });
  }

  /**
   * The notification checks of the heartbeat timer (never of the candle path): other instances
   * whose heartbeat went stale, and after 00:00 UTC the previous day's summary when the notify
   * section asks for it. Each event is queued once for good by its id, however many traders look.
   */
  heartbeatChecks(): void {
    const notifier = this.options.notifier;
    if (!notifier?.active) return;
    const { store, name } = this.options;
    const nowMs = (this.options.heartbeatClock ?? this.options.clock).nowMs();
    const quiet = store.instances.quietSince(staleCandidatesBefore(nowMs));
    for (const event of staleHeartbeatEvents(name, quiet, nowMs)) notifier.emitOnce(event);
    const { day, fromMs, toMs } = previousUtcDay(nowMs);
    if (day === this.#summarisedDay || !notifier.wants("daily_summary")) return;
    const closed = store.trades.closedBetween(name, fromMs, toMs);
    notifier.emitOnce(dailySummaryEvent({
      instance: name,
      day,
      trades: closed.count,
      realizedPnlQuote: closed.pnl,
      positionBase: this.kernel.position?.baseAmount ?? 0,
      equityQuote: this.kernel.equityQuote,
      symbol: this.options.symbol,
      timeMs: nowMs,
    }));
    this.#summarisedDay = day;
  }

  /**
   * `ctl exit`: cancels open orders and sells the position at market through the order path
   * (client ids from the kernel, as for --close-on-exit), then trades on; false with no position.
   */
  async exitPosition(): Promise<boolean> {
    const flat = () => this.kernel.position === null && this.kernel.openOrderIds.length === 0;
    if (flat()) return false;
    await this.closeAll();
    // The run goes on: entries are allowed again once the close went through.
    if (flat()) {
      this.kernel.restore({ ...this.kernel.snapshot(), closing: false });
      this.options.store.transaction(() => this.persistState());
    }
    return true;
  }

  /** Cancels open orders and sells the position at the last candle (replay end, --close-on-exit). */
  async closeAll(): Promise<void> {
    if (this.#lastCandle === null) return;
    this.#failpoint?.("close.begin");
    await finish(this.kernel, this.manager, this.#lastCandle, {
      onOrder: (order, outcome) => this.#recordOrder(order, outcome),
    });
    this.#failpoint?.("close.end");
    this.options.store.transaction(() => {
      this.options.store.equity.record(
        this.options.name,
        this.options.clock.nowMs(),
        this.kernel.equityQuote,
      );
      this.persistState();
    });
  }
}
