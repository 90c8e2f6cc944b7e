import assert from "node:assert/strict";
import { BinanceEmulator } from "../../tests/support/binance_emulator.ts";
import {
  spawnTrader,
  waitFor,
  withStore,
  writeConfig,
} from "../../tests/support/trader_process.ts";
import { serializer } from "./ticker_watch.ts";
import { parseTraderState } from "./trader_state.ts";

const HOUR_MS = 3_600_000;
const START_MS = Date.UTC(2024, 7, 1, 0, 30);
const CONFIG = `exchange: binance
symbol: BTC/USDT
timeframe: 1h
strategy:
  name: sma_cross
  params: { fast: 2, slow: 3 }
risk:
  stake_pct: 50
  stop_loss_pct: 1
  take_profit_pct: 1.5
trade:
  heartbeat_seconds: 1
  close_delay_ms: 0
  stop_check: ticker
  ticker_seconds: 1
`;

function kernelState(url: string, name: string) {
  return withStore(url, (s) => parseTraderState(s.instances.get(name)?.state, "paper")?.kernel);
}

Deno.test("serializer runs tasks one after the other, in call order, past failures", async () => {
  const exclusive = serializer();
  const events: string[] = [];
  const task = (name: string, fail = false) => async () => {
    events.push(`${name} start`);
    await new Promise((resolve) => setTimeout(resolve, 5));
    events.push(`${name} end`);
    if (fail) throw new Error(name);
    return name;
  };
  const results = await Promise.allSettled([
    exclusive(task("a")),
    exclusive(task("b", true)),
    exclusive(task("c")),
  ]);
  assert.deepEqual(events, ["a start", "a end", "b start", "b end", "c start", "c end"]);
  assert.deepEqual(results.map((r) => r.status), ["fulfilled", "rejected", "fulfilled"]);
});

Deno.test("ticker stop check exits a paper position at market between closes, once, with the DB in step", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ticker_stop_test_" });
  await using emulator = new BinanceEmulator({ startMs: START_MS });
  const url = `sqlite:${dir}/trading.db`;
  const env = { DATABASE_URL: url, LOG_DIR: `${dir}/logs`, BINANCE_API_URL: emulator.url };
  const name = "ticker-stop";
  const trader = spawnTrader(
    await writeConfig(dir, name, CONFIG),
    env,
    ["--test-clock", `emulator:${emulator.url}`],
  );
  try {
    await waitFor(
      "running",
      () => withStore(url, (s) => s.instances.get(name)?.status === "running"),
    );
    // Candle by candle until a position rests with its stop and take-profit on the venue.
    let kernel = kernelState(url, name);
    const protectedNow = () => kernel?.position != null && kernel.stopOrderId !== null;
    for (let i = 0; i < 48 && !protectedNow(); i++) {
      emulator.advanceCandles(1, "1h");
      const expected = Math.floor(emulator.clock.nowMs() / HOUR_MS) * HOUR_MS - HOUR_MS;
      await waitFor(`candle ${i + 1}`, () => {
        const state = kernelState(url, name);
        return state !== undefined && state.lastCandleMs >= expected && state;
      }, 20_000);
      kernel = kernelState(url, name);
    }
    assert.ok(kernel !== undefined && protectedNow(), "no protected position");
    const stopId = kernel.stopOrderId!;
    const takeProfitId = kernel.takeProfitOrderId!;
    const tradesBefore = withStore(url, (s) => s.trades.recent(name).length);
    // Ten minutes into the forming candle the price trades 0.5 % below the stop.
    const formingMs = Math.floor(emulator.clock.nowMs() / HOUR_MS) * HOUR_MS;
    const nextCloseMs = formingMs + HOUR_MS;
    const crash = kernel.stopPrice! * 0.995;
    emulator.patchCandle("BTCUSDT", "1h", formingMs, { open: crash, close: crash, low: crash });
    emulator.advance(10 * 60_000);
    const trade = await waitFor("ticker exit", () => {
      const trades = withStore(url, (s) => s.trades.recent(name));
      return trades.length > tradesBefore && trades[0];
    }, 20_000);
    // The exit came before the next close, at market (the ticker price less 5 bps slippage).
    assert.equal(trade.exitReason, "stop_loss");
    assert.equal(trade.exitClientOrderId, stopId);
    assert.ok(trade.exitTimeMs > formingMs && trade.exitTimeMs < nextCloseMs);
    assert.ok(Math.abs(trade.exitPrice - crash * 0.9995) < 1e-6, `${trade.exitPrice}`);
    assert.ok(emulator.clock.nowMs() < nextCloseMs);
    const db = withStore(url, (s) => ({
      orders: s.orders.recent(name, 1000),
      fills: s.fills.byInstance(name),
      open: s.orders.nonTerminal(name),
    }));
    const stop = db.orders.find((o) => o.clientOrderId === stopId)!;
    assert.equal(stop.status, "filled");
    assert.equal(db.orders.find((o) => o.clientOrderId === takeProfitId)!.status, "canceled");
    assert.equal(db.fills.filter((f) => f.clientOrderId === stopId).length, 1);
    assert.equal(db.open.length, 0);
    const after = kernelState(url, name)!;
    assert.equal(after.position, null);
    assert.equal(after.stopOrderId, null);
    assert.equal(after.openOrders.length, 0);
    assert.ok(after.lastCandleMs < formingMs);
    // The close that follows adds no second exit for that position.
    emulator.advanceCandles(1, "1h");
    await waitFor("next candle", () => kernelState(url, name)!.lastCandleMs >= formingMs, 20_000);
    const sells = withStore(url, (s) => s.orders.recent(name, 1000)).filter((o) =>
      o.side === "sell" && o.filledBaseAmount > 0 && o.createdMs >= stop.createdMs
    );
    assert.deepEqual(sells.map((o) => o.clientOrderId), [stopId]);
    const requests = emulator.requests();
    assert.ok(requests.some((r) => r.path.startsWith("/api/v3/ticker/")));
    assert.equal(requests.filter((r) => r.signed || r.hasApiKey).length, 0);
  } finally {
    trader.child.kill("SIGTERM");
    assert.equal((await trader.status).code, 0, await trader.stderr);
    await Deno.remove(dir, { recursive: true });
  }
});
