/** Progress as plain lines, for logs and pipes: start, every few seconds, retries, the end. */
import type { MarketRef } from "../core/types.ts";
import type { BackfillRange } from "./backfill_range.ts";
import type { BackfillProgress, MarketProgress } from "./backfill_progress.ts";
import { marketLabel, type MarketSummary } from "./market_summary.ts";
import { newProgressState, progressCounts, rangeText } from "./progress_line.ts";

/** How often plain lines appear. */
export interface PlainProgressOptions {
  readonly nowMs: () => number;
  /** Least time between two progress lines of one market (default 5 s). */
  readonly everyMs?: number;
}

/** Writes one line per event worth telling; progress lines at most every `everyMs`. */
export class PlainProgress implements BackfillProgress {
  readonly #writeLine: (line: string) => void;
  readonly #options: PlainProgressOptions;

  constructor(writeLine: (line: string) => void, options: PlainProgressOptions) {
    this.#writeLine = writeLine;
    this.#options = options;
  }

  market(market: MarketRef): MarketProgress {
    const label = marketLabel(market);
    const state = newProgressState(label);
    const { nowMs } = this.#options;
    const everyMs = this.#options.everyMs ?? 5_000;
    let lastLineMs = 0;
    return {
      started: (range: BackfillRange) => {
        Object.assign(state, { range, startedMs: nowMs() });
        lastLineMs = nowMs();
        this.#writeLine(`${label}: downloading ${range.expected} candles ${rangeText(range)}`);
      },
      advanced: (done: number) => {
        state.done = done;
        if (nowMs() - lastLineMs < everyMs) return;
        lastLineMs = nowMs();
        this.#writeLine(`${label}: ${progressCounts(state, lastLineMs)}`);
      },
      retrying: (delayMs: number, reason: string) => {
        this.#writeLine(`${label}: retrying in ${Math.ceil(delayMs / 1000)} s: ${reason}`);
      },
      phase: (text: string) => this.#writeLine(`${label}: ${text}`),
      finished: (summary: MarketSummary) => this.#writeLine(`${label}: ${summary.status}`),
    };
  }

  close(): void {}
}
