/**
 * Checks a running trader makes once per heartbeat, beside its own work: other instances whose
 * heartbeat went stale (a process that died without saying so), and its daily summary after
 * 00:00 UTC. Both are queued once for good by id (`Notifier.emitOnce`), so several watchers and
 * repeated checks give one event per stale episode and one summary per instance and day.
 */
import { heartbeatStale, staleAfterMs } from "../core/heartbeat_age.ts";
import type { QuietInstance } from "../storage/instance_repo.ts";
import { TIMEFRAMES } from "../timeframes/mod.ts";
import { instanceEvent, type NotifyEvent, shortNumber as num } from "./events.ts";

const DAY_MS = 86_400_000;

/** Statuses a process leaves behind when it ends on purpose: an old heartbeat is expected. */
const FINAL = ["stopped", "error"];

/**
 * The stale-heartbeat events about `rows` (from `InstanceRepo.quietSince`) at `nowMs`, judged by
 * the dashboard's rule (`heartbeatStale`), noticed by `watcher` (its own row is skipped). The
 * event is queued under the watcher, whose sender is alive; its id and `data.instance` name the
 * stale instance, and the id holds the last heartbeat, so a new episode (the instance beat
 * again, then went quiet) is a new event.
 */
export function staleHeartbeatEvents(
  watcher: string,
  rows: readonly QuietInstance[],
  nowMs: number,
): NotifyEvent[] {
  return rows.filter((row) =>
    row.name !== watcher && FINAL.every((s) => s !== row.status) &&
    heartbeatStale(row.heartbeatMs, row.timeframe, nowMs)
  )
    .map((row) => {
      const ageS = Math.round((nowMs - row.heartbeatMs) / 1000);
      const last = new Date(row.heartbeatMs).toISOString();
      return {
        ...instanceEvent(row.name, "heartbeat_stale", {
          timeMs: nowMs,
          key: `${row.heartbeatMs}`,
          text: `heartbeat stale: last at ${last} (${ageS} s ago) while ${row.status}; ` +
            `noticed by ${watcher}`,
          data: {
            instance: row.name,
            status: row.status,
            heartbeatMs: row.heartbeatMs,
            ageMs: nowMs - row.heartbeatMs,
            noticedBy: watcher,
          },
        }),
        instance: watcher,
      };
    });
}

/** The oldest heartbeat that can still be fresh at `nowMs`: `quietSince`'s bound. */
export function staleCandidatesBefore(nowMs: number): number {
  // The shortest limit of any timeframe; the rule itself is applied per row.
  return nowMs - Math.min(...TIMEFRAMES.map(staleAfterMs));
}

/** What a daily summary reports; the trades and pnl are those closed on `day`. */
export interface DailyFacts {
  readonly instance: string;
  /** The UTC day summarised, `YYYY-MM-DD`. */
  readonly day: string;
  readonly trades: number;
  readonly realizedPnlQuote: number;
  readonly positionBase: number;
  readonly equityQuote: number;
  readonly symbol: string;
  readonly timeMs: number;
}

/** The UTC day before the one `nowMs` falls in, as `YYYY-MM-DD` with its [start, end) in ms. */
export function previousUtcDay(nowMs: number): { day: string; fromMs: number; toMs: number } {
  const toMs = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const fromMs = toMs - DAY_MS;
  return { day: new Date(fromMs).toISOString().slice(0, 10), fromMs, toMs };
}

/** The daily summary event, id `<instance>/daily_summary/<YYYY-MM-DD>`. */
export function dailySummaryEvent(facts: DailyFacts): NotifyEvent {
  const position = facts.positionBase > 0
    ? `open position ${num(facts.positionBase)} ${facts.symbol}`
    : "no open position";
  return instanceEvent(facts.instance, "daily_summary", {
    timeMs: facts.timeMs,
    key: facts.day,
    text: `${facts.day}: ${facts.trades} trade${facts.trades === 1 ? "" : "s"} closed, ` +
      `realised pnl ${num(facts.realizedPnlQuote)}, ${position}, equity ${num(facts.equityQuote)}`,
    data: {
      day: facts.day,
      trades: facts.trades,
      realizedPnlQuote: facts.realizedPnlQuote,
      positionBase: facts.positionBase,
      equityQuote: facts.equityQuote,
    },
  });
}
