import assert from "node:assert/strict";
import { parseInstanceConfig } from "../config/load_instance_config.ts";
import { ManualClock } from "../core/clock.ts";
import type { Strategy } from "../core/ports.ts";
import type { OrderIntent } from "../core/types.ts";
import { createEngineParts } from "../engine/engine_parts.ts";
import { MemoryLogger } from "../../tests/support/trader_fixtures.ts";
import { tempStore } from "../../tests/support/temp_store.ts";
import { registerInstance } from "./instance_row.ts";
import { Trader } from "./trader.ts";

const H = 3_600_000;
const MISMATCH = "position mismatch: exchange holds 1 base, the books 0";

function scripted(script: Record<number, OrderIntent[]>): Strategy {
  let index = -1;
  return { name: "scripted", warmupCandles: 0, onCandle: () => script[++index] ?? [] };
}

async function paperTrader(script: Record<number, OrderIntent[]>) {
  const db = await tempStore();
  const config = parseInstanceConfig(
    "name: states\nexchange: binance\nsymbol: BTC/USDT\ntimeframe: 1h\nstrategy:\n  name: scripted\n",
    { strategies: null },
  );
  const parts = createEngineParts(config, { strategy: scripted(script) });
  const options = { name: "states", mode: "paper", nowMs: 0, pid: null, keepState: false };
  registerInstance(db.store, config, options);
  const trader = new Trader({
    name: "states",
    mode: "paper",
    exchange: "binance",
    symbol: "BTC/USDT",
    store: db.store,
    kernel: parts.kernel,
    venue: parts.venue,
    clock: new ManualClock(0),
    state: null,
    logger: new MemoryLogger(),
  });
  const row = () => db.store.instances.get("states")!;
  const step = (i: number) =>
    trader.step({ openTimeMs: i * H, open: 100, high: 101, low: 99, close: 100, volume: 1 });
  return { trader, row, step, store: db.store, [Symbol.asyncDispose]: db.dispose };
}

Deno.test("Trader pause refuses entries with its reason until resume, and the row shows it", async () => {
  await using t = await paperTrader({ 1: [{ kind: "enter", reason: "script" }] });
  t.trader.start();
  assert.equal(t.row().status, "running");
  t.trader.pause(MISMATCH);
  assert.deepEqual(t.trader.tradingState, { kind: "reducing", reason: MISMATCH });
  assert.deepEqual([t.row().status, t.row().statusReason, t.row().lastError], [
    "paused",
    MISMATCH,
    MISMATCH,
  ]);
  await t.step(0);
  await t.step(1);
  const [entry] = t.store.orders.recent("states", 10);
  assert.deepEqual([entry.status, entry.error], ["rejected", `entries paused: ${MISMATCH}`]);
  t.trader.resume();
  assert.deepEqual(t.trader.tradingState, { kind: "active", reason: null });
  assert.deepEqual([t.row().status, t.row().statusReason], ["running", null]);
  t.trader.stop("stopped by signal");
  assert.deepEqual(t.trader.tradingState, { kind: "halted", reason: "stopped by signal" });
  assert.deepEqual([t.row().status, t.row().statusReason], ["stopped", "stopped by signal"]);
});

Deno.test("Trader fail halts it with status error and the message as last error", async () => {
  await using t = await paperTrader({});
  t.trader.start();
  t.trader.noteError("Cannot fetch candles: timed out");
  t.trader.fail("Cannot fetch balance: invalid API key");
  assert.deepEqual(t.trader.tradingState, {
    kind: "halted",
    reason: "Cannot fetch balance: invalid API key",
  });
  const row = t.row();
  assert.deepEqual([row.status, row.statusReason, row.lastError], [
    "error",
    "Cannot fetch balance: invalid API key",
    "Cannot fetch balance: invalid API key",
  ]);
});
