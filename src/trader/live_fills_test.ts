/**
 * A live trader's fills are the exchange's trades, one row per trade with its id, price, amount
 * and fee: for an order that walked several levels of a thin book, and for a stop that filled in
 * part while nothing polled it, whose rest the exchange expired (found by reconciliation).
 */
import assert from "node:assert/strict";
import type { OrderIntent } from "../core/types.ts";
import type { BinanceEmulator } from "../../tests/support/binance_emulator.ts";
import {
  LIVE_TRADER_NAME,
  LIVE_TRADER_START_MS,
  liveTrader,
} from "../../tests/support/live_trader.ts";
import type { Store } from "../storage/store.ts";

const H = 3_600_000;
const ENTER: OrderIntent = { kind: "enter", reason: "script" };
const NAME = LIVE_TRADER_NAME;
const THIN = { levelBaseAmount: 0.001, levels: 2 };

function r8(value: number): number {
  return Number(value.toFixed(8));
}

/** The DB's fills of an order against the exchange's trades of the order with that client id. */
function assertFillsAreTrades(emulator: BinanceEmulator, store: Store, clientOrderId: string) {
  const order = emulator.orders().find((o) => o.clientOrderId === clientOrderId)!;
  const trades = emulator.trades().filter((t) => t.orderId === order.orderId);
  const fills = store.fills.byOrder(clientOrderId);
  assert.deepEqual(
    fills.map((f) => [f.tradeId, f.baseAmount, f.price, f.side]),
    // As the exchange reports them: 8 decimals.
    trades.map((t) => [String(t.id), r8(t.qty), r8(t.price), t.isBuyer ? "buy" : "sell"]),
  );
  const row = store.orders.findByClientId(clientOrderId)!;
  assert.equal(row.filledBaseAmount, order.executedQty);
  assert.equal(row.exchangeOrderId, String(order.orderId));
  return { order, trades, fills, row };
}

Deno.test("live trader stores each trade of an entry that walked a thin book as its own fill", async () => {
  await using t = await liveTrader({ 0: [ENTER] });
  t.emulator.setDepth("BTCUSDT", { levelBaseAmount: 0.001, levels: 5 });
  await t.step(0);
  const entry = t.store.orders.recent(NAME, 10).find((o) => o.intent === "enter")!;
  const { trades, fills } = assertFillsAreTrades(t.emulator, t.store, entry.clientOrderId);
  assert.equal(trades.length, 4, "0.00312 in levels of 0.001");
  const fees = trades.map((trade) => trade.commission);
  assert.deepEqual(fills.map((f) => f.feeBaseAmount), fees.map(r8));
  assert.equal(entry.status, "filled");
  assert.equal(await t.reconcile(), 0);
  assert.deepEqual(t.trader.tradingState, { kind: "active", reason: null });
});

Deno.test("live trader reconciles a stop that filled in part while unwatched and protects the rest", async () => {
  await using t = await liveTrader({ 0: [ENTER] });
  await t.step(0);
  const stopId = t.trader.kernel.snapshot().stopOrderId!;
  t.emulator.setDepth("BTCUSDT", THIN);
  t.emulator.patchCandle("BTCUSDT", "1h", LIVE_TRADER_START_MS + 2 * H, { low: 1000 });
  t.emulator.setTime(LIVE_TRADER_START_MS + 3 * H + 60_000);
  assert.equal(await t.reconcile(), 0);
  const { order, row } = assertFillsAreTrades(t.emulator, t.store, stopId);
  assert.deepEqual([order.status, order.executedQty], ["EXPIRED", 0.002]);
  assert.equal(row.status, "canceled");
  const balances = t.emulator.balances();
  const btc = balances.BTC.free + balances.BTC.locked;
  const position = t.trader.kernel.position!;
  assert.ok(Math.abs(position.baseAmount - btc) < 1e-12, `${position.baseAmount} vs ${btc}`);
  assert.ok(Math.abs(t.trader.kernel.balances.quoteFree - balances.USDT.free) < 1e-6);
  const [again] = t.emulator.orders().filter((o) => o.type === "STOP_LOSS" && o.status === "NEW");
  assert.equal(again.origQty, Math.floor(btc / t.amountStep) * t.amountStep);
  assert.equal(t.store.orders.findByClientId(again.clientOrderId)?.status, "open");
  assert.deepEqual(t.store.trades.recent(NAME), [], "the position is still open");
  assert.deepEqual(t.trader.tradingState, { kind: "active", reason: null });
});
