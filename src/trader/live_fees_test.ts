/**
 * A live trader in-process against the emulator with its default commission (Binance's buyer fee
 * taken from the base received): the kernel books the net base, exits sell what is held, and
 * reconciliation agrees. Also: a protective order the exchange refuses is re-issued on the next
 * candle, and when it keeps failing the instance halts new entries with the reason shown; a stop
 * on the exchange cancelled for a take-profit's sell is not placed again.
 */
import assert from "node:assert/strict";
import type { OrderIntent } from "../core/types.ts";
import type { BinanceEmulator } from "../../tests/support/binance_emulator.ts";
import { liveTrader } from "../../tests/support/live_trader.ts";

const ENTER: OrderIntent = { kind: "enter", reason: "script" };
const EXIT: OrderIntent = { kind: "exit", reason: "script" };

Deno.test("live trader with base-currency buyer fees books the net base, exits what it holds and reconciles", async () => {
  await using t = await liveTrader({ 0: [ENTER], 2: [EXIT] });
  await t.step(0);
  const account = () => t.emulator.balances();
  const afterEntry = await account();
  const btc = afterEntry.BTC.free + afterEntry.BTC.locked;
  const position = t.trader.kernel.position!;
  assert.ok(position.baseAmount > 0);
  // The buyer's fee came out of the base: the books hold what the exchange holds, not the order.
  assert.ok(Math.abs(position.baseAmount - btc) < 1e-12, `${position.baseAmount} vs ${btc}`);
  const entry = t.store.orders.recent("fees", 10).find((o) => o.intent === "enter")!;
  assert.ok(entry.filledBaseAmount > btc);
  // The DB keeps the base fee too: on the order and summed over its fills.
  assert.ok(Math.abs(entry.feeBaseAmount! - (entry.filledBaseAmount - btc)) < 1e-12);
  const entryFills = t.store.fills.byOrder(entry.clientOrderId);
  const fillFees = entryFills.reduce((sum, f) => sum + f.feeBaseAmount!, 0);
  assert.ok(Math.abs(fillFees - entry.feeBaseAmount!) < 1e-12, `${fillFees}`);
  assert.equal(await t.reconcile(), 0);
  assert.deepEqual(t.trader.tradingState, { kind: "active", reason: null });
  await t.step(1);
  await t.step(2);
  assert.equal(t.trader.kernel.position, null);
  const rows = t.store.orders.recent("fees", 100);
  assert.deepEqual(rows.filter((o) => o.status === "rejected" || o.status === "failed"), []);
  const exit = rows.find((o) => o.intent === "exit")!;
  assert.equal(exit.status, "filled");
  const step = t.amountStep;
  assert.ok(exit.filledBaseAmount <= btc && btc - exit.filledBaseAmount < step);
  const [trade] = t.store.trades.recent("fees", 10);
  assert.equal(trade.amount, btc);
  assert.equal(trade.exitReason, "signal");
  const after = await account();
  const dust = after.BTC.free + after.BTC.locked;
  assert.ok(Math.abs(t.trader.kernel.balances.baseFree - dust) < 1e-12);
  assert.ok(Math.abs(t.trader.kernel.balances.quoteFree - after.USDT.free) < 1e-6);
  assert.equal(await t.reconcile(), 0);
  assert.deepEqual(t.trader.tradingState, { kind: "active", reason: null });
  assert.equal(t.trader.kernel.trades.length, 1);
  assert.ok(dust > 0 && dust < step, `dust ${dust}`);
  assert.ok(t.logger.lines.some((l) => l.includes("dust")));
});

const LOWER_STOP: OrderIntent = { kind: "adjust_stops", reason: "script", stopLossPrice: 30_000 };

function stopsAtExchange(emulator: BinanceEmulator) {
  return emulator.orders().filter((o) => o.type === "STOP_LOSS" && o.status === "NEW");
}

Deno.test("live trader re-issues a protective stop the exchange rejected on the next candle", async () => {
  await using t = await liveTrader({ 0: [ENTER], 1: [LOWER_STOP] });
  await t.step(0);
  assert.equal(stopsAtExchange(t.emulator).length, 1);
  t.emulator.addFault({ kind: "insufficient_balance", method: "POST", path: "/api/v3/order" });
  await t.step(1);
  assert.equal(stopsAtExchange(t.emulator).length, 0, "the replacement stop was refused");
  assert.equal(t.trader.kernel.protectionFailures, 1);
  await t.step(2);
  const [stop] = stopsAtExchange(t.emulator);
  assert.equal(stop.stopPrice, 30_000);
  assert.equal(t.trader.kernel.protectionFailures, 0);
  assert.equal(t.trader.tradingState.kind, "active");
  assert.ok(t.logger.lines.some((l) => l.startsWith("warn Protective order re-issued")));
});

