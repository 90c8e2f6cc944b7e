/**
 * Builds the packed candle chunks of series stored before chunks existed (or rebuilds them all):
 * a backtest reads whole chunks as BLOB copies and only falls back to rows where there are none.
 */
import type { MarketRef } from "../core/types.ts";
import { CandleChunks, chunkSpanMs, chunkStartMs } from "./candle_chunk.ts";
import type { SqlDatabase } from "./sql_database.ts";
import { writeTransaction } from "./write_transaction.ts";

const KEY = "exchange = ? AND symbol = ? AND timeframe = ?";

/** What `rebuildChunks` did for one series. */
export interface RebuiltChunks {
  /** Chunks the series had before, and has now. */
  readonly before: number;
  readonly after: number;
}

/**
 * Rebuilds every chunk of `market` from its rows, in one write transaction: the rows are only
 * read, so no candle can be lost, and a failure rolls back to the chunks there were. The span
 * holding the newest candle stays rows, as after any write (see `CandleChunks.refresh`).
 */
export function rebuildChunks(db: SqlDatabase, market: MarketRef): RebuiltChunks {
  const { exchange, symbol, timeframe } = market;
  const count = db.prepare(`SELECT count(*) AS n FROM candle_chunks WHERE ${KEY}`);
  const chunkTotal = () => Number((count.get(exchange, symbol, timeframe) as { n: number }).n);
  return writeTransaction(db, () => {
    const before = chunkTotal();
    const bounds = db.prepare(
      `SELECT min(open_time_ms) AS first, max(open_time_ms) AS last FROM candles WHERE ${KEY}`,
    ).get(exchange, symbol, timeframe) as { first: number | null; last: number | null };
    if (bounds.first !== null && bounds.last !== null) {
      const span = chunkSpanMs(timeframe);
      const starts = new Set<number>();
      const first = Number(bounds.first);
      const last = Number(bounds.last);
      for (let start = chunkStartMs(first, span); start <= last; start += span) starts.add(start);
      // Spans without rows drop any chunk they had; the others are packed from their rows.
      new CandleChunks(db).refresh(market, starts, new Set());
    }
    return { before, after: chunkTotal() };
  });
}
