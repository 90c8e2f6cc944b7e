/**
 * `tasks/trade.ts --close-on-exit` as a real paper process on the emulator's market clock: a stop
 * that comes before the run's first candle still sells the position, and the next run trades
 * again instead of refusing every intent as "run is finishing".
 */
import assert from "node:assert/strict";
import { BinanceEmulator } from "../tests/support/binance_emulator.ts";
import {
  spawnTrader,
  type TraderProcess,
  waitFor,
  withStore,
  writeConfig,
} from "../tests/support/trader_process.ts";
import { parseTraderState, type TraderState } from "../src/trader/trader_state.ts";

const HOUR_MS = 3_600_000;
const NAME = "close-test";
const PAPER = `exchange: binance
symbol: BTC/USDT
timeframe: 1h
strategy:
  name: sma_cross
  params: { fast: 2, slow: 3 }
risk:
  stake_pct: 50
  stop_loss_pct: null
  take_profit_pct: null
trade:
  heartbeat_seconds: 1
  close_delay_ms: 0
`;

function state(url: string): TraderState | null {
  return withStore(url, (s) => parseTraderState(s.instances.get(NAME)?.state, "paper"));
}

async function waitRunning(trader: TraderProcess, url: string): Promise<void> {
  let exited = false;
  trader.status.then(() => exited = true);
  await waitFor(`${NAME} running`, async () => {
    if (exited) throw new Error(`${NAME} exited while starting: ${await trader.stderr}`);
    return withStore(url, (s) => s.instances.get(NAME)?.status === "running");
  });
}

/** Advances one candle at a time until `done` holds; fails after `max` candles. */
async function candlesUntil(
  emulator: BinanceEmulator,
  url: string,
  what: string,
  done: () => boolean,
  max = 48,
): Promise<void> {
  for (let i = 0; i < max && !done(); i++) {
    emulator.advanceCandles(1, "1h");
    const expected = Math.floor(emulator.clock.nowMs() / HOUR_MS) * HOUR_MS - HOUR_MS;
    await waitFor("candle handled", () => (state(url)?.kernel.lastCandleMs ?? 0) >= expected);
  }
  assert.ok(done(), `no ${what} within ${max} candles`);
}

async function stop(trader: TraderProcess): Promise<void> {
  trader.child.kill("SIGTERM");
  assert.equal((await trader.status).code, 0, await trader.stderr);
}

Deno.test("trade task --close-on-exit sells before the run's first candle, and the next run trades again", async () => {
  const dir = await Deno.makeTempDir({ prefix: "trade_close_test_" });
  await using emulator = new BinanceEmulator({ startMs: Date.UTC(2024, 7, 1, 0, 30) });
  const url = `sqlite:${dir}/trading.db`;
  const env = { DATABASE_URL: url, LOG_DIR: `${dir}/logs`, BINANCE_API_URL: emulator.url };
  const config = await writeConfig(dir, NAME, PAPER);
  const clock = ["--test-clock", `emulator:${emulator.url}`];
  const orders = () => withStore(url, (s) => s.orders.recent(NAME, 1000));
  try {
    let trader = spawnTrader(config, env, clock);
    await waitRunning(trader, url);
    await candlesUntil(
      emulator,
      url,
      "position",
      () => (state(url)?.kernel.position ?? null) !== null,
    );
    await stop(trader);

    // Restarted with --close-on-exit and stopped before any candle closes: the position is sold.
    trader = spawnTrader(config, env, [...clock, "--close-on-exit"]);
    await waitRunning(trader, url);
    await stop(trader);
    const closed = state(url)!;
    assert.equal(closed.kernel.position, null, "the position was left open");
    const end = orders().find((o) => o.intent === "end");
    assert.equal(end?.status, "filled");
    assert.equal(
      withStore(url, (s) => s.instances.get(NAME)?.statusReason),
      "stopped by signal; position closed",
    );

    // The next run is not finishing: its next entry signal becomes an order.
    trader = spawnTrader(config, env, clock);
    await waitRunning(trader, url);
    const entries = () => orders().filter((o) => o.intent === "enter").length;
    const before = entries();
    await candlesUntil(emulator, url, "new entry", () => entries() > before);
    await stop(trader);
    await Deno.remove(dir, { recursive: true });
  } catch (error) {
    // deno-lint-ignore no-console
    console.log(`trade close-on-exit test: files kept in ${dir}`);
    throw error;
  }
});
