/** Instance status as the operator sees it, derived from the stored status and heartbeat age. */
import { isTimeframe, timeframeMs } from "../timeframes/mod.ts";

/** What the dashboard shows in the status column. */
export type DisplayStatus =
  | "running"
  | "starting"
  | "paused"
  | "stale"
  | "stopped"
  | "halted"
  | "error";

/** A derived status with the reason behind it, if any. */
export interface DerivedStatus {
  readonly status: DisplayStatus;
  readonly reason: string | null;
}

/** A heartbeat older than this many timeframes is stale. */
export const STALE_TIMEFRAMES = 3;
/** A heartbeat older than this is stale whatever the timeframe (traders beat every few s). */
export const STALE_AFTER_MS = 60_000;

/** Heartbeat age beyond which a live status is stale: the smaller of 3 timeframes and 60 s. */
export function staleAfterMs(timeframe: string): number {
  if (!isTimeframe(timeframe)) return STALE_AFTER_MS;
  return Math.min(STALE_TIMEFRAMES * timeframeMs(timeframe), STALE_AFTER_MS);
}

/** The facts status derivation needs from an instance row. */
export interface StatusInput {
  readonly status: string;
  readonly statusReason: string | null;
  readonly lastError: string | null;
  readonly heartbeatMs: number;
  readonly timeframe: string;
}

/**
 * Error and stopped are final states, so their heartbeat may be old. Any other state with an
 * old heartbeat means the process died without saying so: stale, keeping the last reason.
 */
export function deriveStatus(row: StatusInput, nowMs: number): DerivedStatus {
  const reason = row.statusReason ?? row.lastError ?? null;
  if (row.status === "error") return { status: "error", reason: reason ?? "unknown error" };
  if (row.status === "stopped") return { status: "stopped", reason };
  if (nowMs - row.heartbeatMs > staleAfterMs(row.timeframe)) {
    return { status: "stale", reason };
  }
  if (row.status === "halted") return { status: "halted", reason };
  if (row.status === "starting" || row.status === "paused") return { status: row.status, reason };
  return { status: "running", reason };
}

/** Colour of each status, for terminals with colour. */
export const STATUS_COLOURS: Readonly<Record<DisplayStatus, string>> = {
  running: "green",
  starting: "cyan",
  paused: "blue",
  stale: "yellow",
  stopped: "gray",
  halted: "magenta",
  error: "red",
};