Deno.test("live trader halts entries and shows the error when a protective stop keeps failing", async () => {
  await using t = await liveTrader({ 0: [ENTER], 1: [LOWER_STOP], 7: [EXIT], 9: [ENTER] });
  await t.step(0);
  t.emulator.addFault({
    kind: "insufficient_balance",
    method: "POST",
    path: "/api/v3/order",
    times: -1,
  });
  for (let i = 1; i <= 5; i++) await t.step(i);
  // The adjust and three re-issues were refused; the fifth candle gives up.
  const refused = t.store.orders.recent("fees", 100).filter((o) => o.status === "rejected");
  assert.equal(refused.length, 4);
  assert.equal(t.logger.lines.filter((l) => l.startsWith("warn Protective order")).length, 3);
  assert.equal(t.trader.tradingState.kind, "reducing");
  assert.match(t.trader.tradingState.reason ?? "", /protective order failed 4 times/);
  t.trader.heartbeat();
  assert.match(t.store.instances.get("fees")?.lastError ?? "", /position unprotected/);
  assert.equal(t.store.instances.get("fees")?.status, "halted");
  t.emulator.clearFaults();
  for (let i = 6; i <= 10; i++) await t.step(i);
  assert.equal(t.trader.kernel.position, null, "exits still go out");
  const entries = t.store.orders.recent("fees", 100).filter((o) => o.intent === "enter");
  assert.equal(entries.length, 2);
  assert.match(entries[0].error ?? "", /entries halted/);
  assert.equal(t.emulator.orders().filter((o) => o.side === "BUY").length, 1);
});

Deno.test("live trader with a local stop sells at market on a ticker price between closes, once", async () => {
  await using t = await liveTrader({ 0: [ENTER] }, { stopOnExchange: false });
  await t.step(0);
  const kernel = t.trader.kernel.snapshot();
  assert.ok(kernel.position !== null && kernel.stopOrderId !== null);
  assert.equal(t.emulator.orders().filter((o) => o.side === "SELL").length, 0, "stop held locally");
  const stop = kernel.stopPrice!;
  const timeMs = t.emulator.clock.nowMs();
  assert.equal(await t.trader.checkPrice(stop * 1.01, timeMs), 0, "above the stop: nothing");
  assert.ok(await t.trader.checkPrice(stop * 0.99, timeMs) > 0);
  const sells = t.emulator.orders().filter((o) => o.side === "SELL");
  assert.deepEqual(sells.map((o) => [o.clientOrderId, o.type, o.status]), [
    [kernel.stopOrderId, "MARKET", "FILLED"],
  ]);
  assert.equal(t.trader.kernel.position, null);
  assert.equal(t.trader.kernel.openOrderIds.length, 0);
  const rows = t.store.orders.recent("fees", 100);
  assert.equal(rows.find((o) => o.clientOrderId === kernel.stopOrderId)?.status, "filled");
  assert.equal(rows.find((o) => o.clientOrderId === kernel.takeProfitOrderId)?.status, "canceled");
  const [trade] = t.store.trades.recent("fees");
  assert.equal(trade.exitReason, "stop_loss");
  // Another crossing tick, and the next close, send nothing more.
  assert.equal(await t.trader.checkPrice(stop * 0.9, timeMs), 0);
  await t.step(1);
  assert.equal(t.emulator.orders().filter((o) => o.side === "SELL").length, 1);
  assert.equal(await t.reconcile(), 0);
  assert.deepEqual(t.trader.tradingState, { kind: "active", reason: null });
});

Deno.test("live trader with the stop on the exchange cancels it for a take-profit and does not place it again", async () => {
  await using t = await liveTrader({ 0: [ENTER] });
  await t.step(0);
  const kernel = t.trader.kernel.snapshot();
  assert.equal(stopsAtExchange(t.emulator).length, 1);
  const takeProfit = kernel.position!.takeProfitPrice!;
  const timeMs = t.emulator.clock.nowMs();
  assert.ok(await t.trader.checkPrice(takeProfit * 1.01, timeMs) > 0);
  assert.equal(t.trader.kernel.position, null);
  assert.deepEqual(t.trader.kernel.openOrderIds, []);
  const orders = t.emulator.orders();
  assert.deepEqual(orders.map((o) => [o.clientOrderId, o.type, o.status]), [
    [orders[0].clientOrderId, "MARKET", "FILLED"],
    [kernel.stopOrderId, "STOP_LOSS", "CANCELED"],
    [kernel.takeProfitOrderId, "MARKET", "FILLED"],
  ]);
  const rows = t.store.orders.recent("fees", 100);
  assert.deepEqual(rows.filter((o) => o.status === "rejected" || o.status === "failed"), []);
  assert.equal(rows.length, 3);
  assert.equal(t.store.trades.recent("fees")[0].exitReason, "take_profit");
});
