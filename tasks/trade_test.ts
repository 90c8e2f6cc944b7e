/** `tasks/trade.ts` in paper mode as a real process against the loopback emulator. */
import assert from "node:assert/strict";
import {
  BinanceEmulator,
  EMULATOR_API_KEY,
  EMULATOR_API_SECRET,
} from "../tests/support/binance_emulator.ts";
import {
  spawnTrader,
  type TraderProcess,
  waitFor,
  withStore,
  writeConfig,
} from "../tests/support/trader_process.ts";
import { parseTraderState } from "../src/trader/trader_state.ts";

const HOUR_MS = 3_600_000;
const START_MS = Date.UTC(2024, 7, 1, 0, 30);
const PAPER = `exchange: binance
symbol: BTC/USDT
timeframe: 1h
strategy:
  name: sma_cross
  params: { fast: 2, slow: 3 }
risk:
  stake_pct: 50
  stop_loss_pct: 1
  take_profit_pct: 1.5
execution:
  slippage_bps: 5
trade:
  heartbeat_seconds: 1
  close_delay_ms: 0
`;

async function setup() {
  const dir = await Deno.makeTempDir({ prefix: "trade_test_" });
  const emulator = new BinanceEmulator({ startMs: START_MS });
  const env = {
    DATABASE_URL: `sqlite:${dir}/trading.db`,
    LOG_DIR: `${dir}/logs`,
    BINANCE_API_URL: emulator.url,
  };
  return {
    dir,
    emulator,
    env,
    async [Symbol.asyncDispose]() {
      await emulator.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

function lastCandleMs(url: string, name: string): number {
  return withStore(url, (store) => {
    const state = parseTraderState(store.instances.get(name)?.state, "paper");
    return state?.kernel.lastCandleMs ?? 0;
  });
}

/** Waits for status `running`; a trader that exits first fails at once with its stderr. */
async function waitRunning(trader: TraderProcess, url: string, name: string): Promise<void> {
  let exited = false;
  trader.status.then(() => exited = true);
  await waitFor(`${name} running`, async () => {
    if (exited) throw new Error(`${name} exited while starting: ${await trader.stderr}`);
    return withStore(url, (s) => s.instances.get(name)?.status === "running");
  });
}

/** Advances the emulator one candle at a time, waiting until the trader has handled each. */
async function stepCandles(emulator: BinanceEmulator, url: string, name: string, count: number) {
  for (let i = 0; i < count; i++) {
    emulator.advanceCandles(1, "1h");
    const expected = Math.floor(emulator.clock.nowMs() / HOUR_MS) * HOUR_MS - HOUR_MS;
    await waitFor(`candle ${i + 1} handled`, () => lastCandleMs(url, name) >= expected, 20_000);
  }
}

Deno.test("trade task paper mode with keys in the environment trades on emulator candles, signs nothing, stops on SIGTERM and resumes", async () => {
  await using t = await setup();
  const config = await writeConfig(t.dir, "paper-test", PAPER);
  const clock = ["--test-clock", `emulator:${t.emulator.url}`];
  const url = t.env.DATABASE_URL;
  // Keys of an account the emulator knows: a request paper mode signed would be served.
  const env = {
    ...t.env,
    BINANCE_API_KEY: EMULATOR_API_KEY,
    BINANCE_API_SECRET: EMULATOR_API_SECRET,
  };
  let trader = spawnTrader(config, env, clock);
  await waitRunning(trader, url, "paper-test");
  await stepCandles(t.emulator, url, "paper-test", 24);
  const { trades, orders, fills, row } = withStore(url, (s) => ({
    trades: s.trades.recent("paper-test"),
    orders: s.orders.recent("paper-test", 1000),
    fills: s.fills.byInstance("paper-test"),
    row: s.instances.get("paper-test")!,
  }));
  // Paper mode ignores the keys: not one request carried a signature or an API key.
  // (Closed candles may arrive over the kline stream, so REST sees at least markets and history.)
  const requests = t.emulator.requests();
  assert.ok(requests.some((r) => r.path.endsWith("/exchangeInfo")), "markets were loaded");
  assert.ok(requests.some((r) => r.path.endsWith("/klines")), "candles were fetched");
  const withKey = requests.filter((r) => r.signed || r.hasApiKey);
  assert.deepEqual(withKey.map((r) => `${r.method} ${r.path}`), [], "signed or keyed requests");
  assert.equal(t.emulator.orders().length, 0, "orders at the exchange");
  assert.ok(trades.length >= 2, `expected closed trades, got ${trades.length}`);
  assert.ok(orders.every((o) => /^paper-test-[0-9a-z]+-[exstrn][0-9a-z]+$/.test(o.clientOrderId)));
  // Every market fill is the emulator's candle open at that time, moved by 5 bps of slippage.
  const series = t.emulator.book.source.series("BTCUSDT", HOUR_MS)!.candles;
  const openAt = new Map(series.map((c) => [c.openTimeMs, c.open]));
  for (const fill of fills) {
    const order = orders.find((o) => o.clientOrderId === fill.clientOrderId)!;
    if (order.type !== "market") continue;
    const open = openAt.get(fill.timeMs)!;
    assert.equal(fill.price, fill.side === "buy" ? open * 1.0005 : open * 0.9995);
  }
  for (const trade of trades) assert.ok(fills.some((f) => f.timeMs === trade.exitTimeMs));
  assert.equal(row.status, "running");
  assert.equal(row.pid, trader.child.pid);
  // SIGTERM: exit 0, status stopped, state kept.
  trader.child.kill("SIGTERM");
  const status = await trader.status;
  assert.equal(status.code, 0, await trader.stderr);
  const stopped = withStore(url, (s) => s.instances.get("paper-test")!);
  assert.equal(stopped.status, "stopped");
  const before = parseTraderState(stopped.state, "paper")!;
  // Restart: the same position and balance, then it trades on from the next candle.
  trader = spawnTrader(config, env, clock);
  await waitRunning(trader, url, "paper-test");
  const resumed = withStore(
    url,
    (s) => parseTraderState(s.instances.get("paper-test")!.state, "paper")!,
  );
  assert.deepEqual(resumed.kernel.position, before.kernel.position);
  assert.equal(resumed.kernel.quoteFree, before.kernel.quoteFree);
  await stepCandles(t.emulator, url, "paper-test", 3);
  trader.child.kill("SIGINT");
  assert.equal((await trader.status).code, 0);
  assert.equal(
    withStore(url, (s) => s.orders.nonTerminal("paper-test")).filter((o) =>
      o.status === "submitting"
    ).length,
    0,
  );
});

Deno.test("trade task refuses live mode without keys, and the test clock in live mode, with exit 2", async () => {
  await using t = await setup();
  const config = await writeConfig(t.dir, "live-nokeys", PAPER + "mode: live\n");
  const noKeys = spawnTrader(config, t.env);
  const status = await noKeys.status;
  assert.equal(status.code, 2);
  const line = (await noKeys.stderr).trim();
  assert.equal(line.split("\n").length, 1);
  assert.match(
    line,
    /^Cannot start live trading: .*live-nokeys\.yaml: mode: live needs BINANCE_API_KEY and BINANCE_API_SECRET/,
  );
  const keys = {
    ...t.env,
    BINANCE_API_KEY: "emulator-test-key",
    BINANCE_API_SECRET: "emulator-test-secret",
  };
  const testClock = spawnTrader(config, keys, ["--test-clock", `emulator:${t.emulator.url}`]);
  assert.equal((await testClock.status).code, 2);
  assert.match(await testClock.stderr, /--test-clock is a test hook; live refuses it/);
  assert.equal(t.emulator.requests().length, 0);
});
