/**
 * The one per-candle sequence around the kernel, in a synchronous form (the backtest, over arrays
 * and the simulated exchange) and an async form (paper, live and replay through the order manager
 * in front of a `Venue`). Both run the same steps in the same order, so the same candles give the
 * same trades:
 *   venue.openBar → applyOrder… → venue.rangeBar → applyOrder… → kernel.onCandle → commands.
 */
import type { CandleBar, EngineKernel } from "./engine.ts";
import type { EngineCommand, EngineStep, OrderOutcome } from "./engine_types.ts";
import type { EquityMarks } from "./equity_marks.ts";
import type { SyncVenue, Venue } from "./ports.ts";
import type { Candle, CandleColumns, Order } from "./types.ts";

/** Observers of a drive, e.g. to record closed trades and decisions. */
export interface DriveHooks {
  onOrder?(order: Order, outcome: OrderOutcome): void;
}

/**
 * Runs one closed candle through venue and kernel synchronously. Returns null when the candle
 * produced no intent and no command (most candles; nothing is allocated): equity is then
 * `kernel.equityQuote`.
 */
export function driveCandleSync(
  kernel: EngineKernel,
  venue: SyncVenue,
  candle: Candle,
  hooks?: DriveHooks,
): EngineStep | null {
  if (venue.idleBar === undefined || !venue.idleBar(candle)) {
    const opened = venue.openBar(candle);
    if (opened.length > 0) applySync(kernel, venue, opened, hooks);
    const ranged = venue.rangeBar(candle);
    if (ranged.length > 0) applySync(kernel, venue, ranged, hooks);
  }
  const step = kernel.handleCandle(candle);
  if (step !== null && step.commands.length > 0) runSync(kernel, venue, step.commands, hooks);
  return step;
}

/** Options for `driveColumnsSync`. */
export interface DriveColumnsOptions extends DriveHooks {
  /** Receives the balances each candle's close was marked at (its equity, as segments). */
  readonly marks: EquityMarks;
  /** Called with each step that is not null (a candle with intents or commands). */
  onStep?(step: EngineStep): void;
}

/**
 * Runs every candle of `columns` through venue and kernel synchronously, as `driveCandleSync`
 * one candle at a time would, and returns the last candle (a bar refilled in place) or null when
 * there is none. Quiet stretches (nothing at the venue, a strategy that takes runs of candles) go
 * through `kernel.handleRun` in one call: no candle object and no call per candle.
 */
export function driveColumnsSync(
  kernel: EngineKernel,
  venue: SyncVenue,
  columns: CandleColumns,
  options: DriveColumnsOptions,
): Candle | null {
  const n = columns.length;
  const drive: ColumnsDrive = {
    kernel,
    venue,
    columns,
    options,
    // Without `onStep` nobody reads a run's risk decisions: the kernel skips recording them.
    keep: options.onStep !== undefined,
    bar: { openTimeMs: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 },
    range: { from: 0, to: n },
  };
  // The loop only calls `driveFrom`, once per candle with orders or run of quiet candles (tens of
  // thousands of calls for a million candles), so V8 optimises that function whole after a few
  // calls. With the body inline, the loop ran once per backtest on code compiled on stack
  // replacement, often before some of its branches had run (`--trace-deopt` showed it leaving
  // that code for the interpreter when they first did).
  for (let i = 0; i < n;) i = driveFrom(drive, i);
  return n > 0 ? drive.bar : null;
}

/** What `driveFrom` works with: one object per `driveColumnsSync`. */
interface ColumnsDrive {
  readonly kernel: EngineKernel;
  readonly venue: SyncVenue;
  readonly columns: CandleColumns;
  readonly options: DriveColumnsOptions;
  readonly keep: boolean;
  readonly bar: CandleBar;
  readonly range: { from: number; to: number };
}

