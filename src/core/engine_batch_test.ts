/**
 * The backtest's fast path (`kernel.handleRun` over quiet stretches, for strategies with
 * `onCandles`) against the same strategy driven one candle at a time: identical trades, decisions
 * and equity, with and without protective orders, on real candles and on random ones.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { parseInstanceConfig } from "../config/load_instance_config.ts";
import { createEngineParts } from "../engine/engine_parts.ts";
import { createStrategy } from "../engine/create_strategy.ts";
import { runBacktest, toColumns } from "../backtest/run_backtest.ts";
import type { Strategy } from "./ports.ts";
import type { Candle } from "./types.ts";
import { base36, defaultClientOrderId, OrderFactory } from "./_engine_order_factory.ts";
import { loadSampleCandles } from "../../tests/support/sample_candles.ts";

function config(strategy: string, params: string, risk: string) {
  return parseInstanceConfig(
    `name: batch\nexchange: binance\nsymbol: BTC/USDT\ntimeframe: 1m\n` +
      `strategy:\n  name: ${strategy}\n  params: ${params}\nrisk:\n${risk}` +
      "execution:\n  fee_pct: 0.1\n  slippage_bps: 3\n",
  );
}

/** The built-in behind a plain object: only `onCandle`, so the kernel goes candle by candle. */
function oneByOne(strategy: Strategy): Strategy {
  return {
    name: strategy.name,
    warmupCandles: strategy.warmupCandles,
    onCandle: (candle, context) => strategy.onCandle(candle, context),
  };
}

/** The same config run with the fast path and candle by candle, with the kernels' end states. */
function both(cfg: ReturnType<typeof config>, candles: readonly Candle[]) {
  const columns = toColumns(candles);
  const options = { recordDecisions: true };
  const fastParts = createEngineParts(cfg, { retainHistory: false });
  const fast = runBacktest(fastParts, columns, options);
  const strategy = oneByOne(createStrategy(cfg));
  const slowParts = createEngineParts(cfg, { strategy, retainHistory: false });
  const slow = runBacktest(slowParts, columns, options);
  // Peak, day start and day index feed the breakers: the fast path must mark them identically.
  assert.deepEqual(fastParts.kernel.snapshot(), slowParts.kernel.snapshot());
  // Unrecorded, the fast path skips making decision records: the same run otherwise.
  const quietParts = createEngineParts(cfg, { retainHistory: false });
  const quiet = runBacktest(quietParts, columns);
  assert.deepEqual(quiet.trades, fast.trades);
  assert.deepEqual(quiet.equity, fast.equity);
  assert.deepEqual(quietParts.kernel.snapshot(), fastParts.kernel.snapshot());
  return { fast, slow };
}

const RISKS = [
  "  stake_pct: 100\n",
  "  stake_pct: 40\n  stop_loss_pct: 1\n  take_profit_pct: 2\n  trailing_stop_pct: 0.8\n",
  // Breakers read the peak and the day's start equity, which the fast path marks per run.
  "  stake_pct: 100\n  daily_loss_limit_pct: 0.5\n  max_drawdown_pct: 4\n",
];
const CASES: [string, string][] = [
  ["sma_cross", "{ fast: 5, slow: 21 }"],
  ["rsi", "{ period: 9, oversold: 35, overbought: 65 }"],
];

for (const [name, params] of CASES) {
  Deno.test(`engine fast path of ${name} equals the candle-by-candle run on real candles`, () => {
    const candles = loadSampleCandles("binance_BTC-USDT_1m.csv");
    for (const risk of RISKS) {
      const { fast, slow } = both(config(name, params, risk), candles);
      assert.ok(fast.trades.length > 10, `${name}: too few trades to compare`);
      assert.deepEqual(fast.trades, slow.trades);
      assert.deepEqual(fast.decisions, slow.decisions);
      assert.deepEqual(fast.equity, slow.equity);
    }
  });
}

Deno.test("engine fast path equals the candle-by-candle run on random candles", () => {
  const candle = fc.record({
    open: fc.double({ min: 50, max: 150, noNaN: true }),
    move: fc.double({ min: -0.05, max: 0.05, noNaN: true }),
    wick: fc.double({ min: 0, max: 0.03, noNaN: true }),
  });
  fc.assert(
    fc.property(
      fc.array(candle, { minLength: 1, maxLength: 400 }),
      fc.constantFrom(...CASES),
      fc.constantFrom(...RISKS),
      (rows, [name, params], risk) => {
        let price = 100;
        const candles: Candle[] = rows.map((row, i) => {
          const open = price;
          const close = Math.max(1, open * (1 + row.move));
          price = close;
          return {
            // Spans midnight UTC so that the daily marks change inside runs.
            openTimeMs: Date.UTC(2024, 0, 1, 20) + i * 60_000 * 7,
            open,
            high: Math.max(open, close) * (1 + row.wick),
            low: Math.min(open, close) * (1 - row.wick),
            close,
            volume: 1,
          };
        });
        const { fast, slow } = both(config(name, params, risk), candles);
        assert.deepEqual(fast.trades, slow.trades);
        assert.deepEqual(fast.decisions, slow.decisions);
        assert.deepEqual(fast.equity, slow.equity);
      },
    ),
    { numRuns: 150 },
  );
});

Deno.test("engine client ids write candle times in base 36 exactly as toString(36) does", () => {
  const edges = [0, 35, 36, 2 ** 30 - 1, 2 ** 30, 36 ** 5, 36 ** 6 - 1, 36 ** 8, 2 ** 53 - 1];
  for (const value of edges) assert.equal(base36(value), value.toString(36));
  fc.assert(
    fc.property(
      fc.oneof(fc.maxSafeNat(), fc.integer({ min: 1.5e12, max: 2.5e12 }), fc.double()),
      (value) => base36(value) === value.toString(36),
    ),
    { numRuns: 5000 },
  );
});

Deno.test("engine order factory ids equal defaultClientOrderId of the same parts", () => {
  const factory = new OrderFactory("BTC/USDT", {
    prefix: "bt-x",
    clientOrderId: defaultClientOrderId,
  });
  const purposes = ["enter", "exit", "stop_loss", "take_profit", "trailing_stop", "end"] as const;
  let timeMs = 1_700_000_000_000;
  // Small and unsafe times take base36's other paths; then epoch times across high-digit changes.
  const odd = [0, 35, 2 ** 30 - 1, 2 ** 30, 2 ** 53 + 2, 1_700_000_000_000];
  for (let i = 0; i < 500; i++) {
    if (i < odd.length) timeMs = odd[i];
    else if (i % 3 === 0) timeMs += 3_600_000 * (1 + (i % 7));
    const purpose = purposes[i % purposes.length];
    const order = factory.create({ purpose, reason: "r", side: "sell", baseAmount: 1 }, timeMs);
    const expected = defaultClientOrderId({
      prefix: "bt-x",
      candleTimeMs: timeMs,
      purpose,
      seq: i + 1,
    });
    assert.equal(order.clientOrderId, expected);
  }
});
