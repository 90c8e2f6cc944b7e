import assert from "node:assert/strict";
import type { EngineOrder, EngineSnapshot } from "../core/engine_types.ts";
import type { OrderStatus } from "../core/types.ts";
import type { OrderRecord } from "../storage/order_repo.ts";
import { newOrderRecord } from "./order_records.ts";
import { resumeSimulatedExchange } from "./resume_simulated_exchange.ts";
import { SimulatedExchange } from "./simulated_exchange.ts";

function stop(id: string, price: number): EngineOrder {
  return {
    clientOrderId: id,
    symbol: "BTC/USDT",
    side: "sell",
    type: "stop_market",
    baseAmount: 2,
    price,
    purpose: "stop_loss",
    reason: "stop",
    candleTimeMs: 0,
    seq: 1,
    quoteAmount: null,
  };
}

function row(order: EngineOrder, status: OrderStatus): OrderRecord {
  return newOrderRecord(order, { instance: "paper", exchange: "binance", nowMs: 0 }, status);
}

Deno.test("resumeSimulatedExchange holds the booked balances and the orders the exchange accepted", () => {
  const exchange = new SimulatedExchange({
    symbol: "BTC/USDT",
    feeRate: 0.001,
    slippageBps: 0,
    amountStep: 0.001,
    quoteBalance: 1000,
  });
  const accepted = stop("paper-1-s1", 90);
  const unsent = stop("paper-1-s2", 80);
  const tracked = (order: EngineOrder) => ({
    order,
    intent: null,
    filledBaseAmount: 0,
    notionalQuote: 0,
    feeQuote: 0,
  });
  const snapshot = {
    quoteFree: 800,
    baseFree: 2,
    openOrders: [tracked(accepted), tracked(unsent)],
  } as unknown as EngineSnapshot;
  resumeSimulatedExchange(exchange, snapshot, [row(accepted, "open"), row(unsent, "submitting")]);
  assert.deepEqual(exchange.balances(), {
    baseFree: 2,
    baseTotal: 2,
    quoteFree: 800,
    quoteTotal: 800,
  });
  assert.deepEqual(exchange.openOrders().map((order) => order.clientOrderId), ["paper-1-s1"]);
  assert.equal(exchange.order("paper-1-s2"), null, "a submitting row was never acknowledged");
});
