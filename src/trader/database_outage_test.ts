/**
 * A paper trader whose PostgreSQL server (a private cluster) goes down under a step: the fill the
 * step polls is kept, the exit it makes is not sent (no row), the step fails as
 * `DatabaseUnavailableError`; when the server is back, `databaseBack` stores the fill and the
 * state and shows the story, and the next exit goes out as usual.
 */
import assert from "node:assert/strict";
import { parseInstanceConfig } from "../config/load_instance_config.ts";
import { ManualClock } from "../core/clock.ts";
import { DatabaseUnavailableError } from "../core/errors.ts";
import type { Strategy } from "../core/ports.ts";
import type { OrderIntent } from "../core/types.ts";
import { createEngineParts } from "../engine/engine_parts.ts";
import { openStore } from "../storage/mod.ts";
import { MemoryLogger } from "../../tests/support/trader_fixtures.ts";
import { PRIVATE_POSTGRES_MISSING, PrivatePostgres } from "../../tests/support/private_postgres.ts";
import { registerInstance } from "./instance_row.ts";
import { parseTraderState } from "./trader_state.ts";
import { Trader } from "./trader.ts";

const H = 3_600_000;

function scripted(script: Record<number, OrderIntent[]>): Strategy {
  let index = -1;
  return { name: "scripted", warmupCandles: 0, onCandle: () => script[++index] ?? [] };
}

Deno.test({
  name: "Trader with PostgreSQL gone under a step: the polled fill is kept, the exit is not " +
    "sent, and databaseBack stores the fill and state and shows the story",
  ignore: PRIVATE_POSTGRES_MISSING !== null,
  async fn() {
    await using cluster = await PrivatePostgres.create();
    const store = openStore(`${cluster.url}?schema=trader_outage`);
    try {
      const config = parseInstanceConfig(
        "name: gone\nexchange: binance\nsymbol: BTC/USDT\ntimeframe: 1h\nstrategy:\n  name: scripted\n",
        { strategies: null },
      );
      const exit: OrderIntent = { kind: "exit", reason: "script" };
      const parts = createEngineParts(config, {
        strategy: scripted({ 0: [{ kind: "enter", reason: "script" }], 1: [exit], 2: [exit] }),
      });
      registerInstance(store, config, {
        name: "gone",
        mode: "paper",
        nowMs: 0,
        pid: null,
        keepState: false,
      });
      const logger = new MemoryLogger();
      const trader = new Trader({
        name: "gone",
        mode: "paper",
        exchange: "binance",
        symbol: "BTC/USDT",
        store,
        kernel: parts.kernel,
        venue: parts.venue,
        clock: new ManualClock(0),
        state: null,
        logger,
      });
      trader.start();
      const step = (i: number) =>
        trader.step({ openTimeMs: i * H, open: 100, high: 101, low: 99, close: 100, volume: 1 });
      await step(0);
      const [entry] = store.orders.recent("gone", 10);
      assert.equal(entry.side, "buy");

      await cluster.stop();
      // The entry fills at this candle's open; the exit it then makes cannot be written.
      await assert.rejects(step(1), DatabaseUnavailableError);
      assert.ok(trader.kernel.position !== null, "the exit was not sent, so nothing sold");
      assert.deepEqual(await parts.venue.openOrders("BTC/USDT"), [], "nothing reached the venue");
      // The entry's fill and the exit's rejection wait for the database.
      assert.equal(trader.manager.unrecordedCount, 2);
      assert.ok(logger.lines.some((line) => /Order \{cid\} \{reason\}/.test(line)));

      await cluster.start();
      trader.databaseBack("Database unreachable for a while; back");
      const orders = store.orders.recent("gone", 10);
      assert.deepEqual(orders.map((order) => [order.side, order.status]), [["buy", "filled"]]);
      assert.equal(store.fills.byOrder(entry.clientOrderId).length, 1);
      const row = store.instances.get("gone")!;
      assert.equal(row.lastError, "Database unreachable for a while; back");
      assert.equal(row.status, "running");
      const state = parseTraderState(row.state, "paper")!;
      assert.deepEqual(state.kernel, trader.kernel.snapshot(), "the stored state is the kernel's");

      // Trading goes on: the next exit is written, then sent, and fills at the next open.
      await step(2);
      await step(3);
      const after = store.orders.recent("gone", 10);
      assert.equal(after.length, 2);
      assert.equal(trader.kernel.position, null);
      assert.ok(after.every((order) => order.status === "filled"));
    } finally {
      store.close();
    }
  },
});
