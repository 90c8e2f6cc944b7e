/** Test helper: drives a strategy over candles with a minimal long-only position simulation. */
import type { Candle, OrderIntent, Position } from "../../src/core/types.ts";
import type { Strategy } from "../../src/core/ports.ts";

/** The intents a strategy returned for candle `index` (only non-empty lists are kept). */
export interface Decision {
  readonly index: number;
  readonly intents: readonly OrderIntent[];
}

/**
 * Feeds every candle in order. Like the simulated venue, an enter or exit fills at the next
 * candle's open, and stops and targets close the position inside a bar (stop first). Throws
 * when the strategy breaks the spot contract: enter while in a position, exit or
 * adjust_stops while flat.
 */
export function runStrategy(
  strategy: Strategy,
  candles: readonly Candle[],
  options: { timeframeMs: number },
): Decision[] {
  const decisions: Decision[] = [];
  let position: Position | null = null;
  let pending: OrderIntent | null = null;
  for (let index = 0; index < candles.length; index++) {
    const candle = candles[index];
    position = fillPending(pending, position, candle);
    pending = null;
    position = applyStops(position, candle);
    const closeTimeMs = candle.openTimeMs + options.timeframeMs;
    const intents = strategy.onCandle(candle, { position, closeTimeMs });
    for (const intent of intents) {
      if ((intent.kind === "enter") !== (position === null)) {
        throw new Error(`candle ${index}: ${intent.kind} with position ${position !== null}`);
      }
      if (intent.kind === "adjust_stops") position = adjustStops(position!, intent);
      else pending = intent;
    }
    if (intents.length > 0) decisions.push({ index, intents });
  }
  return decisions;
}

function fillPending(pending: OrderIntent | null, position: Position | null, candle: Candle) {
  if (pending?.kind === "exit") return null;
  if (pending?.kind !== "enter") return position;
  return {
    symbol: "TEST/USDT",
    baseAmount: 1,
    entryPrice: candle.open,
    entryTimeMs: candle.openTimeMs,
    entryFeeQuote: 0,
    stopLossPrice: pending.stopLossPrice ?? null,
    takeProfitPrice: pending.takeProfitPrice ?? null,
    highestPrice: candle.high,
  };
}

function applyStops(position: Position | null, candle: Candle): Position | null {
  if (position === null) return null;
  if (position.stopLossPrice !== null && candle.low <= position.stopLossPrice) return null;
  if (position.takeProfitPrice !== null && candle.high >= position.takeProfitPrice) return null;
  return { ...position, highestPrice: Math.max(position.highestPrice, candle.high) };
}

function adjustStops(position: Position, intent: OrderIntent & { kind: "adjust_stops" }) {
  return {
    ...position,
    stopLossPrice: intent.stopLossPrice === undefined
      ? position.stopLossPrice
      : intent.stopLossPrice,
    takeProfitPrice: intent.takeProfitPrice === undefined
      ? position.takeProfitPrice
      : intent.takeProfitPrice,
  };
}

/** Counts intents of each kind over a run. */
export function countIntents(decisions: readonly Decision[]): Record<OrderIntent["kind"], number> {
  const counts = { enter: 0, exit: 0, adjust_stops: 0 };
  for (const decision of decisions) {
    for (const intent of decision.intents) counts[intent.kind]++;
  }
  return counts;
}
