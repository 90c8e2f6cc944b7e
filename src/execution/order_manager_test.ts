/** OrderManager and reconciliation over a real SQLite file and the simulated venue. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { ManualClock } from "../core/clock.ts";
import type { EngineOrder } from "../core/engine_types.ts";
import { TransientExchangeError } from "../core/errors.ts";
import type { Order, OrderRequest } from "../core/types.ts";
import { tempStore } from "../../tests/support/temp_store.ts";
import { OrderManager } from "./order_manager.ts";
import { balanceMismatch, reconcileOrders } from "./reconcile.ts";
import { SimulatedExchange } from "./simulated_exchange.ts";
import { SimulatedVenue } from "./simulated_venue.ts";

const CANDLE = { openTimeMs: 3_600_000, open: 100, high: 101, low: 99, close: 100, volume: 1 };

function entry(seq = 1): EngineOrder {
  return {
    clientOrderId: `inst-1-e${seq}`,
    symbol: "BTC/USDT",
    side: "buy",
    type: "market",
    baseAmount: 1,
    price: null,
    purpose: "enter",
    reason: "test",
    candleTimeMs: 0,
    seq,
    quoteAmount: 500,
  };
}

/** A simulated venue that records what the DB said when each order arrived. */
class WatchedVenue extends SimulatedVenue {
  readonly seen: { id: string; rowStatus: string | undefined }[] = [];
  failNext = false;
  constructor(readonly rowStatus: (id: string) => string | undefined) {
    super(
      new SimulatedExchange({
        symbol: "BTC/USDT",
        feeRate: 0.001,
        slippageBps: 0,
        amountStep: 0.001,
        quoteBalance: 1000,
      }),
    );
  }
  override submit(request: OrderRequest): Promise<Order> {
    this.seen.push({ id: request.clientOrderId, rowStatus: this.rowStatus(request.clientOrderId) });
    if (this.failNext) {
      this.failNext = false;
      return Promise.reject(new TransientExchangeError("Cannot submit order: timed out"));
    }
    return super.submit(request);
  }
}

async function setup() {
  const db = await tempStore();
  const venue = new WatchedVenue((id) => db.store.orders.findByClientId(id)?.status);
  const clock = new ManualClock(1_000);
  let persisted = 0;
  const manager = new OrderManager(db.store, venue, {
    instance: "inst",
    exchange: "binance",
    clock,
    persistState: () => persisted++,
  });
  return { db, venue, clock, manager, persisted: () => persisted };
}

Deno.test("OrderManager writes the order as submitting before the venue sees it, and sends it once", async () => {
  const { db, venue, manager, persisted } = await setup();
  try {
    const first = await manager.submit(entry());
    assert.deepEqual(venue.seen, [{ id: "inst-1-e1", rowStatus: "submitting" }]);
    assert.equal(persisted(), 1);
    const again = await manager.submit(entry());
    assert.equal(venue.seen.length, 1, "a known client id is looked up, never sent again");
    assert.equal(again.status, first.status);
    const [filled] = await manager.openBar(CANDLE);
    manager.record(filled, { commands: [], trade: null });
    const row = db.store.orders.findByClientId("inst-1-e1")!;
    assert.equal(row.status, "filled");
    assert.equal(row.filledBaseAmount, 4.995); // floor(500 / (100 × 1.001), 0.001)
    const fills = db.store.fills.byOrder("inst-1-e1");
    assert.equal(fills.length, 1);
    assert.equal(fills[0].price, 100);
    assert.equal(fills[0].feeQuote, 4.995 * 100 * 0.001);
    manager.record(filled, { commands: [], trade: null });
    assert.equal(db.store.fills.byOrder("inst-1-e1").length, 1, "recording twice adds no fill");
  } finally {
    await db.dispose();
  }
});

