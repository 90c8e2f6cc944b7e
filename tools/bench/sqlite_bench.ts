/** SQLite figures: our candle write and read paths beside raw node:sqlite on the same rows. */
import { DatabaseSync } from "node:sqlite";
import { formatCandleCsv, importCandleFile, parseCandles } from "../../src/candles/mod.ts";
import type { CandleRow, MarketRef } from "../../src/core/types.ts";
import { MIGRATIONS, openStore } from "../../src/storage/mod.ts";
import { type BenchContext, type BenchResult, type BenchSuite, rateResult } from "./harness.ts";

const MARKET: MarketRef = { exchange: "bench", symbol: "BTC/USDT", timeframe: "1m" };

/** Candle `i` of the 1m sample repeated end to end, each copy shifted past the previous one. */
export function tiledRow(sample: readonly CandleRow[], i: number): CandleRow {
  const spanMs = sample[sample.length - 1][0] - sample[0][0] + 60_000;
  const [t, o, h, l, c, v] = sample[i % sample.length];
  return [t + Math.floor(i / sample.length) * spanMs, o, h, l, c, v];
}

/** `count` 1m candles: the sample repeated, each copy shifted past the previous one. */
export function tileCandles(sample: readonly CandleRow[], count: number): CandleRow[] {
  return Array.from({ length: count }, (_, i) => tiledRow(sample, i));
}

function rawInsert(path: string, rows: readonly CandleRow[]): number {
  const db = new DatabaseSync(path);
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL");
  db.exec(MIGRATIONS[0]);
  const insert = db.prepare(
    "INSERT INTO candles (exchange, symbol, timeframe, open_time_ms, open, high, low, close, " +
      "volume) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const started = performance.now();
  db.exec("BEGIN");
  for (const [t, o, h, l, c, v] of rows) insert.run("bench", "BTC/USDT", "1m", t, o, h, l, c, v);
  db.exec("COMMIT");
  const ms = performance.now() - started;
  db.close();
  return ms;
}

function rawReader(path: string): { read(): number; close(): void } {
  const db = new DatabaseSync(path, { readOnly: true });
  const select = db.prepare(
    "SELECT open_time_ms, open, high, low, close, volume FROM candles WHERE exchange = ? AND " +
      "symbol = ? AND timeframe = ? AND open_time_ms >= ? AND open_time_ms <= ? ORDER BY open_time_ms",
  );
  (select as unknown as { setReturnArrays(on: boolean): void }).setReturnArrays(true);
  const read = () => {
    const started = performance.now();
    const rows = select.all("bench", "BTC/USDT", "1m", 0, Number.MAX_SAFE_INTEGER);
    const ms = performance.now() - started;
    if (rows.length === 0) throw new Error("raw read found no rows");
    return ms;
  };
  // One long-lived connection, like the store's, so both read from a warm page cache.
  return { read, close: () => db.close() };
}

function timed<T>(fn: () => T): [number, T] {
  const started = performance.now();
  const result = fn();
  return [performance.now() - started, result];
}

/** Runs the insert and read comparisons; raw and ours alternate, best of `runs` each. */
export function sqliteBench(context: BenchContext): BenchResult[] {
  const count = context.quick ? 100_000 : 1_000_000;
  const runs = context.quick ? 1 : 2;
  const sample = parseCandles(context.sample1mCsv, { file: "sample", timeframe: "1m" }).rows;
  const rows = tileCandles(sample, count);
  const csv = new TextEncoder().encode(formatCandleCsv(rows));
  const best = { raw: Infinity, ours: Infinity, csv: Infinity, rawRead: Infinity };
  const best2 = { read: Infinity, columns: Infinity };
  for (let run = 0; run < runs; run++) {
    const dir = `${context.tempDir}/sqlite_${run}`;
    Deno.mkdirSync(dir, { recursive: true });
    best.raw = Math.min(best.raw, rawInsert(`${dir}/raw.db`, rows));
    const store = openStore(`sqlite:${dir}/ours.db`);
    const [oursMs, counts] = timed(() => store.candles.upsert(MARKET, rows));
    if (counts.inserted !== count) throw new Error(`inserted ${counts.inserted} of ${count}`);
    best.ours = Math.min(best.ours, oursMs);
    const csvStore = openStore(`sqlite:${dir}/csv.db`);
    const [csvMs] = timed(() =>
      importCandleFile(csvStore.candles, csv, { file: "x", market: MARKET })
    );
    csvStore.close();
    best.csv = Math.min(best.csv, csvMs);
    const raw = rawReader(`${dir}/ours.db`);
    for (let i = 0; i < 3; i++) {
      best.rawRead = Math.min(best.rawRead, raw.read());
      const [readMs, loaded] = timed(() =>
        store.candles.loadRange(MARKET, 0, Number.MAX_SAFE_INTEGER)
      );
      if (loaded.length !== count) throw new Error(`loaded ${loaded.length} of ${count}`);
      best2.read = Math.min(best2.read, readMs);
      const [columnsMs] = timed(() =>
        store.candles.loadColumns(MARKET, 0, Number.MAX_SAFE_INTEGER)
      );
      best2.columns = Math.min(best2.columns, columnsMs);
    }
    raw.close();
    store.close();
    Deno.removeSync(dir, { recursive: true });
  }
  const rate = (ms: number) => count / (ms / 1000);
  return [
    rateResult("sqlite.insert", "rows/s", rate(best.ours), rate(best.raw)),
    rateResult("sqlite.import_csv", "rows/s", rate(best.csv), rate(best.raw)),
    rateResult("sqlite.read", "rows/s", rate(best2.read), rate(best.rawRead)),
    rateResult("sqlite.read_columns", "rows/s", rate(best2.columns), rate(best.rawRead)),
  ];
}

/** The suite tasks/bench.ts runs. */
export const sqliteSuite: BenchSuite = { name: "sqlite", run: sqliteBench };
