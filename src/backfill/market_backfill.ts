/** One market's backfill: page-by-page download, gap check, one re-request, gap records. */
import { candleToRow } from "../core/candle_row.ts";
import type { Clock } from "../core/ports.ts";
import type { Candle, CandleRow, MarketRef } from "../core/types.ts";
import type { CandleGapRecord, Store } from "../storage/mod.ts";
import {
  addCandles,
  closeTime,
  countBetween,
  findGaps,
  type Gap,
  parseTimeframe,
  type Timeframe,
} from "../timeframes/mod.ts";
import type { BackfillRange } from "./backfill_range.ts";
import type { MarketProgress } from "./backfill_progress.ts";
import { type MarketSummary, newMarketSummary } from "./market_summary.ts";
import { untilAborted } from "./until_aborted.ts";

/** One page from the exchange: closed, validated candles and the rejected rows. */
export interface SourcePage {
  readonly candles: readonly Candle[];
  readonly invalid: readonly unknown[];
  readonly nextSinceMs: number;
}

/** Paged candle download; `CcxtMarketDataFeed` is the real one. */
export interface CandlePageSource {
  /** Closed candles with open time in `[sinceMs, untilMs)`, handed over page by page. */
  fetchCandles(sinceMs: number, untilMs: number, options: {
    onPage?: (page: SourcePage) => void | Promise<void>;
    signal?: AbortSignal;
    collect?: boolean;
  }): Promise<unknown>;
}

/** What a market backfill needs. */
export interface MarketBackfillDeps {
  readonly store: Pick<Store, "candles" | "gaps" | "transaction">;
  readonly clock: Clock;
  readonly progress: MarketProgress;
  readonly signal?: AbortSignal;
}

/** Downloads one market over `range`; `summary` is live, so an interrupt can print it. */
export class MarketBackfill {
  readonly summary: MarketSummary;
  readonly #source: CandlePageSource;
  readonly #deps: MarketBackfillDeps;
  readonly #timeframe: Timeframe;

  constructor(
    source: CandlePageSource,
    job: { market: MarketRef; range: BackfillRange | null; unreachable?: Gap | null },
    deps: MarketBackfillDeps,
  ) {
    this.#source = source;
    this.#deps = deps;
    this.#timeframe = parseTimeframe(job.market.timeframe);
    this.summary = newMarketSummary(job.market);
    this.summary.range = job.range;
    this.summary.unreachable = job.unreachable ?? null;
  }

  /** Runs to the end; an abort leaves status `interrupted`, a failure `failed` (never throws). */
  async run(): Promise<MarketSummary> {
    const { summary } = this;
    const startedMs = this.#deps.clock.nowMs();
    const range = summary.range;
    try {
      if (range === null) summary.status = "up to date";
      else {
        summary.status = "running";
        await this.#download(range);
      }
      if (summary.status === "running") summary.status = "done";
    } catch (error) {
      if (this.#deps.signal?.aborted) summary.status = "interrupted";
      else {
        summary.status = "failed";
        summary.error = error instanceof Error ? error.message : String(error);
      }
    } finally {
      summary.elapsedMs = this.#deps.clock.nowMs() - startedMs;
      this.#deps.progress.finished(summary);
    }
    return summary;
  }

  async #download(range: BackfillRange): Promise<void> {
    const { progress } = this.#deps;
    progress.started(range);
    await this.#fetch(range.fromMs, range.toMs, (nextMs) => progress.advanced(this.#done(nextMs)));
    progress.advanced(range.expected);
    this.summary.gapsFound = this.#findGaps(range);
    const known = this.#deps.store.gaps.list(this.summary.market);
    const confirmed = known.filter((gap) => gap.confirmedMs !== null);
    const retry = this.summary.gapsFound.filter((gap) => !coveredBy(gap, confirmed));
    if (retry.length > 0) progress.phase(`re-requesting ${retry.length} gaps`);
    for (const gap of retry) {
      await this.#fetch(gap.fromMs, gap.toMs, () => {});
      this.summary.gapsRerequested++;
    }
    this.summary.gapsRemaining = retry.length > 0 ? this.#findGaps(range) : this.summary.gapsFound;
    this.#recordGaps(range, known, new Set(retry.map((gap) => gap.fromMs)));
  }

  /** Downloads open times `fromMs..toMs` (inclusive), writing each page in one transaction. */
  async #fetch(fromMs: number, toMs: number, onAdvance: (nextMs: number) => void): Promise<void> {
    const { signal } = this.#deps;
    const onPage = (page: SourcePage) => {
      // A page that arrives after an interrupt was abandoned: the summary is already out.
      if (signal?.aborted) return;
      this.#write(page);
      onAdvance(page.nextSinceMs);
    };
    const untilMs = addCandles(toMs, this.#timeframe, 1);
    const download = this.#source.fetchCandles(fromMs, untilMs, { onPage, signal, collect: false });
    await untilAborted(download, signal);
  }

  #write(page: SourcePage): void {
    const { clock, store } = this.#deps;
    const nowMs = clock.nowMs();
    const rows: CandleRow[] = [];
    for (const c of page.candles) {
      // The feed drops the open candle already; a second check costs nothing.
      if (closeTime(c.openTimeMs, this.#timeframe) > nowMs) continue;
      rows.push(candleToRow(c));
    }
    const counts = store.candles.upsert(this.summary.market, rows);
    this.summary.added += counts.inserted;
    this.summary.corrected += counts.updated;
    this.summary.unchanged += counts.unchanged;
    this.summary.invalid += page.invalid.length;
    this.summary.pages++;
  }

  #done(nextSinceMs: number): number {
    const range = this.summary.range!;
    const lastMs = Math.min(addCandles(nextSinceMs, this.#timeframe, -1), range.toMs);
    return countBetween(range.fromMs, lastMs, this.#timeframe);
  }

  #findGaps(range: BackfillRange): Gap[] {
    const times = this.#deps.store.candles.openTimes(this.summary.market, range.fromMs, range.toMs);
    return findGaps(times, this.#timeframe, range.fromMs, range.toMs);
  }

  /** Replaces the records inside `range` with the gaps that remain; others are kept. */
  #recordGaps(range: BackfillRange, known: CandleGapRecord[], rerequested: Set<number>): void {
    const { store, clock } = this.#deps;
    const { market } = this.summary;
    const previous = new Map(known.map((gap) => [gap.fromMs, gap]));
    const records = this.summary.gapsRemaining.map((gap): CandleGapRecord => ({
      ...gap,
      confirmedMs: rerequested.has(gap.fromMs)
        ? clock.nowMs()
        : previous.get(gap.fromMs)?.confirmedMs ?? null,
    }));
    const keep = new Set(records.map((gap) => gap.fromMs));
    store.transaction(() => {
      for (const gap of known) {
        const inside = gap.fromMs >= range.fromMs && gap.toMs <= range.toMs;
        if (inside && !keep.has(gap.fromMs)) store.gaps.remove(market, gap.fromMs);
      }
      store.gaps.record(market, records);
    });
  }
}

function coveredBy(gap: Gap, records: readonly CandleGapRecord[]): boolean {
  return records.some((known) => known.fromMs <= gap.fromMs && known.toMs >= gap.toMs);
}
