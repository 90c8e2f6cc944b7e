import assert from "node:assert/strict";
import type { Order } from "../core/types.ts";
import { eventWanted, fillEvent, statusChangeEvent } from "./events.ts";

const ORDER: Order = {
  clientOrderId: "x-1",
  exchangeOrderId: "9",
  symbol: "BTC/USDT",
  side: "sell",
  type: "market",
  baseAmount: 0.5,
  price: null,
  status: "filled",
  filledBaseAmount: 0.5,
  averagePrice: 61_000,
  feeQuote: 30.5,
  updatedMs: 5,
};

Deno.test("fillEvent names a stop exit stop_hit with the trade's pnl, keyed by the client id", () => {
  const event = fillEvent({
    instance: "btc",
    order: ORDER,
    timeMs: 7,
    trade: {
      entryTimeMs: 1,
      exitTimeMs: 5,
      entryPrice: 62_000,
      exitPrice: 61_000,
      amount: 0.5,
      pnl: -530.5,
      pnlPct: -1.71,
      fees: 30.5,
      exitReason: "stop_loss",
    },
  });
  assert.equal(event.id, "btc/fill/x-1");
  assert.equal(event.event, "stop_hit");
  assert.equal(
    event.text,
    "btc: sell 0.5 BTC/USDT at 61000, trade closed (stop_loss) pnl -530.5 (-1.71%)",
  );
});

Deno.test("eventWanted follows the notify section: events listed, and |pnl| at least min_pnl_pct", () => {
  assert.equal(eventWanted(null, "order_filled"), true);
  const filter = { events: ["order_filled" as const], channels: null, min_pnl_pct: 2 };
  assert.equal(eventWanted(filter, "paused"), false);
  assert.equal(eventWanted(filter, "order_filled", null), true);
  assert.equal(eventWanted(filter, "order_filled", -1.5), false);
  assert.equal(eventWanted(filter, "order_filled", -2.5), true);
});

Deno.test("statusChangeEvent: running after starting is started, after a pause resumed", () => {
  const at = { reason: null, timeMs: 3 };
  assert.equal(
    statusChangeEvent("a", { ...at, before: "starting", status: "running" })?.event,
    "started",
  );
  assert.equal(
    statusChangeEvent("a", { ...at, before: "paused", status: "running" })?.event,
    "resumed",
  );
  assert.equal(statusChangeEvent("a", { ...at, before: "running", status: "starting" }), null);
});
