/** Runs many markets: one after another per exchange (one rate limit), exchanges in parallel. */
import type { Clock } from "../core/ports.ts";
import type { MarketRef } from "../core/types.ts";
import type { Store } from "../storage/mod.ts";
import type { BackfillRange } from "./backfill_range.ts";
import type { BackfillProgress, MarketProgress } from "./backfill_progress.ts";
import type { Gap } from "../timeframes/mod.ts";
import { type CandlePageSource, MarketBackfill } from "./market_backfill.ts";
import type { MarketSummary } from "./market_summary.ts";

/** One market and the range to download (null: up to date). */
export interface BackfillJob {
  readonly market: MarketRef;
  readonly range: BackfillRange | null;
  /** Asked-for open times before the exchange's OHLCV window: said, never requested. */
  readonly unreachable?: Gap | null;
}

/** Markets of one exchange and how to get a page source for each. */
export interface ExchangeBatch {
  readonly jobs: readonly BackfillJob[];
  /** A source for `market` that reports retry waits to `progress`. */
  sourceFor(market: MarketRef, progress: MarketProgress): CandlePageSource;
}

/** What a run needs. */
export interface RunBackfillOptions {
  readonly store: Pick<Store, "candles" | "gaps" | "transaction">;
  readonly clock: Clock;
  readonly progress: BackfillProgress;
  /** Aborting stops at once: the page in flight is dropped, the summaries are returned. */
  readonly signal?: AbortSignal;
}

/** Backfills every job; returns one summary per job, in job order. */
export async function runBackfill(
  batches: readonly ExchangeBatch[],
  options: RunBackfillOptions,
): Promise<MarketSummary[]> {
  const runs = batches.map((batch) =>
    batch.jobs.map((job) => {
      const progress = options.progress.market(job.market);
      const source = batch.sourceFor(job.market, progress);
      return new MarketBackfill(source, job, { ...options, progress });
    })
  );
  const sequential = async (backfills: MarketBackfill[]) => {
    for (const backfill of backfills) {
      if (options.signal?.aborted) break;
      await backfill.run();
    }
  };
  const all = Promise.all(runs.map(sequential));
  await new Promise<void>((resolve) => {
    all.then(() => resolve());
    options.signal?.addEventListener("abort", () => resolve(), { once: true });
    if (options.signal?.aborted) resolve();
  });
  const summaries = runs.flat().map((backfill) => backfill.summary);
  for (const summary of summaries) {
    if (summary.status === "running" || summary.status === "pending") {
      summary.status = "interrupted";
    }
  }
  return summaries;
}
