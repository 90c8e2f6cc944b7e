import assert from "node:assert/strict";
import { StorageInputError } from "../core/errors.ts";
import type { CandleRow } from "../core/types.ts";
import { openDatabase } from "./database.ts";
import { copyDatabase, tableChecksum, userTables } from "./copy_database.ts";
import { openStore, type Store } from "./store.ts";
import { freshSchema, LOCAL_POSTGRES_URL } from "../../tests/support/test_database.ts";

const SERVER = Deno.env.get("TEST_DATABASE_URL") ?? LOCAL_POSTGRES_URL;
const MARKET = { exchange: "binance", symbol: "BTC/USDT", timeframe: "1h" };

/** A little of everything a trader, a backfill and a backtest write. */
function populate(store: Store): void {
  const candles: CandleRow[] = Array.from({ length: 3000 }, (_, i) => {
    const price = 60_000 + Math.sin(i / 7) * 1234.5678 + i / 3;
    return [i * 3_600_000, price, price + 0.1, price - 0.1, price + 1 / 3, i * 0.001];
  });
  store.candles.upsert(MARKET, candles);
  store.gaps.record(MARKET, [{ fromMs: 1, toMs: 2, missing: 1, confirmedMs: null }]);
  store.instances.upsert({
    name: "btc",
    exchange: "binance",
    symbol: "BTC/USDT",
    timeframe: "1h",
    strategy: "rsi",
    mode: "paper",
    status: "running",
    statusReason: null,
    pid: 7,
    startedMs: 1,
    heartbeatMs: 2,
    equityQuote: 10_000.125,
    quoteBalance: 5000,
    positionBase: 0.1,
    entryPrice: 60_000,
    lastPrice: 60_100,
    realizedPnlQuote: -1.5,
    lastSignal: "buy",
    lastSignalMs: 3,
    openOrders: 1,
    lastError: "a 'quoted' line",
    state: { peak: 1e-9, list: [1, 2] },
    config: { name: "btc" },
  });
  store.orders.insert({
    clientOrderId: "btc-1",
    instance: "btc",
    exchange: "binance",
    exchangeOrderId: "x1",
    symbol: "BTC/USDT",
    side: "buy",
    type: "market",
    baseAmount: 0.1,
    price: null,
    status: "filled",
    filledBaseAmount: 0.1,
    averagePrice: 60_000.5,
    feeQuote: 6.0005,
    intent: "enter",
    reason: "rsi < 30",
    candleTimeMs: 3_600_000,
    createdMs: 5,
    updatedMs: 6,
    error: null,
  });
  store.fills.insert("btc", {
    clientOrderId: "btc-1",
    tradeId: "t1",
    timeMs: 6,
    side: "buy",
    price: 60_000.5,
    baseAmount: 0.1,
    feeQuote: 6.0005,
  });
  for (let i = 0; i < 3; i++) {
    store.trades.insert("btc", {
      symbol: "BTC/USDT",
      entryTimeMs: i,
      exitTimeMs: i + 1,
      entryPrice: 1,
      exitPrice: 2,
      amount: 0.5,
      pnl: 0.5,
      pnlPct: 100,
      fees: 0.01,
      exitReason: "signal",
      exitClientOrderId: `exit-${i}`,
    });
  }
  store.equity.record("btc", 1, 10_000.333);
  store.decisions.insert({
    instance: "btc",
    candleTimeMs: 1,
    intent: "enter",
    verdict: "accept",
    baseAmount: 0.1,
    reason: "ok",
  });
  store.rateBudget.reserve({
    bucket: "binance",
    cost: 1,
    nowMs: 9,
    refillPerMs: 0.02,
    capacity: 20,
  });
}

function checksums(url: string): Record<string, string> {
  const db = openDatabase(url, { readOnly: true });
  try {
    return Object.fromEntries(
      userTables(db).map((table) => {
        const { rows, checksum } = tableChecksum(db, table);
        return [table, `${rows}:${checksum}`];
      }),
    );
  } finally {
    db.close();
  }
}

function copy(from: string, to: string, replace = false) {
  const source = openDatabase(from, { readOnly: true });
  const target = openDatabase(to);
  try {
    return copyDatabase(source, target, { replace, targetLabel: to });
  } finally {
    target.close();
    source.close();
  }
}

Deno.test("copyDatabase round trip SQLite → PostgreSQL → SQLite keeps every row: identical counts and checksums", async () => {
  const dir = await Deno.makeTempDir({ prefix: "db_copy_" });
  try {
    const first = `sqlite:${dir}/first.db`;
    using schema = freshSchema(SERVER);
    const pg = schema.url;
    const last = `sqlite:${dir}/last.db`;
    const store = openStore(first);
    populate(store);
    store.close();
    const original = checksums(first);
    assert.equal(original.candles.split(":")[0], "3000");
    for (const report of [copy(first, pg), copy(pg, last)]) {
      for (const table of report) {
        assert.equal(table.targetRows, table.sourceRows, table.table);
        assert.equal(table.targetChecksum, table.sourceChecksum, table.table);
      }
    }
    assert.deepEqual(checksums(pg), original);
    assert.deepEqual(checksums(last), original);
    // The copied row ids go on: the next trade on PostgreSQL gets the id after the last.
    const copied = openStore(pg);
    try {
      const id = copied.trades.insert("btc", {
        symbol: "BTC/USDT",
        entryTimeMs: 9,
        exitTimeMs: 10,
        entryPrice: 1,
        exitPrice: 1,
        amount: 1,
        pnl: 0,
        pnlPct: 0,
        fees: 0,
        exitReason: "signal",
        exitClientOrderId: "exit-9",
      });
      assert.equal(id, 4);
      assert.deepEqual(copied.instances.get("btc")?.state, { peak: 1e-9, list: [1, 2] });
    } finally {
      copied.close();
    }
    // A target with rows is refused, nothing written; --replace empties it first.
    const before = checksums(last);
    assert.throws(() => copy(first, last), (error: Error) => {
      assert.ok(error instanceof StorageInputError);
      assert.match(error.message, /already has rows \(.*candles.*\); .*--replace/);
      return true;
    });
    assert.deepEqual(checksums(last), before);
    assert.ok(copy(first, last, true).every((table) => table.targetRows === table.sourceRows));
    assert.deepEqual(checksums(last), original);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
