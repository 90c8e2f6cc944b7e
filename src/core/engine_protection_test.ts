/**
 * The kernel's protective orders when the venue ends one on its own (Binance expires it, or a
 * person cancels it on the exchange): the position is protected again at once; a protective order
 * the kernel replaced itself is not.
 */
import assert from "node:assert/strict";
import { parseInstanceConfig } from "../config/load_instance_config.ts";
import { createEngineParts } from "../engine/engine_parts.ts";
import type { EngineCommand, EngineOrder } from "./engine_types.ts";
import type { Strategy } from "./ports.ts";
import type { Candle, Order, OrderIntent } from "./types.ts";

const H = 3_600_000;

/** A kernel that entered at 100 (9.98 base) and holds a stop at 98 and a take-profit at 104. */
function protectedPosition(script: Record<number, OrderIntent[]> = {}) {
  let index = -1;
  const strategy: Strategy = {
    name: "scripted",
    warmupCandles: 0,
    onCandle: () => (++index === 0 ? [{ kind: "enter", reason: "script" }] : script[index] ?? []),
  };
  const config = parseInstanceConfig(
    "name: test\nexchange: binance\nsymbol: BTC/USDT\ntimeframe: 1h\nstrategy:\n  name: scripted\n" +
      "account:\n  balance: 1000\nrisk:\n  stake_pct: 100\n  stop_loss_pct: 2\n" +
      "  take_profit_pct: 4\nexecution:\n  fee_pct: 0\n  slippage_bps: 0\n  amount_step: 0.001\n",
    { strategies: null },
  );
  const { kernel } = createEngineParts(config, { strategy });
  const [enter] = submits(kernel.onCandle(candle(0)).commands);
  const protection = submits(kernel.applyOrder(update(enter, "filled", 9.98)).commands);
  for (const order of protection) kernel.applyOrder(update(order, "open", 0));
  const stop = protection.find((o) => o.purpose === "stop_loss")!;
  const takeProfit = protection.find((o) => o.purpose === "take_profit")!;
  return { kernel, stop, takeProfit };
}

function candle(i: number): Candle {
  return { openTimeMs: i * H, open: 100, high: 100, low: 100, close: 100, volume: 1 };
}

function submits(commands: readonly EngineCommand[]): EngineOrder[] {
  return commands.flatMap((c) => c.kind === "submit" ? [c.order] : []);
}

function update(order: EngineOrder, status: Order["status"], filledBaseAmount: number): Order {
  return {
    clientOrderId: order.clientOrderId,
    exchangeOrderId: `x-${order.clientOrderId}`,
    symbol: order.symbol,
    side: order.side,
    type: order.type,
    baseAmount: order.baseAmount,
    price: order.price,
    status,
    filledBaseAmount,
    averagePrice: filledBaseAmount > 0 ? (order.price ?? 100) : null,
    feeQuote: 0,
    updatedMs: H,
  };
}

Deno.test("engine places a stop again at once when the venue expired or cancelled it on its own", () => {
  const { kernel, stop, takeProfit } = protectedPosition();
  assert.deepEqual([stop.price, stop.baseAmount, takeProfit.price], [98, 9.98, 104]);
  const outcome = kernel.applyOrder(update(stop, "canceled", 0));
  assert.equal(outcome.trade, null);
  assert.deepEqual(outcome.commands.filter((c) => c.kind === "cancel"), []);
  const placed = submits(outcome.commands);
  assert.equal(placed.length, 1, "the stop the venue ended is placed again");
  const [again] = placed;
  assert.deepEqual(
    [again.purpose, again.type, again.side, again.price, again.baseAmount],
    ["stop_loss", "stop_market", "sell", 98, 9.98],
  );
  assert.notEqual(again.clientOrderId, stop.clientOrderId);
  assert.match(again.reason, /venue ended the last one/);
  assert.deepEqual(kernel.snapshot().stopOrderId, again.clientOrderId);
  assert.deepEqual(kernel.openOrderIds, [takeProfit.clientOrderId, again.clientOrderId]);
  // The take-profit the venue ended is placed again too; the stop is left alone.
  const [tp] = submits(kernel.applyOrder(update(takeProfit, "canceled", 0)).commands);
  assert.deepEqual([tp.purpose, tp.price, tp.baseAmount], ["take_profit", 104, 9.98]);
});

Deno.test("engine protects what is left after a stop filled in part and the venue expired the rest", () => {
  const { kernel, stop, takeProfit } = protectedPosition();
  const outcome = kernel.applyOrder(update(stop, "canceled", 4));
  assert.equal(outcome.trade, null);
  assert.equal(kernel.position?.baseAmount, 5.98);
  assert.deepEqual(
    outcome.commands.map((c) => c.kind === "submit" ? c.order.purpose : c.clientOrderId),
    [takeProfit.clientOrderId, "stop_loss", "take_profit"],
  );
  assert.deepEqual(submits(outcome.commands).map((o) => o.baseAmount), [5.98, 5.98]);
});

Deno.test("engine does not place again a protective order it replaced or cancelled itself", () => {
  const { kernel, stop, takeProfit } = protectedPosition({
    1: [{ kind: "adjust_stops", reason: "script", stopLossPrice: 95 }],
    2: [{ kind: "exit", reason: "script" }],
  });
  const step = kernel.onCandle(candle(1));
  const cancels = step.commands.flatMap((c) => c.kind === "cancel" ? [c.clientOrderId] : []);
  assert.deepEqual(cancels, [stop.clientOrderId, takeProfit.clientOrderId]);
  const replaced = submits(step.commands);
  assert.deepEqual(kernel.applyOrder(update(stop, "canceled", 0)).commands, []);
  assert.deepEqual(kernel.applyOrder(update(takeProfit, "canceled", 0)).commands, []);
  for (const order of replaced) kernel.applyOrder(update(order, "open", 0));
  const exit = kernel.onCandle(candle(2));
  for (const order of replaced) {
    assert.deepEqual(kernel.applyOrder(update(order, "canceled", 0)).commands, []);
  }
  assert.deepEqual(submits(exit.commands).map((o) => o.purpose), ["exit"]);
});
