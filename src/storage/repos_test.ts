import assert from "node:assert/strict";
import type { MarketRef } from "../core/types.ts";
import { type InstanceRecord, openStore, type OrderPatch, type OrderRecord } from "./mod.ts";
import { testDatabaseUrl } from "../../tests/support/test_database.ts";

const MARKET: MarketRef = { exchange: "binance", symbol: "BTC/USDT", timeframe: "1h" };

const INSTANCE: InstanceRecord = {
  name: "btc-1h",
  exchange: "binance",
  symbol: "BTC/USDT",
  timeframe: "1h",
  strategy: "rsi",
  mode: "paper",
  status: "starting",
  statusReason: null,
  pid: 42,
  startedMs: 1000,
  heartbeatMs: 1000,
  equityQuote: 10_000,
  quoteBalance: 10_000,
  positionBase: 0,
  entryPrice: null,
  lastPrice: null,
  realizedPnlQuote: 0,
  lastSignal: null,
  lastSignalMs: null,
  openOrders: 0,
  lastError: null,
  state: { position: null, peak: 10_000 },
  config: { name: "btc-1h" },
};

const ORDER: OrderRecord = {
  clientOrderId: "btc-1h-1",
  instance: "btc-1h",
  exchange: "binance",
  exchangeOrderId: null,
  symbol: "BTC/USDT",
  side: "buy",
  type: "market",
  baseAmount: 0.1,
  price: null,
  status: "submitting",
  filledBaseAmount: 0,
  averagePrice: null,
  feeQuote: 0,
  intent: "enter",
  reason: "rsi < 30",
  candleTimeMs: 3_600_000,
  createdMs: 5000,
  updatedMs: 5000,
  error: null,
};

Deno.test("InstanceRepo upserts, heartbeats and lists with JSON state", () => {
  const store = openStore(testDatabaseUrl("sqlite::memory:"));
  store.instances.upsert(INSTANCE);
  assert.equal(
    store.instances.heartbeat("btc-1h", 2000, { status: "running", lastPrice: 60_000 }),
    true,
  );
  assert.equal(store.instances.setStatus("btc-1h", "halted", "max drawdown"), true);
  assert.equal(store.instances.heartbeat("nobody", 2000), false);
  const stored = store.instances.get("btc-1h")!;
  assert.deepEqual(stored, {
    ...INSTANCE,
    status: "halted",
    statusReason: "max drawdown",
    heartbeatMs: 2000,
    lastPrice: 60_000,
  });
  assert.deepEqual(store.instances.list().map((i) => i.name), ["btc-1h"]);
  store.close();
});

Deno.test("OrderRepo stores submitting orders, updates them and lists non-terminal ones", () => {
  const store = openStore(testDatabaseUrl("sqlite::memory:"));
  store.orders.insert(ORDER);
  assert.throws(() => store.orders.insert(ORDER), /UNIQUE/);
  store.orders.insert({ ...ORDER, clientOrderId: "btc-1h-2", createdMs: 6000 });
  const filled: OrderPatch = {
    status: "filled",
    exchangeOrderId: "X1",
    filledBaseAmount: 0.1,
    averagePrice: 60_000,
    feeQuote: 6,
    feeBaseAmount: 0.0001,
    updatedMs: 7000,
  };
  assert.equal(store.orders.update("btc-1h-1", filled), true);
  assert.deepEqual(store.orders.findByClientId("btc-1h-1"), { ...ORDER, ...filled });
  assert.equal(store.orders.findByClientId("btc-1h-2")!.feeBaseAmount, 0);
  assert.deepEqual(store.orders.nonTerminal("btc-1h").map((o) => o.clientOrderId), ["btc-1h-2"]);
  assert.equal(store.orders.findByClientId("nope"), null);
  assert.deepEqual(store.orders.recent("btc-1h").map((o) => o.clientOrderId), [
    "btc-1h-2",
    "btc-1h-1",
  ]);
  store.close();
});

Deno.test("OrderRepo lists failed orders the venue never confirmed, since a time", () => {
  const store = openStore(testDatabaseUrl("sqlite::memory:"));
  const failed = { status: "failed", updatedMs: 9000 } as const;
  store.orders.insert({ ...ORDER, clientOrderId: "old", createdMs: 1000 });
  store.orders.insert({ ...ORDER, clientOrderId: "unconfirmed", createdMs: 6000 });
  store.orders.insert({ ...ORDER, clientOrderId: "confirmed", createdMs: 6000 });
  store.orders.insert({ ...ORDER, clientOrderId: "rejected", createdMs: 6000 });
  store.orders.insert({ ...ORDER, clientOrderId: "other", instance: "eth-1h", createdMs: 6000 });
  for (const id of ["old", "unconfirmed", "other"]) store.orders.update(id, failed);
  store.orders.update("confirmed", { ...failed, exchangeOrderId: "X2" });
  store.orders.update("rejected", { status: "rejected", updatedMs: 9000 });
  assert.deepEqual(
    store.orders.unconfirmedFailed("btc-1h", 5000).map((o) => o.clientOrderId),
    ["unconfirmed"],
  );
  store.close();
});

