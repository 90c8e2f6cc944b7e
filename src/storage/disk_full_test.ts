import assert from "node:assert/strict";
import type { CandleRow } from "../core/types.ts";
import { StorageError } from "../core/errors.ts";
import { openDatabase } from "./database.ts";
import { createStore } from "./store.ts";

const MARKET = { exchange: "binance", symbol: "BTC/USDT", timeframe: "1h" };
const H = 3_600_000;

function rows(from: number, count: number): CandleRow[] {
  return Array.from({ length: count }, (_, i) => [(from + i) * H, 100, 110, 90, 105, i + 1]);
}

Deno.test("a full database (max_page_count) fails the writer cleanly: one-line reason, nothing half-written", async () => {
  const dir = await Deno.makeTempDir();
  const url = `sqlite:${dir}/full.db`;
  const db = openDatabase(url);
  const store = createStore(db);
  try {
    store.candles.upsert(MARKET, rows(0, 100));
    const pages = db.prepare("PRAGMA page_count").get()!.page_count as number;
    // The disk is "full" two pages from now: SQLite refuses to grow the file past it.
    db.exec(`PRAGMA max_page_count = ${pages + 2}`);
    assert.throws(() => store.candles.upsert(MARKET, rows(100, 20_000)), (error: unknown) => {
      assert.ok(error instanceof StorageError, String(error));
      assert.match(error.message, /^Cannot write to the database: it is full \(/);
      assert.equal(error.message.includes("\n"), false);
      return true;
    });
    assert.equal(db.isTransaction, false, "the transaction was rolled back");
    assert.equal(store.candles.bounds(MARKET)?.count ?? rowCount(db), 100);
    assert.equal(rowCount(db), 100, "no row of the failed batch is stored");
    assert.equal(db.prepare("PRAGMA integrity_check").get()!.integrity_check, "ok");
    // Other processes still read everything; once space is back the same write succeeds.
    const reader = openDatabase(url, { readOnly: true });
    assert.equal(rowCount(reader), 100);
    reader.close();
    db.exec("PRAGMA max_page_count = 1073741823");
    store.candles.upsert(MARKET, rows(100, 20_000));
    assert.equal(rowCount(db), 20_100);
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

function rowCount(db: ReturnType<typeof openDatabase>): number {
  return db.prepare("SELECT count(*) AS n FROM candles").get()!.n as number;
}
