import assert from "node:assert/strict";
import fc from "fast-check";
import type { CandleRow, MarketRef } from "../core/types.ts";
import { openStore } from "./mod.ts";
import { testDatabaseUrl } from "../../tests/support/test_database.ts";

const MARKET: MarketRef = { exchange: "binance", symbol: "BTC/USDT", timeframe: "1h" };
const H = 3_600_000;
const T0 = 1720569600000;
const candle = (i: number, close = 105): CandleRow => [T0 + i * H, 100, 110, 90, close, 1];

Deno.test("CandleRepo upsert counts inserted, updated and unchanged across batch sizes", () => {
  const store = openStore(testDatabaseUrl("sqlite::memory:"));
  const first = Array.from({ length: 150 }, (_, i) => candle(i));
  assert.deepEqual(store.candles.upsert(MARKET, first), {
    inserted: 150,
    updated: 0,
    unchanged: 0,
  });
  // 200 rows: 150 stored (3 of them corrected, one in the tail), 50 new.
  const second = Array.from(
    { length: 200 },
    (_, i) => candle(i, [5, 70, 140].includes(i) ? 99 : 105),
  );
  assert.deepEqual(store.candles.upsert(MARKET, second), {
    inserted: 50,
    updated: 3,
    unchanged: 147,
  });
  const rows = store.candles.loadRange(MARKET, T0, T0 + 1000 * H);
  assert.equal(rows.length, 200);
  assert.deepEqual(rows[70], candle(70, 99));
  assert.deepEqual(store.candles.bounds(MARKET), { firstMs: T0, lastMs: T0 + 199 * H, count: 200 });
  const columns = store.candles.loadColumns(MARKET, T0 + 10 * H, T0 + 12 * H);
  assert.equal(columns.length, 3);
  assert.deepEqual([...columns.openTimeMs], [T0 + 10 * H, T0 + 11 * H, T0 + 12 * H]);
  assert.deepEqual([...store.candles.openTimes(MARKET, T0, T0 + H)], [T0, T0 + H]);
  assert.deepEqual(store.candles.listMarkets(), [{
    ...MARKET,
    firstMs: T0,
    lastMs: T0 + 199 * H,
    count: 200,
  }]);
  assert.equal(store.candles.bounds({ ...MARKET, timeframe: "4h" }), null);
  store.close();
});

Deno.test("CandleRepo upsert property: counts match a model and the final rows are the last written", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 3 })), {
          maxLength: 200,
        }),
        { maxLength: 4 },
      ),
      (pages) => {
        const store = openStore(testDatabaseUrl("sqlite::memory:"));
        const model = new Map<number, number>();
        for (const page of pages) {
          const unique = new Map(page.map(([i, close]) => [i, close]));
          const rows = [...unique].sort((a, b) => a[0] - b[0]).map(([i, close]) =>
            candle(i, 100 + close)
          );
          const expected = { inserted: 0, updated: 0, unchanged: 0 };
          for (const [i, close] of unique) {
            if (!model.has(i)) expected.inserted++;
            else if (model.get(i) !== close) expected.updated++;
            else expected.unchanged++;
            model.set(i, close);
          }
          assert.deepEqual(store.candles.upsert(MARKET, rows), expected);
        }
        const stored = store.candles.loadRange(MARKET, 0, Infinity);
        assert.deepEqual(
          stored,
          [...model].sort((a, b) => a[0] - b[0]).map(([i, c]) => candle(i, 100 + c)),
        );
        store.close();
      },
    ),
    { numRuns: 60 },
  );
});

Deno.test("CandleRepo upsert is all or nothing when a row breaks a constraint", () => {
  const store = openStore(testDatabaseUrl("sqlite::memory:"));
  const rows = Array.from({ length: 100 }, (_, i) => candle(i));
  rows[80] = [T0 + 80 * H, 100, 110, 90, null as unknown as number, 1];
  assert.throws(() => store.candles.upsert(MARKET, rows), /NOT NULL/);
  assert.equal(store.candles.bounds(MARKET), null);
  store.close();
});

Deno.test("CandleRepo loadColumns with skipVolume leaves volume zero and the rest as the row path", () => {
  const store = openStore(testDatabaseUrl("sqlite::memory:"));
  try {
    store.candles.upsert(MARKET, Array.from({ length: 20_000 }, (_, i) => candle(i, 100 + i)));
    const columns = store.candles.loadColumns(MARKET, T0 + 5 * H, Infinity, { skipVolume: true });
    const rows = store.candles.loadColumnsFromRows(MARKET, T0 + 5 * H, Infinity);
    assert.ok(columns.volume.every((v) => v === 0));
    assert.ok(rows.volume.some((v) => v !== 0));
    assert.deepEqual({ ...columns, volume: rows.volume }, rows);
  } finally {
    store.close();
  }
});
