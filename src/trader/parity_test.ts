/** PARITY: replay (the live loop, order manager and DB) gives exactly the backtest's trades. */
import assert from "node:assert/strict";
import { backtestConfig } from "../backtest/backtest_config.ts";
import { loadBacktestCandles } from "../backtest/load_candles.ts";
import { parseConfigDate } from "../config/mod.ts";
import type { InstanceConfig } from "../config/instance_config_schema.ts";
import { bundledConfig, importSample, MemoryLogger } from "../../tests/support/trader_fixtures.ts";
import { tempStore } from "../../tests/support/temp_store.ts";
import { runReplay } from "./replay.ts";

const CASES: { file: string; sample: string; overrides?: string[] }[] = [
  { file: "btc-binance-1h.yaml", sample: "binance_BTC-USDT_1h.csv" },
  { file: "sma-cross-btc-1h.yaml", sample: "binance_BTC-USDT_1h.csv" },
  { file: "eth-binance-15m.yaml", sample: "binance_ETH-USDT_15m.csv" },
  {
    file: "btc-binance-1h.yaml",
    sample: "binance_BTC-USDT_1h.csv",
    overrides: ["strategy.name=rsi", "strategy.params={}"],
  },
  {
    file: "btc-binance-1h.yaml",
    sample: "binance_BTC-USDT_1h.csv",
    overrides: [
      "strategy.name=trend_following",
      "strategy.params={}",
      "risk.trailing_stop_pct=3",
      "risk.take_profit_pct=null",
    ],
  },
  {
    file: "eth-binance-15m.yaml",
    sample: "binance_ETH-USDT_15m.csv",
    overrides: ["execution.latency_candles=1"],
  },
];

function range(config: InstanceConfig) {
  const fromMs = config.backtest.from === null ? undefined : parseConfigDate(config.backtest.from);
  const toMs = config.backtest.to === null ? undefined : parseConfigDate(config.backtest.to);
  return { fromMs, toMs };
}

for (const { file, sample, overrides = [] } of CASES) {
  const label = [file, ...overrides].join(" ");
  Deno.test(`replay equals backtest trade for trade: ${label}`, async () => {
    const db = await tempStore();
    try {
      const config = await bundledConfig(file, overrides);
      importSample(db.store, config, sample);
      const { fromMs, toMs } = range(config);
      const { columns } = loadBacktestCandles(db.store.candles, config, {
        fromMs: fromMs ?? -Infinity,
        toMs: toMs === undefined ? Infinity : toMs - 1,
      });
      const backtest = backtestConfig(config, columns, { fromMs, toMs });
      const replay = await runReplay(config, db.store, {
        fromMs,
        toMs,
        runId: 1,
        logger: new MemoryLogger(),
      });
      assert.ok(
        backtest.run.trades.length > 3,
        `too few trades to compare (${backtest.run.trades.length})`,
      );
      assert.deepEqual(replay.trades, backtest.run.trades);
      // The DB holds the same trades, and every order went through the order manager.
      const stored = db.store.trades.recent(replay.trader.options.name, 100_000).reverse();
      assert.deepEqual(
        stored.map((
          { entryTimeMs, exitTimeMs, entryPrice, exitPrice, amount, pnl, pnlPct, fees, exitReason },
        ) => ({
          entryTimeMs,
          exitTimeMs,
          entryPrice,
          exitPrice,
          amount,
          pnl,
          pnlPct,
          fees,
          exitReason,
        })),
        [...backtest.run.trades],
      );
      assert.equal(db.store.orders.nonTerminal(replay.trader.options.name).length, 0);
      const row = db.store.instances.get(replay.trader.options.name)!;
      assert.equal(row.status, "stopped");
      assert.equal(row.equityQuote, backtest.run.equity[backtest.run.equity.length - 1]);
    } finally {
      await db.dispose();
    }
  });
}