/** Candle `i`, or the run of quiet candles from it; returns the next candle's index. */
function driveFrom(drive: ColumnsDrive, i: number): number {
  const { kernel, venue, columns, options, bar, range } = drive;
  fillBar(bar, columns, i);
  let step: EngineStep | null = null;
  let quiet = kernel.canRun && venue.idleBar !== undefined && venue.idleBar(bar);
  if (!quiet) {
    // `driveCandleSync`, with one more way out: when the venue's part of this candle left
    // nothing pending or resting (an entry or exit just filled) and the kernel may take a run,
    // the kernel's part of this candle starts the next run (`idleBars(0, …)`: is it idle?).
    if (venue.idleBar === undefined || !venue.idleBar(bar)) {
      const opened = venue.openBar(bar);
      if (opened.length > 0) applySync(kernel, venue, opened, options);
      const ranged = venue.rangeBar(bar);
      if (ranged.length > 0) applySync(kernel, venue, ranged, options);
      quiet = kernel.canRun && venue.idleBars !== undefined &&
        venue.idleBars(0, bar.openTimeMs);
    }
    if (!quiet) {
      step = kernel.handleCandle(bar);
      kernel.markInto(options.marks, i, i + 1);
      if (step !== null && step.commands.length > 0) {
        runSync(kernel, venue, step.commands, options);
      }
    }
  }
  if (quiet) {
    // The venue has moved to candle i; the kernel takes i, i + 1, … in one call.
    range.from = i;
    step = kernel.handleRun(columns, range, bar, drive.keep);
    const end = kernel.runEnd;
    if (end > i) kernel.markInto(options.marks, i, end);
    // The venue moves to each candle the kernel took after i (none of them changed it).
    const openTimeMs = columns.openTimeMs;
    if (end > i + 1 && !venue.idleBars?.(end - i - 1, openTimeMs[end - 1])) {
      for (let j = i + 1; j < end; j++) {
        bar.openTimeMs = openTimeMs[j];
        venue.idleBar!(bar);
      }
    }
    // A run that stopped at its last candle filled the bar with it already.
    if (end > i + 1 && (step === null || step.candle !== bar)) fillBar(bar, columns, end - 1);
    i = end - 1;
    if (step !== null && step.commands.length > 0) runSync(kernel, venue, step.commands, options);
  }
  if (step !== null) options.onStep?.(step);
  return i + 1;
}

function fillBar(bar: CandleBar, columns: CandleColumns, i: number): void {
  bar.openTimeMs = columns.openTimeMs[i];
  bar.open = columns.open[i];
  bar.high = columns.high[i];
  bar.low = columns.low[i];
  bar.close = columns.close[i];
  bar.volume = columns.volume[i];
}

/** Ends a run synchronously: cancel open orders, sell the position at the last close. */
export function finishSync(
  kernel: EngineKernel,
  venue: SyncVenue,
  candle: Candle,
  hooks?: DriveHooks,
): void {
  runSync(kernel, venue, kernel.finish(candle), hooks);
  applySync(kernel, venue, venue.settle(candle), hooks);
}

/** Runs one closed candle through venue and kernel, awaiting each venue call in order. */
export async function driveCandle(
  kernel: EngineKernel,
  venue: Venue,
  candle: Candle,
  hooks?: DriveHooks,
): Promise<EngineStep> {
  await applyAsync(kernel, venue, await venue.openBar(candle), hooks);
  await applyAsync(kernel, venue, await venue.rangeBar(candle), hooks);
  const step = kernel.onCandle(candle);
  await runAsync(kernel, venue, step.commands, hooks);
  return step;
}

/** Ends a run: cancel open orders, sell the position at the last close. */
export async function finish(
  kernel: EngineKernel,
  venue: Venue,
  candle: Candle,
  hooks?: DriveHooks,
): Promise<void> {
  await runAsync(kernel, venue, kernel.finish(candle), hooks);
  await applyAsync(kernel, venue, await venue.settle(candle), hooks);
}

function applySync(
  kernel: EngineKernel,
  venue: SyncVenue,
  orders: readonly Order[],
  hooks?: DriveHooks,
): void {
  for (let i = 0; i < orders.length; i++) applyOneSync(kernel, venue, orders[i], hooks);
}

function applyOneSync(
  kernel: EngineKernel,
  venue: SyncVenue,
  order: Order,
  hooks?: DriveHooks,
): void {
  const outcome = kernel.applyOrder(order);
  hooks?.onOrder?.(order, outcome);
  if (outcome.commands.length > 0) runSync(kernel, venue, outcome.commands, hooks);
}

function runSync(
  kernel: EngineKernel,
  venue: SyncVenue,
  commands: readonly EngineCommand[],
  hooks?: DriveHooks,
): void {
  // Indexed: a `for…of` over a list that is handed around may allocate an iterator per call.
  for (let i = 0; i < commands.length; i++) {
    const command = commands[i];
    const update = command.kind === "submit"
      ? venue.submit(command.order)
      : venue.cancel(command.clientOrderId);
    if (update !== null) applyOneSync(kernel, venue, update, hooks);
  }
}

async function applyAsync(
  kernel: EngineKernel,
  venue: Venue,
  orders: readonly Order[],
  hooks?: DriveHooks,
): Promise<void> {
  for (const order of orders) {
    const outcome = kernel.applyOrder(order);
    hooks?.onOrder?.(order, outcome);
    await runAsync(kernel, venue, outcome.commands, hooks);
  }
}

async function runAsync(
  kernel: EngineKernel,
  venue: Venue,
  commands: readonly EngineCommand[],
  hooks?: DriveHooks,
): Promise<void> {
  for (const command of commands) {
    const update = command.kind === "submit"
      ? await venue.submit(command.order)
      : await venue.cancel(command.clientOrderId, command.symbol);
    if (update !== null) await applyAsync(kernel, venue, [update], hooks);
  }
}
