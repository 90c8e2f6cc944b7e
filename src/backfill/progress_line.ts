/** Counters of one market's progress and their one-line text: bar, counts, rate, ETA. */
import type { BackfillRange } from "./backfill_range.ts";
import { formatDuration, formatUtc } from "../core/format_time.ts";

/** What a progress view knows about one market. */
export interface ProgressState {
  readonly label: string;
  range: BackfillRange | null;
  done: number;
  startedMs: number;
  /** When the retry being waited for fires; null when not waiting. */
  retryAtMs: number | null;
  retryReason: string;
  phase: string;
  /** Final status once finished. */
  finished: string | null;
}

/** A state for `label`, not started yet. */
export function newProgressState(label: string): ProgressState {
  return {
    label,
    range: null,
    done: 0,
    startedMs: 0,
    retryAtMs: null,
    retryReason: "",
    phase: "",
    finished: null,
  };
}

/** Candles per second since the start, or null before there is anything to measure. */
export function progressRate(state: ProgressState, nowMs: number): number | null {
  const seconds = (nowMs - state.startedMs) / 1000;
  return seconds > 0 && state.done > 0 ? state.done / seconds : null;
}

/** `3950/8777 (45%), 1234/s, ETA 4.0 s` */
export function progressCounts(state: ProgressState, nowMs: number): string {
  const total = state.range?.expected ?? 0;
  const pct = total > 0 ? Math.floor(state.done * 100 / total) : 100;
  const rate = progressRate(state, nowMs);
  const eta = rate === null ? "ETA ?" : `ETA ${formatDuration((total - state.done) / rate * 1000)}`;
  return `${state.done}/${total} (${pct}%), ${rate === null ? "?" : Math.round(rate)}/s, ${eta}`;
}

/** `waiting 3 s to retry: <reason>`, or "" when not waiting. */
export function retryText(state: ProgressState, nowMs: number): string {
  if (state.retryAtMs === null) return "";
  const seconds = Math.max(0, Math.ceil((state.retryAtMs - nowMs) / 1000));
  return `waiting ${seconds} s to retry: ${state.retryReason}`;
}

/** `from 2024-07-10 00:00 to 2025-07-10 15:00` */
export function rangeText(range: BackfillRange): string {
  return `from ${formatUtc(range.fromMs)} to ${formatUtc(range.toMs)}`;
}

/** A `width`-cell bar of `done` out of `total`. */
export function progressBar(done: number, total: number, width: number): string {
  const filled = total > 0 ? Math.min(width, Math.floor(done * width / total)) : width;
  return "█".repeat(filled) + "░".repeat(width - filled);
}
