/** Progress bars in a terminal: one line per market, redrawn in place with ANSI escapes. */
import type { MarketRef } from "../core/types.ts";
import type { BackfillRange } from "./backfill_range.ts";
import type { BackfillProgress, MarketProgress } from "./backfill_progress.ts";
import { marketLabel, type MarketSummary } from "./market_summary.ts";
import {
  newProgressState,
  progressBar,
  progressCounts,
  type ProgressState,
  retryText,
} from "./progress_line.ts";

const SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";
const CLEAR_LINE = "\r\x1b[2K";

/** How the terminal view draws. */
export interface TerminalProgressOptions {
  readonly nowMs: () => number;
  /** Terminal width; lines are cut to fit so the redraw stays in place (default 100). */
  readonly columns?: number;
  /** Redraw period; 0 draws only on events (tests). Default 100 ms. */
  readonly intervalMs?: number;
}

/** Redraws every market's line on a timer, so the spinner turns while a retry waits. */
export class TerminalProgress implements BackfillProgress {
  readonly #write: (text: string) => void;
  readonly #options: TerminalProgressOptions;
  readonly #rows: ProgressState[] = [];
  #drawn = 0;
  #frame = 0;
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(write: (text: string) => void, options: TerminalProgressOptions) {
    this.#write = write;
    this.#options = options;
    const intervalMs = options.intervalMs ?? 100;
    if (intervalMs > 0) {
      const timer = setInterval(() => this.render(), intervalMs);
      Deno.unrefTimer(timer);
      this.#timer = timer;
    }
  }

  market(market: MarketRef): MarketProgress {
    const state = newProgressState(marketLabel(market));
    this.#rows.push(state);
    const nowMs = this.#options.nowMs;
    return {
      started: (range: BackfillRange) => {
        Object.assign(state, { range, startedMs: nowMs(), done: 0 });
      },
      advanced: (done: number) => {
        Object.assign(state, { done, retryAtMs: null });
      },
      retrying: (delayMs: number, reason: string) => {
        Object.assign(state, { retryAtMs: nowMs() + delayMs, retryReason: reason });
      },
      phase: (text: string) => {
        state.phase = text;
      },
      finished: (summary: MarketSummary) => {
        Object.assign(state, { finished: summary.status, retryAtMs: null });
        this.render();
      },
    };
  }

  /** Draws every line again over the previous drawing. */
  render(): void {
    this.#frame = (this.#frame + 1) % SPINNER.length;
    const nowMs = this.#options.nowMs();
    const columns = this.#options.columns ?? 100;
    let text = this.#drawn > 0 ? `\x1b[${this.#drawn}A` : "";
    for (const row of this.#rows) {
      text += CLEAR_LINE + this.#line(row, nowMs).slice(0, columns) + "\n";
    }
    this.#drawn = this.#rows.length;
    this.#write(text);
  }

  #line(row: ProgressState, nowMs: number): string {
    if (row.finished !== null) return `✓ ${row.label}: ${row.finished}`;
    if (row.range === null) return `  ${row.label}: waiting`;
    const spin = row.retryAtMs !== null || row.phase !== "" ? SPINNER[this.#frame] : " ";
    const bar = progressBar(row.done, row.range.expected, 20);
    const extra = retryText(row, nowMs) || row.phase;
    return `${spin} ${row.label} [${bar}] ${progressCounts(row, nowMs)}${
      extra ? `  ${extra}` : ""
    }`;
  }

  close(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    if (this.#rows.length > 0) this.render();
  }
}