Deno.test("FillRepo stores each fill once and needs its order", () => {
  const store = openStore(testDatabaseUrl("sqlite::memory:"));
  store.orders.insert(ORDER);
  const fill = {
    clientOrderId: "btc-1h-1",
    tradeId: "t1",
    timeMs: 7000,
    side: "buy" as const,
    price: 60_000,
    baseAmount: 0.1,
    feeQuote: 6,
  };
  assert.equal(store.fills.insert("btc-1h", fill), true);
  assert.equal(store.fills.insert("btc-1h", fill), false);
  assert.throws(
    () => store.fills.insert("btc-1h", { ...fill, clientOrderId: "ghost" }),
    /FOREIGN KEY/,
  );
  assert.deepEqual(store.fills.byOrder("btc-1h-1"), [
    { ...fill, feeBaseAmount: 0, instance: "btc-1h" },
  ]);
  store.fills.insert("btc-1h", { ...fill, tradeId: "t2", feeBaseAmount: 0.0001 });
  assert.equal(store.fills.byOrder("btc-1h-1")[1].feeBaseAmount, 0.0001);
  assert.equal(store.fills.byInstance("btc-1h", 8000).length, 0);
  store.close();
});

Deno.test("TradeRepo, EquityRepo, DecisionRepo and BacktestRunRepo round-trip", () => {
  const store = openStore(testDatabaseUrl("sqlite::memory:"));
  const trade = {
    symbol: "BTC/USDT",
    entryTimeMs: 1,
    exitTimeMs: 2,
    entryPrice: 100,
    exitPrice: 110,
    amount: 1,
    pnl: 9.79,
    pnlPct: 9.79,
    fees: 0.21,
    exitReason: "take_profit" as const,
    exitClientOrderId: "x-1",
  };
  const id = store.trades.insert("btc-1h", trade);
  assert.equal(typeof id, "number");
  assert.equal(store.trades.insert("btc-1h", trade), null);
  assert.deepEqual(store.trades.recent("btc-1h"), [{ ...trade, id, instance: "btc-1h" }]);
  store.equity.record("btc-1h", 1000, 10_000);
  store.equity.record("btc-1h", 2000, 10_010);
  store.equity.record("btc-1h", 2000, 10_020);
  assert.deepEqual(store.equity.range("btc-1h"), [[1000, 10_000], [2000, 10_020]]);
  assert.deepEqual(store.equity.range("btc-1h", 1500), [[2000, 10_020]]);
  const decision = {
    instance: "btc-1h",
    candleTimeMs: 3,
    intent: "enter",
    verdict: "reject",
    baseAmount: null,
    reason: "daily loss limit",
  };
  store.decisions.insert(decision);
  assert.deepEqual(store.decisions.recent("btc-1h"), [decision]);
  const run = {
    createdMs: 5,
    name: "btc-1h",
    exchange: "binance",
    symbol: "BTC/USDT",
    timeframe: "1h",
    strategy: "rsi",
    fromMs: 0,
    toMs: 10,
    candles: 11,
    returnPct: 1.5,
    trades: 2,
    config: { a: 1 },
    metrics: { sharpe: null },
  };
  const runId = store.backtestRuns.insert(run);
  assert.deepEqual(store.backtestRuns.get(runId), { ...run, id: runId });
  assert.equal(store.backtestRuns.recent(1).length, 1);
  store.close();
});

Deno.test("GapRepo records, replaces and removes gaps; MarketRepo caches markets", () => {
  const store = openStore(testDatabaseUrl("sqlite::memory:"));
  const gap = { fromMs: 10, toMs: 20, missing: 11, confirmedMs: null };
  store.gaps.record(MARKET, [gap]);
  store.gaps.record(MARKET, [{ ...gap, confirmedMs: 99 }]);
  assert.deepEqual(store.gaps.list(MARKET), [{ ...gap, confirmedMs: 99 }]);
  store.gaps.replace(MARKET, [{ fromMs: 30, toMs: 30, missing: 1, confirmedMs: null }]);
  assert.deepEqual(store.gaps.list(MARKET).map((g) => g.fromMs), [30]);
  store.gaps.remove(MARKET, 30);
  assert.deepEqual(store.gaps.list(MARKET), []);
  const market = {
    exchange: "binance",
    symbol: "BTC/USDT",
    base: "BTC",
    quote: "USDT",
    active: true,
    amountStep: 0.00001,
    priceStep: 0.01,
    minAmount: 0.00001,
    minNotional: 5,
    makerFee: 0.001,
    takerFee: 0.001,
    timeframes: ["1m", "1h"],
    raw: { id: "BTCUSDT" },
    fetchedMs: 123,
  };
  store.markets.upsert([market]);
  assert.deepEqual(store.markets.get("binance", "BTC/USDT"), market);
  assert.deepEqual(store.markets.list("binance"), [market]);
  assert.equal(store.markets.get("binance", "ETH/USDT"), null);
  store.close();
});

Deno.test("Store transaction joins repo writes into one all-or-nothing unit", () => {
  const store = openStore(testDatabaseUrl("sqlite::memory:"));
  assert.throws(() =>
    store.transaction(() => {
      store.equity.record("a", 1, 1);
      store.orders.insert(ORDER);
      throw new Error("crash between writes");
    }), /crash/);
  assert.deepEqual(store.equity.range("a"), []);
  assert.equal(store.orders.findByClientId(ORDER.clientOrderId), null);
  store.close();
});
