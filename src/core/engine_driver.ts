/**
 * The one per-candle sequence around the kernel, in a synchronous form (the backtest, over arrays
 * and the simulated exchange) and an async form (paper, live and replay through the order manager
 * in front of a `Venue`). Both run the same steps in the same order, so the same candles give the
 * same trades:
 *   venue.openBar → applyOrder… → venue.rangeBar → applyOrder… → kernel.onCandle → commands.
 */
import type { EngineKernel } from "./engine.ts";
import type { EngineCommand, EngineStep, OrderOutcome } from "./engine_types.ts";
import type { SyncVenue, Venue } from "./ports.ts";
import type { Candle, Order } from "./types.ts";

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
  for (const order of orders) applyOneSync(kernel, venue, order, hooks);
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
  for (const command of commands) {
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