Deno.test("OrderManager records base-asset fees on the order row and each fill's share of them", async () => {
  const { db, manager } = await setup();
  try {
    const sent = await manager.submit(entry(3));
    const partial = {
      ...sent,
      status: "partially_filled" as const,
      filledBaseAmount: 2,
      averagePrice: 100,
      feeQuote: 0.2,
      feeBaseAmount: 0.002,
    };
    manager.record(partial, { commands: [], trade: null });
    const full = {
      ...partial,
      status: "filled" as const,
      filledBaseAmount: 5,
      feeQuote: 0.5,
      feeBaseAmount: 0.005,
    };
    manager.record(full, { commands: [], trade: null });
    assert.equal(db.store.orders.findByClientId("inst-1-e3")!.feeBaseAmount, 0.005);
    const fills = db.store.fills.byOrder("inst-1-e3");
    assert.deepEqual(fills.map((f) => [f.baseAmount, f.feeBaseAmount]), [[2, 0.002], [3, 0.003]]);
    // An update that says nothing about base fees keeps what the row has.
    manager.record({ ...full, feeBaseAmount: undefined }, { commands: [], trade: null });
    assert.equal(db.store.orders.findByClientId("inst-1-e3")!.feeBaseAmount, 0.005);
  } finally {
    await db.dispose();
  }
});

Deno.test("OrderManager keeps an unconfirmed send as submitting; reconciliation fails it after its window", async () => {
  const { db, venue, clock, manager } = await setup();
  try {
    venue.failNext = true;
    const order = await manager.submit(entry(2));
    assert.equal(order.status, "submitting");
    assert.equal(manager.needsReconcile, true);
    assert.equal(manager.consecutiveFailures, 1);
    const rows = db.store.orders.nonTerminal("inst");
    const early = await reconcileOrders(rows, venue, { nowMs: clock.nowMs(), windowMs: 10_000 });
    assert.deepEqual(early.updates, []);
    assert.equal(early.pending.length, 1);
    const late = await reconcileOrders(rows, venue, {
      nowMs: clock.nowMs() + 10_000,
      windowMs: 10_000,
    });
    assert.equal(late.updates.length, 1);
    assert.equal(late.updates[0].status, "failed");
    assert.equal(venue.seen.length, 1, "reconciliation never resends");
  } finally {
    await db.dispose();
  }
});

Deno.test("OrderManager refuses blocked entries without sending them", async () => {
  const db = await tempStore();
  try {
    const venue = new WatchedVenue(() => undefined);
    const manager = new OrderManager(db.store, venue, {
      instance: "inst",
      exchange: "binance",
      clock: new ManualClock(0),
      persistState: () => {},
      entryBlock: () => "entries paused: position mismatch",
      validClientId: (id) => id.length <= 36,
    });
    const order = await manager.submit(entry(3));
    assert.equal(order.status, "rejected");
    assert.equal(venue.seen.length, 0);
    assert.equal(
      db.store.orders.findByClientId("inst-1-e3")!.error,
      "entries paused: position mismatch",
    );
  } finally {
    await db.dispose();
  }
});

Deno.test("balanceMismatch flags base differences above dust and quote shortfalls only", () => {
  const tolerance = { baseDust: 1e-5, quoteDust: 0.05 };
  fc.assert(fc.property(
    fc.double({ min: 0, max: 10, noNaN: true }),
    fc.double({ min: -1e-3, max: 1e-3, noNaN: true }),
    fc.double({ min: 0, max: 1e5, noNaN: true }),
    fc.double({ min: -10, max: 10, noNaN: true }),
    (base, baseDiff, quote, quoteDiff) => {
      const booked = { baseFree: base, baseTotal: base, quoteFree: quote, quoteTotal: quote };
      const venue = {
        baseFree: base + baseDiff,
        baseTotal: base + baseDiff,
        quoteFree: quote + quoteDiff,
        quoteTotal: quote + quoteDiff,
      };
      const result = balanceMismatch(booked, venue, tolerance);
      const baseBad = Math.abs(venue.baseTotal - booked.baseFree) > tolerance.baseDust;
      const quoteBad = booked.quoteFree - venue.quoteTotal > tolerance.quoteDust;
      assert.equal(result !== null, baseBad || quoteBad);
      if (baseBad) assert.match(result!, /^position mismatch/);
    },
  ));
});
