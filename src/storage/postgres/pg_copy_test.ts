/**
 * Candle writes through COPY and chunk reads through COPY on PostgreSQL against SQLite's row
 * writer: the same pages of candles (new rows, corrections, repeats, pages out of order) give the
 * same counts, the same rows, byte-identical chunks and the same loaded columns.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import type { CandleRow, MarketRef } from "../../core/types.ts";
import { createStore, type Store } from "../store.ts";
import { openDatabase } from "../database.ts";
import type { SqlDatabase } from "../sql_database.ts";
import type { PgDatabase } from "./pg_database.ts";
import { freshSchema, LOCAL_POSTGRES_URL } from "../../../tests/support/test_database.ts";

const SERVER = Deno.env.get("TEST_DATABASE_URL") ?? LOCAL_POSTGRES_URL;
const MINUTE = 60_000;
/** Open times over five chunk spans of 1m candles (4,096 each), so pages cross spans. */
const SLOTS = 5 * 4_096;

/** A candle at minute `slot` whose values depend on `version` (a correction changes them). */
function candle(slot: number, version: number): CandleRow {
  const base = 100 + (slot % 97) + version * 0.25;
  return [slot * MINUTE, base, base + 1.5, base - 1, base + 0.5, version + slot / 1024];
}

/** A store and its connection (to read `candle_chunks` directly). */
interface Opened extends Store {
  readonly db: SqlDatabase;
}

function openStore(url: string): Opened {
  const db = openDatabase(url);
  return { ...createStore(db), db };
}

function chunksOf(store: Opened, market: MarketRef): unknown[] {
  return store.db.prepare(
    "SELECT start_ms, span_ms, count, data FROM candle_chunks WHERE exchange = ? AND symbol = ? " +
      "AND timeframe = ? ORDER BY start_ms",
  ).all(market.exchange, market.symbol, market.timeframe).map((row) => {
    const r = row as { start_ms: number; span_ms: number; count: number; data: Uint8Array };
    return [Number(r.start_ms), Number(r.span_ms), Number(r.count), [...r.data]];
  });
}

function columnsOf(store: Opened, market: MarketRef, fromMs: number, toMs: number) {
  const c = store.candles.loadColumns(market, fromMs, toMs);
  return [c.openTimeMs, c.open, c.high, c.low, c.close, c.volume].map((column) => [
    ...column.subarray(0, c.length),
  ]);
}

Deno.test("candle pages through COPY on PostgreSQL equal SQLite's row writes: counts, rows, chunks, columns", () => {
  using schema = freshSchema(SERVER);
  const pg = openStore(schema.url);
  let run = 0;
  try {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            // Pages of at least 256 rows go through COPY; a repeated slot sends the page to the
            // row writer, which must agree as well.
            slots: fc.array(fc.integer({ min: 0, max: SLOTS - 1 }), {
              minLength: 256,
              maxLength: 700,
            }),
            unique: fc.boolean(),
            version: fc.integer({ min: 0, max: 2 }),
            reversed: fc.boolean(),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        fc.array(fc.tuple(fc.integer({ min: -10, max: SLOTS + 10 }), fc.nat(SLOTS)), {
          minLength: 1,
          maxLength: 4,
        }),
        (pages, ranges) => {
          const market: MarketRef = { exchange: `e${run++}`, symbol: "BTC/USDT", timeframe: "1m" };
          const lite = openStore("sqlite::memory:");
          try {
            for (const page of pages) {
              const slots = page.unique ? [...new Set(page.slots)] : page.slots;
              const rows = slots.map((slot) => candle(slot, page.version));
              if (page.reversed) rows.reverse();
              assert.deepEqual(pg.candles.upsert(market, rows), lite.candles.upsert(market, rows));
            }
            assert.deepEqual(
              pg.candles.loadRange(market, -Infinity, Infinity),
              lite.candles.loadRange(market, -Infinity, Infinity),
            );
            assert.deepEqual(chunksOf(pg, market), chunksOf(lite, market));
            for (const [from, length] of [[-1, SLOTS + 1], ...ranges]) {
              const fromMs = from * MINUTE;
              const toMs = (from + length) * MINUTE;
              const loaded = columnsOf(pg, market, fromMs, toMs);
              assert.deepEqual(loaded, columnsOf(lite, market, fromMs, toMs));
              const rows = pg.candles.loadColumnsFromRows(market, fromMs, toMs);
              assert.deepEqual(loaded[0], [...rows.openTimeMs.subarray(0, rows.length)]);
            }
          } finally {
            lite.close();
          }
        },
      ),
      { numRuns: 12, endOnFailure: true },
    );
  } finally {
    pg.close();
  }
});

Deno.test("a COPY page with a NaN fails whole on PostgreSQL, as on SQLite, and stores nothing", () => {
  const market: MarketRef = { exchange: "nan", symbol: "BTC/USDT", timeframe: "1m" };
  const rows = Array.from({ length: 400 }, (_, i) => candle(i, 0));
  rows[300] = [300 * MINUTE, 1, 2, Number.NaN, 1, 1];
  using schema = freshSchema(SERVER);
  for (const url of [schema.url, "sqlite::memory:"]) {
    const store = openStore(url);
    try {
      assert.throws(() => store.candles.upsert(market, rows), /NOT NULL constraint failed/);
      assert.equal(store.candles.bounds(market), null);
      assert.deepEqual(chunksOf(store, market), []);
      // The connection goes on: the next page is stored.
      assert.equal(store.candles.upsert(market, rows.slice(0, 300)).inserted, 300);
    } finally {
      store.close();
    }
  }
});

Deno.test("a COPY the server refuses at its end fails at once, and the connection goes on", () => {
  using schema = freshSchema(SERVER);
  const db = openDatabase(schema.url) as PgDatabase;
  try {
    db.exec("BEGIN IMMEDIATE");
    db.call({ op: "exec", text: "CREATE TEMP TABLE copy_keys (key BIGINT PRIMARY KEY)" });
    // Binary COPY of three rows whose last repeats the first key: refused at the last row.
    const bytes = new Uint8Array(19 + 3 * 14 + 2);
    const view = new DataView(bytes.buffer);
    bytes.set([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00]);
    [1, 2, 1].forEach((key, i) => {
      view.setInt16(19 + i * 14, 1);
      view.setInt32(21 + i * 14, 8);
      view.setUint32(29 + i * 14, key);
    });
    view.setInt16(19 + 3 * 14, -1);
    db.area.reset();
    const data = db.area.put(bytes);
    assert.throws(
      () => db.call({ op: "copyIn", text: "COPY copy_keys FROM STDIN (FORMAT binary)", data }),
      /the server refused the COPY's rows/,
    );
    db.exec("ROLLBACK");
    assert.equal(db.prepare("SELECT 1 AS one").get()!.one, 1);
  } finally {
    db.close();
  }
});
