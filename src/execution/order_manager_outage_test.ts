/**
 * The order manager while PostgreSQL is down (a private cluster, stopped and started by the test):
 * an order whose row cannot be written is never sent and comes back rejected; an update that
 * cannot be stored is kept and stored once the server is back.
 */
import assert from "node:assert/strict";
import { ManualClock } from "../core/clock.ts";
import type { EngineOrder } from "../core/engine_types.ts";
import type { Order, OrderRequest } from "../core/types.ts";
import { openStore } from "../storage/mod.ts";
import { PRIVATE_POSTGRES_MISSING, PrivatePostgres } from "../../tests/support/private_postgres.ts";
import { OrderManager } from "./order_manager.ts";
import { SimulatedExchange } from "./simulated_exchange.ts";
import { SimulatedVenue } from "./simulated_venue.ts";

const CANDLE = { openTimeMs: 3_600_000, open: 100, high: 101, low: 99, close: 100, volume: 1 };

function entry(seq: number): EngineOrder {
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

/** The simulated exchange, counting what reaches it. */
class CountingVenue extends SimulatedVenue {
  readonly sent: string[] = [];
  constructor() {
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
    this.sent.push(request.clientOrderId);
    return super.submit(request);
  }
}

Deno.test({
  name: "OrderManager with PostgreSQL down: an order whose row cannot be written is not sent " +
    "and comes back rejected; an update kept meanwhile is stored when the server is back",
  ignore: PRIVATE_POSTGRES_MISSING !== null,
  async fn() {
    await using cluster = await PrivatePostgres.create();
    const store = openStore(`${cluster.url}?schema=orders_outage`);
    try {
      const venue = new CountingVenue();
      const warnings: string[] = [];
      const manager = new OrderManager(store, venue, {
        instance: "inst",
        exchange: "binance",
        clock: new ManualClock(1_000),
        persistState: () => {},
        logger: { info() {}, warn: (message) => warnings.push(message), error() {} },
      });
      await manager.submit(entry(1));
      assert.deepEqual(venue.sent, ["inst-1-e1"]);
      const [filled] = await manager.openBar(CANDLE);
      assert.equal(filled.status, "filled");

      await cluster.stop();
      const refused = await manager.submit(entry(2));
      assert.equal(refused.status, "rejected");
      assert.match(manager.lastError ?? "", /could not be written/);
      assert.deepEqual(venue.sent, ["inst-1-e1"], "nothing is sent without its row");
      assert.equal(manager.needsReconcile, true);
      assert.equal(manager.consecutiveFailures, 0, "a lost database is not an order failure");
      // The kernel applies the rejection, and the first order's fill: neither can be stored
      // now, nothing throws, both are kept.
      manager.record(refused, { commands: [], trade: null });
      manager.record(filled, { commands: [], trade: null });
      assert.equal(manager.unrecordedCount, 2);
      assert.throws(() => manager.storeUnrecorded());
      assert.equal(manager.unrecordedCount, 2, "kept until they are stored");

      await cluster.start();
      manager.storeUnrecorded();
      assert.equal(manager.unrecordedCount, 0);
      assert.equal(store.orders.findByClientId("inst-1-e1")?.status, "filled");
      assert.equal(store.fills.byOrder("inst-1-e1").length, 1);
      assert.equal(store.orders.findByClientId("inst-1-e2"), null, "the refused order has no row");
      // Back to normal: the next order is written, then sent.
      await manager.submit(entry(3));
      assert.deepEqual(venue.sent, ["inst-1-e1", "inst-1-e3"]);
      assert.equal(store.orders.findByClientId("inst-1-e3")?.status, "submitting");
      assert.ok(warnings.some((w) => /not sent|\{reason\}/.test(w)), warnings.join("\n"));
    } finally {
      store.close();
    }
  },
});
