/**
 * Pins the engine's output: a SHA-256 of every trade, every risk decision and the whole equity
 * curve of each built-in strategy on the bundled real candles, with and without protective orders,
 * latency and slippage. A speed change to the kernel, the driver, the indicators or the built-in
 * strategies must leave every digest as it is. Change a digest only for an intended change of the
 * results, and say so in the commit.
 */
import assert from "node:assert/strict";
import { parseInstanceConfig } from "../config/load_instance_config.ts";
import { createEngineParts } from "../engine/engine_parts.ts";
import { runBacktest, toColumns } from "../backtest/run_backtest.ts";
import { loadSampleCandles } from "../../tests/support/sample_candles.ts";

const RULES = "\n  params:\n    enter: crosses_above(ema(close, 12), ema(close, 26))\n" +
  "    exit: crosses_below(ema(close, 12), ema(close, 26))";

/** Risk and execution variants: plain 100 % stake, then stops, trailing, latency and slippage. */
const VARIANTS: Record<string, string> = {
  plain: "risk:\n  stake_pct: 100\nexecution:\n  fee_pct: 0.1\n  slippage_bps: 0\n",
  protected: "risk:\n  stake_pct: 50\n  stop_loss_pct: 2\n  take_profit_pct: 4\n" +
    "  trailing_stop_pct: 1.5\nexecution:\n  fee_pct: 0.075\n  slippage_bps: 5\n" +
    "  latency_candles: 1\n",
};

/** Digest of `strategy` under `variant` on `file` (a bundled sample). */
async function fingerprint(strategy: string, variant: string, file: string): Promise<string> {
  const timeframe = file.includes("_1m") ? "1m" : file.includes("_5m") ? "5m" : "1h";
  const config = parseInstanceConfig(
    `name: fp\nexchange: binance\nsymbol: BTC/USDT\ntimeframe: ${timeframe}\n` +
      `strategy:\n  name: ${strategy}${strategy === "rules" ? RULES : ""}\n${VARIANTS[variant]}`,
  );
  const candles = toColumns(loadSampleCandles(file));
  const run = runBacktest(createEngineParts(config, { retainHistory: false }), candles, {
    recordDecisions: true,
  });
  const text = JSON.stringify({ trades: run.trades, decisions: run.decisions });
  const equity = new Uint8Array(run.equity.buffer, run.equity.byteOffset, run.equity.byteLength);
  const bytes = new Uint8Array([...new TextEncoder().encode(text), ...equity]);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  const hex = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${run.trades.length} trades ${hex.slice(0, 16)}`;
}

/** `strategy/variant/sample` → trade count and the first 16 hex digits of the digest. */
const PINNED: Record<string, string> = {
  "rsi/plain/binance_BTC-USDT_1m.csv": "288 trades 9cb596db328bfb6d",
  "rsi/protected/binance_BTC-USDT_1m.csv": "343 trades 3b4c301e0cdc10a0",
  "rsi_macd/plain/binance_BTC-USDT_1h.csv": "123 trades b26f4f2f82c8d4a6",
  "rsi_macd/protected/binance_BTC-USDT_1h.csv": "114 trades d6b59945012824c8",
  "rules/plain/binance_BTC-USDT_1h.csv": "142 trades d3dfbff85e25c62c",
  "rules/protected/binance_BTC-USDT_1h.csv": "137 trades 2f2a1acb6980d1be",
  "scalping/plain/binance_BTC-USDT_5m.csv": "474 trades e3a64a25f8b14aa7",
  "scalping/protected/binance_BTC-USDT_5m.csv": "458 trades 346cae91953abc37",
  "sma_cross/plain/binance_BTC-USDT_1m.csv": "1315 trades b450e1f8846d82d4",
  "sma_cross/protected/binance_BTC-USDT_1m.csv": "1258 trades c73f2b03decf4cf4",
  "trend_following/plain/binance_BTC-USDT_1h.csv": "158 trades 7fa966fdad351b16",
  "trend_following/protected/binance_BTC-USDT_1h.csv": "196 trades 9040c3070e4ccd53",
};

const CASES: [string, string, string][] = [];
for (const strategy of ["sma_cross", "rsi", "rsi_macd", "trend_following", "scalping", "rules"]) {
  for (const variant of Object.keys(VARIANTS)) {
    const file = strategy === "scalping"
      ? "binance_BTC-USDT_5m.csv"
      : strategy === "sma_cross" || strategy === "rsi"
      ? "binance_BTC-USDT_1m.csv"
      : "binance_BTC-USDT_1h.csv";
    CASES.push([strategy, variant, file]);
  }
}

Deno.test("engine results are unchanged: trades, decisions and equity of every built-in", async () => {
  const actual: Record<string, string> = {};
  for (const [strategy, variant, file] of CASES) {
    actual[`${strategy}/${variant}/${file}`] = await fingerprint(strategy, variant, file);
  }
  assert.deepEqual(actual, PINNED);
});
