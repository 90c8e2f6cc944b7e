/**
 * When an instance's heartbeat is stale: the one rule the dashboard shows and the traders notify
 * (`heartbeat_stale`). A process that died without saying so leaves a live status with an old beat.
 */
import { isTimeframe, timeframeMs } from "./timeframe.ts";

/** A heartbeat older than this many timeframes is stale. */
export const STALE_TIMEFRAMES = 3;
/** A heartbeat older than this is stale whatever the timeframe (traders beat every few s). */
export const STALE_AFTER_MS = 60_000;

/** Heartbeat age beyond which a live status is stale: the smaller of 3 timeframes and 60 s. */
export function staleAfterMs(timeframe: string): number {
  if (!isTimeframe(timeframe)) return STALE_AFTER_MS;
  return Math.min(STALE_TIMEFRAMES * timeframeMs(timeframe), STALE_AFTER_MS);
}

/** True when `heartbeatMs` is too old at `nowMs` for an instance on `timeframe` that claims to run. */
export function heartbeatStale(heartbeatMs: number, timeframe: string, nowMs: number): boolean {
  return nowMs - heartbeatMs > staleAfterMs(timeframe);
}
