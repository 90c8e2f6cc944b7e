/**
 * Paper trading on the Kraken emulator's candles through CCXT's real `kraken` class, stepped
 * candle by candle on the emulator's market clock: public requests only, nothing signed, even with
 * the account's keys in the environment.
 */
import assert from "node:assert/strict";
import { parseTraderState } from "../../src/trader/trader_state.ts";
import {
  KRAKEN_EMULATOR_API_KEY,
  KRAKEN_EMULATOR_API_SECRET,
  KrakenEmulator,
} from "../support/kraken_emulator.ts";
import { spawnTrader, waitFor, withStore, writeConfig } from "../support/trader_process.ts";

const HOUR = 3_600_000;
const NAME = "paper-kraken";
const CONFIG = `exchange: kraken
symbol: BTC/USD
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

Deno.test("kraken paper trading trades on the emulator's OHLC, signs nothing, stops on SIGTERM", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kraken_paper_test_" });
  // Inside the bundled Kraken BTC/USD candles (2023-01-01 to 2023-03-31).
  const emulator = new KrakenEmulator({ startMs: Date.UTC(2023, 2, 10, 0, 30) });
  const url = `sqlite:${dir}/trading.db`;
  const config = await writeConfig(dir, NAME, CONFIG);
  const trader = spawnTrader(config, {
    DATABASE_URL: url,
    LOG_DIR: `${dir}/logs`,
    KRAKEN_API_URL: emulator.url,
    KRAKEN_API_KEY: KRAKEN_EMULATOR_API_KEY,
    KRAKEN_API_SECRET: KRAKEN_EMULATOR_API_SECRET,
  }, ["--test-clock", `emulator:${emulator.url}`]);
  let passed = false;
  try {
    let exited = false;
    trader.status.then(() => exited = true);
    await waitFor(`${NAME} running`, async () => {
      if (exited) throw new Error(`${NAME} exited while starting: ${await trader.stderr}`);
      return withStore(url, (s) => s.instances.get(NAME)?.status === "running");
    });
    for (let i = 0; i < 16; i++) {
      emulator.advanceCandles(1, "1h");
      const expected = Math.floor(emulator.clock.nowMs() / HOUR) * HOUR - HOUR;
      await waitFor(`candle ${i + 1} handled`, () =>
        withStore(url, (s) => {
          const state = parseTraderState(s.instances.get(NAME)?.state, "paper");
          return (state?.kernel.lastCandleMs ?? 0) >= expected;
        }), 20_000);
    }
    trader.child.kill("SIGTERM");
    assert.equal((await trader.status).code, 0, await trader.stderr);
    const stored = withStore(url, (s) => ({
      trades: s.trades.recent(NAME),
      orders: s.orders.recent(NAME, 1000),
      row: s.instances.get(NAME)!,
    }));
    const requests = emulator.requests();
    const paths = new Set(requests.map((r) => r.path));
    assert.ok(paths.has("/0/public/AssetPairs"), "markets were loaded");
    const ohlc = requests.filter((r) => r.path === "/0/public/OHLC");
    assert.ok(ohlc.length > 0, "candles were fetched");
    for (const r of ohlc) assert.deepEqual([r.params.pair, r.params.interval], ["XXBTZUSD", "60"]);
    const keyed = requests.filter((r) =>
      r.signed || r.hasApiKey || r.path.startsWith("/0/private")
    );
    assert.deepEqual(keyed.map((r) => `${r.method} ${r.path}`), [], "signed or keyed requests");
    assert.equal(emulator.orders().length, 0, "orders at the exchange");
    assert.ok(stored.trades.length >= 2, `expected closed trades, got ${stored.trades.length}`);
    assert.equal(stored.row.status, "stopped");
    // Paper fills pay Kraken's fees from its market data (0.25 % maker, 0.40 % taker), not a default.
    for (const t of stored.trades) {
      const rate = t.fees / ((t.entryPrice + t.exitPrice) * t.amount);
      assert.ok(rate >= 0.0025 - 1e-9 && rate <= 0.004 + 1e-9, `fee rate ${rate}`);
    }
    passed = true;
  } finally {
    try {
      trader.child.kill("SIGKILL");
    } catch { /* already exited */ }
    await trader.status;
    await trader.stdout;
    await trader.stderr;
    await emulator.close();
    if (passed) await Deno.remove(dir, { recursive: true });
  }
});
