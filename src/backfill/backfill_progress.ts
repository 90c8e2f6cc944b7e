/** The progress port: the backfill reports, a terminal bar or plain lines show it. */
import type { MarketRef } from "../core/types.ts";
import type { BackfillRange } from "./backfill_range.ts";
import type { MarketSummary } from "./market_summary.ts";

/** Progress of one market. */
export interface MarketProgress {
  /** Download starts over `range`. */
  started(range: BackfillRange): void;
  /** Candles of the range covered so far (received or confirmed missing). */
  advanced(doneCandles: number): void;
  /** A transient error; the next attempt comes after `delayMs`. */
  retrying(delayMs: number, reason: string): void;
  /** A later step, e.g. "re-requesting 3 gaps". */
  phase(text: string): void;
  finished(summary: MarketSummary): void;
}

/** Shows the progress of every market of a run. */
export interface BackfillProgress {
  market(market: MarketRef): MarketProgress;
  /** Stops timers and leaves the output tidy. */
  close(): void;
}

/** Progress that shows nothing. */
export const SILENT_PROGRESS: BackfillProgress = {
  market: () => ({
    started() {},
    advanced() {},
    retrying() {},
    phase() {},
    finished() {},
  }),
  close() {},
};
