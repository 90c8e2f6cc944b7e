/** Candles: page upserts that count corrections, and fast array reads for backtests. */
import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { CandleColumns, CandleRow, MarketRef } from "../core/types.ts";
import { writeTransaction } from "./write_transaction.ts";
import { prepareArrays } from "./_statements.ts";
import { CandleWriter, type UpsertCounts } from "./_candle_writer.ts";

export type { CandleColumns, UpsertCounts };

/** First and last stored open time of a market, and how many candles it has. */
export interface CandleBounds {
  readonly firstMs: number;
  readonly lastMs: number;
  readonly count: number;
}

/** One stored market series, as `candles list` shows it. */
export interface StoredSeries extends MarketRef, CandleBounds {}

const KEY = "exchange = ? AND symbol = ? AND timeframe = ?";
/** Rows per page of `loadColumns`: big enough for array-read speed, small enough for memory. */
const COLUMN_PAGE = 8_192;

/** Reads and writes the `candles` table; statements are prepared once. */
export class CandleRepo {
  #db: DatabaseSync;
  #writer: CandleWriter;
  #range: StatementSync;
  #page: StatementSync;
  #openTimes: StatementSync;
  #bounds: StatementSync;
  #list: StatementSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#writer = new CandleWriter(db);
    this.#range = prepareArrays(
      db,
      "SELECT open_time_ms, open, high, low, close, volume FROM candles WHERE " + KEY +
        " AND open_time_ms >= ? AND open_time_ms <= ? ORDER BY open_time_ms",
    );
    this.#page = prepareArrays(
      db,
      "SELECT open_time_ms, open, high, low, close, volume FROM candles WHERE " + KEY +
        " AND open_time_ms >= ? AND open_time_ms <= ? ORDER BY open_time_ms LIMIT ?",
    );
    this.#openTimes = prepareArrays(
      db,
      `SELECT open_time_ms FROM candles WHERE ${KEY} AND open_time_ms >= ? AND open_time_ms <= ? ` +
        "ORDER BY open_time_ms",
    );
    this.#bounds = prepareArrays(
      db,
      `SELECT min(open_time_ms), max(open_time_ms), count(*) FROM candles WHERE ${KEY}`,
    );
    this.#list = prepareArrays(
      db,
      "SELECT exchange, symbol, timeframe, min(open_time_ms), max(open_time_ms), count(*) " +
        "FROM candles GROUP BY exchange, symbol, timeframe ORDER BY exchange, symbol, timeframe",
    );
  }

  /** Upserts rows in one `BEGIN IMMEDIATE` transaction; differing stored rows are corrected. */
  upsert(market: MarketRef, rows: ArrayLike<CandleRow>): UpsertCounts {
    return writeTransaction(this.#db, () => this.#writer.write(market, rows));
  }

  /** Candles with `fromMs <= openTimeMs <= toMs`, ascending, as positional rows. */
  loadRange(market: MarketRef, fromMs: number, toMs: number): CandleRow[] {
    const { exchange, symbol, timeframe } = market;
    return this.#range.all(exchange, symbol, timeframe, fromMs, toMs) as unknown as CandleRow[];
  }

  /**
   * Same as `loadRange`, as parallel `Float64Array`s. Read in pages of `COLUMN_PAGE` rows of one
   * prepared statement, so 1M candles never exist as 1M row arrays at once (peak memory), while
   * each page still comes back in one array read (speed).
   */
  loadColumns(market: MarketRef, fromMs: number, toMs: number): CandleColumns {
    const { exchange, symbol, timeframe } = market;
    let columns = emptyColumns(COLUMN_PAGE);
    let n = 0;
    let from = fromMs;
    for (;;) {
      const rows = this.#page.all(
        exchange,
        symbol,
        timeframe,
        from,
        toMs,
        COLUMN_PAGE,
      ) as unknown[];
      if (n + rows.length > columns.openTimeMs.length) {
        columns = grow(columns, Math.max(n + rows.length, n * 2));
      }
      for (let i = 0; i < rows.length; i++, n++) {
        const row = rows[i] as CandleRow;
        columns.openTimeMs[n] = row[0];
        columns.open[n] = row[1];
        columns.high[n] = row[2];
        columns.low[n] = row[3];
        columns.close[n] = row[4];
        columns.volume[n] = row[5];
      }
      if (rows.length < COLUMN_PAGE) break;
      from = columns.openTimeMs[n - 1] + 1;
    }
    return { ...grow(columns, n), length: n };
  }

  /** Stored open times with `fromMs <= t <= toMs`, ascending, for gap detection. */
  openTimes(market: MarketRef, fromMs = -Infinity, toMs = Infinity): Float64Array {
    const { exchange, symbol, timeframe } = market;
    const rows = this.#openTimes.all(exchange, symbol, timeframe, fromMs, toMs) as unknown as [
      number,
    ][];
    const times = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) times[i] = rows[i][0];
    return times;
  }

  /** First and last open time and count, or null when the market has no candles. */
  bounds(market: MarketRef): CandleBounds | null {
    const { exchange, symbol, timeframe } = market;
    const row = this.#bounds.get(exchange, symbol, timeframe) as unknown as [
      number | null,
      number | null,
      number,
    ];
    if (row[0] === null || row[1] === null) return null;
    return { firstMs: row[0], lastMs: row[1], count: row[2] };
  }

  /** Every stored series with its count and first/last open time. */
  listMarkets(): StoredSeries[] {
    const rows = this.#list.all() as unknown as [string, string, string, number, number, number][];
    return rows.map(([exchange, symbol, timeframe, firstMs, lastMs, count]) => ({
      exchange,
      symbol,
      timeframe,
      firstMs,
      lastMs,
      count,
    }));
  }
}

type Columns = Omit<CandleColumns, "length">;

/**
 * Columns in shared memory: a backtest of a user strategy runs in a sandboxed worker, which then
 * reads the candles in place instead of getting a copy. Access costs the same as plain memory.
 */
function emptyColumns(capacity: number): Columns {
  const column = () => new Float64Array(new SharedArrayBuffer(capacity * 8));
  return {
    openTimeMs: column(),
    open: column(),
    high: column(),
    low: column(),
    close: column(),
    volume: column(),
  };
}

/** Copies the first `min(capacity, current)` values into columns of exactly `capacity`. */
function grow(columns: Columns, capacity: number): Columns {
  const out = emptyColumns(capacity);
  for (const key of Object.keys(out) as (keyof Columns)[]) {
    const source = columns[key];
    out[key].set(source.length <= capacity ? source : source.subarray(0, capacity));
  }
  return out;
}
