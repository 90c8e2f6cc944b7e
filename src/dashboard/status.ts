/** Instance status as the operator sees it, derived from the stored status and heartbeat age. */
import { heartbeatStale } from "../core/heartbeat_age.ts";

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

export { STALE_AFTER_MS, STALE_TIMEFRAMES, staleAfterMs } from "../core/heartbeat_age.ts";

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
  if (heartbeatStale(row.heartbeatMs, row.timeframe, nowMs)) {
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
