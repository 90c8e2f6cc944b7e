/**
 * `deno task bench --db postgres://…`: the PostgreSQL backend beside SQLite in the same run —
 * candle upserts (rows/s), loading 1M candles as columns (ms; the bench stops unless they equal
 * SQLite's value for value), and write transactions per second with 8 writer processes (read then
 * write, as the repositories do), with their error count.
 */
import { parseCandles } from "../../src/candles/mod.ts";
import type { CandleColumns, MarketRef } from "../../src/core/types.ts";
import { openDatabase, openStore } from "../../src/storage/mod.ts";
import { type BenchContext, type BenchResult, rateResult } from "./harness.ts";
import { tileCandles } from "./sqlite_bench.ts";

const MARKET: MarketRef = { exchange: "bench", symbol: "BTC/USDT", timeframe: "1m" };
const WRITER = new URL("../../src/storage/testdata/concurrent_writer.ts", import.meta.url).pathname;
const WRITERS = 8;

/** A URL on `server` with a schema of its own, so that runs never meet. */
function benchSchema(server: string): string {
  const url = new URL(server);
  url.searchParams.set(
    "schema",
    `bench_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`,
  );
  return url.href;
}

function timed<T>(fn: () => T): [number, T] {
  const started = performance.now();
  const value = fn();
  return [performance.now() - started, value];
}

/** Upsert and load figures of one database URL, and the columns it loaded. */
function candleFigures(url: string, rows: ReturnType<typeof tileCandles>) {
  const store = openStore(url);
  try {
    const [upsertMs, counts] = timed(() => store.candles.upsert(MARKET, rows));
    if (counts.inserted !== rows.length) throw new Error(`inserted ${counts.inserted}`);
    let loadMs = Infinity;
    let loaded: CandleColumns | null = null;
    for (let i = 0; i < 2; i++) {
      const [ms, columns] = timed(() =>
        store.candles.loadColumns(MARKET, 0, Number.MAX_SAFE_INTEGER)
      );
      if (columns.length !== rows.length) throw new Error(`loaded ${columns.length}`);
      loadMs = Math.min(loadMs, ms);
      loaded = columns;
    }
    return { upsertRate: rows.length / (upsertMs / 1000), loadMs, columns: loaded! };
  } finally {
    store.close();
  }
}

/** Stops the bench unless PostgreSQL loaded exactly SQLite's candles, value for value. */
function assertSameColumns(postgres: CandleColumns, sqlite: CandleColumns): void {
  const keys = ["openTimeMs", "open", "high", "low", "close", "volume"] as const;
  if (postgres.length !== sqlite.length) {
    throw new Error(`PostgreSQL loaded ${postgres.length} candles, SQLite ${sqlite.length}`);
  }
  for (const key of keys) {
    for (let i = 0; i < sqlite.length; i++) {
      if (!Object.is(postgres[key][i], sqlite[key][i])) {
        throw new Error(
          `PostgreSQL loaded ${key}[${i}] = ${postgres[key][i]}, SQLite ${sqlite[key][i]}`,
        );
      }
    }
  }
}

/** Write transactions per second of 8 writer processes, and how many failed. */
async function writerFigures(url: string, perWriter: number) {
  openStore(url).close();
  const started = performance.now();
  const children = Array.from({ length: WRITERS }, (_, n) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", WRITER, url, `w${n}`, String(perWriter)],
      stdout: "piped",
      stderr: "inherit",
    }).output());
  let errors = 0;
  for (const output of await Promise.all(children)) {
    if (!output.success) errors += perWriter;
    else errors += JSON.parse(new TextDecoder().decode(output.stdout)).errors;
  }
  const seconds = (performance.now() - started) / 1000;
  return { rate: (WRITERS * perWriter) / seconds, errors };
}

/** Drops the bench's schemas (a million candles each run would otherwise stay on the server). */
function dropSchemas(urls: string[]): void {
  for (const url of urls) {
    const schema = new URL(url).searchParams.get("schema")!;
    let db;
    try {
      db = openDatabase(url);
      db.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } catch {
      // Never created (the run stopped before it), or the server is gone: nothing to drop.
    } finally {
      db?.close();
    }
  }
}

/** PostgreSQL's figures, each beside SQLite's measured in the same run. */
export async function postgresBench(context: BenchContext, server: string): Promise<BenchResult[]> {
  const count = context.quick ? 100_000 : 1_000_000;
  const perWriter = context.quick ? 100 : 500;
  const sample = parseCandles(context.sample1mCsv, { file: "sample", timeframe: "1m" }).rows;
  const rows = tileCandles(sample, count);
  const sqlite = `sqlite:${context.tempDir}/postgres_reference.db`;
  const pg = benchSchema(server);
  const writersPg = benchSchema(server);
  let post, lite, liteWriters, postWriters;
  try {
    lite = candleFigures(sqlite, rows);
    post = candleFigures(pg, rows);
    assertSameColumns(post.columns, lite.columns);
    liteWriters = await writerFigures(`sqlite:${context.tempDir}/writers.db`, perWriter);
    postWriters = await writerFigures(writersPg, perWriter);
  } finally {
    dropSchemas([pg, writersPg]);
  }
  const label = count.toLocaleString("en-US");
  return [
    rateResult(`postgres candle upsert ${label}`, "rows/s", post.upsertRate, lite.upsertRate),
    {
      name: `postgres loadColumns ${label}`,
      value: post.loadMs,
      unit: "ms",
      reference: lite.loadMs,
      ratio: post.loadMs / lite.loadMs,
    },
    rateResult(`postgres ${WRITERS} writers`, "tx/s", postWriters.rate, liteWriters.rate),
    {
      name: `postgres ${WRITERS} writers errors`,
      value: postWriters.errors,
      unit: "errors",
      reference: liteWriters.errors,
      ratio: postWriters.errors === 0 ? 1 : Infinity,
    },
  ];
}
