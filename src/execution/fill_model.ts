/**
 * The fill model of docs/backtesting.md as pure functions: market orders at the open moved
 * against us by the slippage; stops and take-profits at their trigger inside the bar, or at the
 * open when the bar gaps through them. Fees are a share of the notional.
 */
import type { Candle, Side } from "../core/types.ts";

/** The open moved against the order's side by `slippageBps` (buys pay more, sells get less). */
export function marketFillPrice(open: number, side: Side, slippageBps: number): number {
  if (slippageBps === 0) return open;
  const shift = slippageBps / 10_000;
  return side === "buy" ? open * (1 + shift) : open * (1 - shift);
}

/** Fill price of a sell stop at `trigger` in this bar, or null when the bar never reaches it. */
export function sellStopFillPrice(trigger: number, candle: Candle): number | null {
  if (candle.open <= trigger) return candle.open;
  return candle.low <= trigger ? trigger : null;
}

/** Fill price of a sell limit (take-profit) at `limit` in this bar, or null when not reached. */
export function sellLimitFillPrice(limit: number, candle: Candle): number | null {
  if (candle.open >= limit) return candle.open;
  return candle.high >= limit ? limit : null;
}

/** True when the bar opened through the level, so the fill is at the open. */
export function gapsThrough(type: "stop_market" | "limit", level: number, candle: Candle): boolean {
  return type === "stop_market" ? candle.open <= level : candle.open >= level;
}
