/** The container health verdict: an instance is healthy while it runs and its heartbeat is fresh. */
import type { InstanceRecord } from "../storage/mod.ts";

/** Heartbeat age limit when the heartbeat interval is unknown, and the lower bound otherwise. */
export const DEFAULT_MAX_HEARTBEAT_AGE_MS = 60_000;

/** Heartbeats that may be missed before the instance counts as stuck. */
const MISSED_HEARTBEATS = 3;

/** Whether the instance is healthy, with a one-line message either way. */
export interface HealthVerdict {
  readonly healthy: boolean;
  readonly message: string;
}

/**
 * The heartbeat age limit: 3 × the interval, but never under 60 s, so that one slow exchange
 * call (10 s timeout, retried) does not flap a container that Docker checks every 30 s anyway.
 */
export function maxHeartbeatAgeMs(heartbeatSeconds: number | null = null): number {
  if (heartbeatSeconds === null) return DEFAULT_MAX_HEARTBEAT_AGE_MS;
  return Math.max(DEFAULT_MAX_HEARTBEAT_AGE_MS, MISSED_HEARTBEATS * heartbeatSeconds * 1000);
}

/** Judges the instance row `record` (null when absent) at `nowMs`. */
export function checkInstanceHealth(
  record: InstanceRecord | null,
  options: { name: string; nowMs: number; maxAgeMs: number },
): HealthVerdict {
  const { name, nowMs, maxAgeMs } = options;
  const fail = (why: string) => ({
    healthy: false,
    message: `Cannot confirm health of ${name}: ${why}`,
  });
  if (record === null) return fail("no such instance in the database (not started yet?)");
  if (record.status !== "running") {
    const reason = record.statusReason ? ` (${record.statusReason})` : "";
    return fail(`status is ${record.status}${reason}`);
  }
  // A heartbeat slightly ahead of our clock (another process, same host) counts as fresh.
  const ageMs = Math.max(0, nowMs - record.heartbeatMs);
  if (!Number.isFinite(ageMs) || ageMs > maxAgeMs) {
    return fail(`heartbeat is ${seconds(ageMs)} old (limit ${seconds(maxAgeMs)})`);
  }
  return { healthy: true, message: `${name} is running; heartbeat ${seconds(ageMs)} old` };
}

function seconds(ms: number): string {
  return Number.isFinite(ms) ? `${Math.round(ms / 1000)} s` : "unknown";
}
