import assert from "node:assert/strict";
import { createEngineParts } from "../engine/engine_parts.ts";
import { parseInstanceConfig } from "../config/load_instance_config.ts";
import type { EngineOrder } from "./engine_types.ts";
import type { Strategy } from "./ports.ts";
import type { Candle, Order, OrderIntent } from "./types.ts";

const H = 3_600_000;

function scripted(script: Record<number, OrderIntent[]>): Strategy {
  let index = -1;
  return { name: "scripted", warmupCandles: 0, onCandle: () => script[++index] ?? [] };
}

function candle(i: number, close: number): Candle {
  return { openTimeMs: i * H, open: close, high: close, low: close, close, volume: 1 };
}

function kernel(script: Record<number, OrderIntent[]>) {
  const config = parseInstanceConfig(
    "name: fees\nexchange: binance\nsymbol: BTC/USDT\ntimeframe: 1h\nstrategy:\n  name: scripted\n" +
      "account:\n  balance: 1000\nrisk:\n  stake_amount: 620\n" +
      "execution:\n  fee_pct: 0.1\n  amount_step: 0.00001\n",
    { strategies: null },
  );
  return createEngineParts(config, { strategy: scripted(script) }).kernel;
}

/** The venue's answer: `order` filled at `price`, with the fee given in base or in quote. */
function filled(
  order: EngineOrder,
  fill: { baseAmount: number; price: number; feeQuote: number; feeBaseAmount?: number },
): Order {
  return {
    clientOrderId: order.clientOrderId,
    exchangeOrderId: "1",
    symbol: order.symbol,
    side: order.side,
    type: order.type,
    baseAmount: order.baseAmount,
    price: order.price,
    status: "filled",
    filledBaseAmount: fill.baseAmount,
    averagePrice: fill.price,
    feeQuote: fill.feeQuote,
    feeBaseAmount: fill.feeBaseAmount,
    updatedMs: order.candleTimeMs + H,
  };
}

function submitted(commands: readonly { kind: string; order?: EngineOrder }[]): EngineOrder {
  const submit = commands.find((c) => c.kind === "submit");
  assert.ok(submit?.order);
  return submit.order;
}

Deno.test("engine kernel books a base-currency buyer fee as less base held, sells what is held and reports the dust", () => {
  const k = kernel({ 0: [{ kind: "enter", reason: "t" }], 2: [{ kind: "exit", reason: "t" }] });
  const entry = submitted(k.onCandle(candle(0, 50_000)).commands);
  // 0.01234 BTC bought at 50 000; Binance keeps 0.1 % of it (0.00001234 BTC) as the fee.
  k.applyOrder(
    filled(entry, {
      baseAmount: 0.01234,
      price: 50_000,
      feeQuote: 0.617,
      feeBaseAmount: 0.00001234,
    }),
  );
  assert.equal(k.position?.baseAmount, 0.01234 - 0.00001234);
  assert.equal(k.balances.baseFree, 0.01234 - 0.00001234);
  assert.equal(k.balances.quoteFree, 1000 - 617, "no quote was charged for the fee");
  k.onCandle(candle(1, 50_000));
  const exit = submitted(k.onCandle(candle(2, 51_000)).commands);
  assert.equal(exit.baseAmount, 0.01232, "floored to the step, never more than held");
  const outcome = k.applyOrder(
    filled(exit, { baseAmount: 0.01232, price: 51_000, feeQuote: 0.01232 * 51_000 * 0.001 }),
  );
  assert.ok(outcome.trade !== null, "the dust left does not keep the trade open");
  assert.equal(k.position, null);
  const dust = 0.01234 - 0.00001234 - 0.01232;
  assert.ok(Math.abs(outcome.dustBaseAmount! - dust) < 1e-15);
  assert.ok(Math.abs(k.balances.baseFree - dust) < 1e-15);
  const trade = outcome.trade;
  assert.equal(trade.amount, 0.01234 - 0.00001234);
  assert.ok(Math.abs(trade.fees - (0.617 + 0.01232 * 51_000 * 0.001)) < 1e-9);
  // The P&L is the quote gained: the base fee already shrank what was sold.
  assert.ok(Math.abs(trade.pnl - (k.balances.quoteFree - 1000)) < 1e-9, `${trade.pnl}`);
});

Deno.test("engine kernel with quote fees books the full amount bought (the simulated exchange's model)", () => {
  const k = kernel({ 0: [{ kind: "enter", reason: "t" }], 1: [{ kind: "exit", reason: "t" }] });
  const entry = submitted(k.onCandle(candle(0, 50_000)).commands);
  k.applyOrder(filled(entry, { baseAmount: 0.01234, price: 50_000, feeQuote: 0.617 }));
  assert.equal(k.position?.baseAmount, 0.01234);
  assert.equal(k.balances.quoteFree, 1000 - (617 + 0.617));
  const exit = submitted(k.onCandle(candle(1, 50_000)).commands);
  assert.equal(exit.baseAmount, 0.01234);
  const outcome = k.applyOrder(
    filled(exit, { baseAmount: 0.01234, price: 50_000, feeQuote: 0.617 }),
  );
  assert.equal(outcome.dustBaseAmount, undefined);
  assert.equal(outcome.trade?.pnl, -0.617 * 2);
});
