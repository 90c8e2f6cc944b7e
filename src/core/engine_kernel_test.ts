import assert from "node:assert/strict";
import fc from "fast-check";
import { parseInstanceConfig } from "../config/load_instance_config.ts";
import { driveCandle, driveCandleSync, finish, finishSync } from "./engine_driver.ts";
import type { Strategy } from "./ports.ts";
import type { Candle, OrderIntent } from "./types.ts";
import { loadSampleCandles } from "../../tests/support/sample_candles.ts";
import { createEngineParts } from "../engine/engine_parts.ts";
import { runBacktest } from "../backtest/run_backtest.ts";

const H = 3_600_000;
const ENTER: OrderIntent = { kind: "enter", reason: "script" };
const EXIT: OrderIntent = { kind: "exit", reason: "script" };

/** A strategy that returns fixed intents on given candle indexes. */
function scripted(script: Record<number, OrderIntent[]>): Strategy {
  let index = -1;
  return { name: "scripted", warmupCandles: 0, onCandle: () => script[++index] ?? [] };
}

function config(yaml = "") {
  return parseInstanceConfig(
    "name: test\nexchange: binance\nsymbol: BTC/USDT\ntimeframe: 1h\nstrategy:\n  name: scripted\n" +
      "account:\n  balance: 1000\nrisk:\n  stake_pct: 100\n" + yaml,
    { strategies: null },
  );
}

const EXEC = "execution:\n  fee_pct: 0.1\n  slippage_bps: 10\n  amount_step: 0.001\n";

/** Candles from `[open, high, low, close]` rows, one hour apart. */
function bars(rows: number[][]): Candle[] {
  return rows.map(([open, high, low, close], i) => ({
    openTimeMs: i * H,
    open,
    high,
    low,
    close,
    volume: 1,
  }));
}

function near(actual: number, expected: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} != ${expected}`,
  );
}

Deno.test("engine fills a signal at the next open with slippage and fees, exactly", () => {
  const candles = bars([
    [100, 100, 100, 100],
    [100, 101, 99, 100],
    [100, 103, 99, 102],
    [102, 108, 101, 107],
    [
      107,
      111,
      106,
      110,
    ],
    [110, 112, 109, 111],
    [111, 111, 111, 111],
  ]);
  const parts = createEngineParts(config(EXEC), { strategy: scripted({ 1: [ENTER], 4: [EXIT] }) });
  const run = runBacktest(parts, candles);
  assert.equal(run.trades.length, 1);
  const [t] = run.trades;
  // Entry at candle 2's open 100 × 1.001; 1000 / (100.1 × 1.001) = 9.98002 → 9.980.
  near(t.entryPrice, 100.1, "entry price");
  assert.equal(t.amount, 9.98);
  // Exit at candle 5's open 110 × 0.999.
  near(t.exitPrice, 109.89, "exit price");
  near(t.fees, 0.998998 + 1.0967022, "fees: 0.1 % of 998.998 and of 1096.7022");
  near(t.pnl, 95.6084998, "pnl = 1096.7022 − 998.998 − fees");
  near(t.pnlPct, (95.6084998 / 998.998) * 100, "pnl % of the entry notional");
  assert.deepEqual([t.entryTimeMs, t.exitTimeMs, t.exitReason], [2 * H, 5 * H, "signal"]);
  near(run.equity[run.equity.length - 1], 1095.6084998, "final equity");
  // Marked at each close: before entry 1000; at candle 2's close 0.003002 + 9.98 × 102.
  near(run.equity[2], 0.003002 + 9.98 * 102, "equity at candle 2's close");
});

Deno.test("engine stops out inside the entry bar at the stop price", () => {
  const candles = bars([[100, 100, 100, 100], [100, 100, 100, 100], [100, 101, 97, 99], [
    99,
    99,
    99,
    99,
  ]]);
  const parts = createEngineParts(
    config("  stop_loss_pct: 2\nexecution:\n  fee_pct: 0\n  slippage_bps: 0\n"),
    {
      strategy: scripted({ 1: [ENTER] }),
    },
  );
  const [t] = runBacktest(parts, candles).trades;
  assert.deepEqual([t.entryPrice, t.exitPrice, t.entryTimeMs, t.exitTimeMs, t.exitReason], [
    100,
    98,
    2 * H,
    2 * H,
    "stop_loss",
  ]);
});

Deno.test("engine takes the stop first when stop and take-profit lie in one bar, and a gap at the open", () => {
  const risk =
    "  stop_loss_pct: 2\n  take_profit_pct: 4\nexecution:\n  fee_pct: 0\n  slippage_bps: 0\n";
  const both = bars([[100, 100, 100, 100], [100, 100, 100, 100], [100, 100, 100, 100], [
    100,
    105,
    97,
    101,
  ]]);
  const a =
    runBacktest(createEngineParts(config(risk), { strategy: scripted({ 1: [ENTER] }) }), both)
      .trades[0];
  assert.deepEqual([a.exitPrice, a.exitReason], [98, "stop_loss"]);
  const gapDown = bars([[100, 100, 100, 100], [100, 100, 100, 100], [100, 100, 100, 100], [
    95,
    105,
    94,
    101,
  ]]);
  const b =
    runBacktest(createEngineParts(config(risk), { strategy: scripted({ 1: [ENTER] }) }), gapDown)
      .trades[0];
  assert.deepEqual([b.exitPrice, b.exitReason], [95, "stop_loss"]);
  const gapUp = bars([[100, 100, 100, 100], [100, 100, 100, 100], [100, 100, 100, 100], [
    106,
    107,
    97,
    101,
  ]]);
  const c =
    runBacktest(createEngineParts(config(risk), { strategy: scripted({ 1: [ENTER] }) }), gapUp)
      .trades[0];
  assert.deepEqual([c.exitPrice, c.exitReason], [106, "take_profit"]);
});

Deno.test("engine trails the stop below the highest high of closed candles", () => {
  const candles = bars([
    [100, 100, 100, 100],
    [100, 100, 100, 100],
    [100, 110, 100, 110], // entry at 100; highest 110 → trailing stop 104.5
    [110, 120, 109, 119], // highest 120 → 114
    [119, 119, 113, 115], // falls through 114
    [115, 115, 115, 115],
  ]);
  const parts = createEngineParts(
    config("  trailing_stop_pct: 5\nexecution:\n  fee_pct: 0\n  slippage_bps: 0\n"),
    {
      strategy: scripted({ 1: [ENTER] }),
    },
  );
  const [t] = runBacktest(parts, candles).trades;
  assert.deepEqual([t.exitPrice, t.exitTimeMs, t.exitReason], [114, 4 * H, "trailing_stop"]);
});

Deno.test("engine closes a position still open at the end at the last close, reason end", () => {
  const candles = bars([[100, 100, 100, 100], [100, 100, 100, 100], [100, 100, 100, 100], [
    100,
    130,
    100,
    120,
  ]]);
  const parts = createEngineParts(config(EXEC), { strategy: scripted({ 1: [ENTER] }) });
  const run = runBacktest(parts, candles);
  const [t] = run.trades;
  assert.deepEqual([t.exitPrice, t.exitTimeMs, t.exitReason], [120, 3 * H, "end"]);
  near(run.equity[3], 0.003002 + 9.98 * 120 * 0.999, "equity after the end fill");
  assert.deepEqual(parts.kernel.openOrderIds, []);
});

Deno.test("engine records a rejected decision instead of throwing, and never double-enters", () => {
  const candles = bars([[100, 100, 100, 100], [100, 100, 100, 100], [100, 100, 100, 100], [
    100,
    100,
    100,
    100,
  ]]);
  const parts = createEngineParts(config(EXEC), {
    strategy: scripted({ 1: [ENTER], 2: [ENTER], 3: [EXIT, EXIT] }),
  });
  const run = runBacktest(parts, candles, { recordDecisions: true });
  assert.deepEqual(
    run.decisions.map((d) => [d.intent.kind, d.decision.verdict, d.decision.reason]),
    [
      ["enter", "accept", "stake 100% of 1000 free quote"],
      ["enter", "reject", "max open positions (1) reached"],
      ["exit", "accept", "exit the whole position"],
      ["exit", "reject", "exit order pending"],
    ],
  );
});

Deno.test("engine client ids are deterministic and valid for Binance", () => {
  const candles = loadSampleCandles("binance_BTC-USDT_1h.csv").slice(0, 2000);
  const ids = () => {
    const seen: string[] = [];
    const parts = createEngineParts(
      config("  stop_loss_pct: 2\n  take_profit_pct: 4\n  trailing_stop_pct: 3\n"),
      {
        strategy: scripted(Object.fromEntries([...Array(100)].map((_, k) => [k * 20, [ENTER]]))),
        idPrefix: "btc-binance-1h-with-a-long-name",
      },
    );
    const submit = parts.exchange.submit.bind(parts.exchange);
    parts.exchange.submit = (order) => (seen.push(order.clientOrderId), submit(order));
    runBacktest(parts, candles);
    return seen;
  };
  const first = ids();
  assert.ok(first.length > 100);
  assert.deepEqual(ids(), first);
  assert.equal(new Set(first).size, first.length);
  for (const id of first) assert.match(id, /^[.A-Z:/a-z0-9_-]{1,36}$/);
});

Deno.test("engine gives the same trades through the async driver as through the sync backtest", async () => {
  const candles = loadSampleCandles("binance_BTC-USDT_1h.csv").slice(0, 3000);
  const risk = "  stop_loss_pct: 1.5\n  take_profit_pct: 3\n  trailing_stop_pct: 2\n" + EXEC;
  const script = () =>
    scripted(Object.fromEntries([...Array(150)].map((_, k) => [k * 19, [ENTER]])));
  const sync = runBacktest(createEngineParts(config(risk), { strategy: script() }), candles);
  const parts = createEngineParts(config(risk), { strategy: script() });
  const equity: number[] = [];
  for (const candle of candles) {
    equity.push((await driveCandle(parts.kernel, parts.venue, candle)).equityQuote);
  }
  await finish(parts.kernel, parts.venue, candles[candles.length - 1]);
  equity[equity.length - 1] = parts.kernel.equityQuote;
  assert.ok(sync.trades.length > 50);
  assert.deepEqual(parts.kernel.trades, sync.trades);
  assert.deepEqual(equity, [...sync.equity]);
});

Deno.test("engine resumes from a snapshot with the same trades as an uninterrupted run", () => {
  const candles = loadSampleCandles("binance_BTC-USDT_1h.csv").slice(0, 3000);
  const risk = "  stop_loss_pct: 1.5\n  take_profit_pct: 3\n  trailing_stop_pct: 2\n" + EXEC;
  const script = () =>
    scripted(Object.fromEntries([...Array(150)].map((_, k) => [k * 19, [ENTER]])));
  const whole = runBacktest(createEngineParts(config(risk), { strategy: script() }), candles);
  for (const cut of [1234, 1240, 2001]) {
    const before = createEngineParts(config(risk), { strategy: script() });
    for (const candle of candles.slice(0, cut)) {
      driveCandleSync(before.kernel, before.exchange, candle);
    }
    const snapshot = JSON.parse(JSON.stringify(before.kernel.snapshot()));
    // A restarted process: new kernel and strategy, warmed up on stored candles; same exchange.
    const after = createEngineParts(config(risk), { strategy: script() });
    for (const candle of candles.slice(0, cut)) after.kernel.warmUp(candle);
    after.kernel.restore(snapshot);
    for (const candle of candles.slice(cut)) driveCandleSync(after.kernel, before.exchange, candle);
    finishSync(after.kernel, before.exchange, candles[candles.length - 1]);
    assert.deepEqual(
      [...before.kernel.trades, ...after.kernel.trades],
      whole.trades,
      `cut at ${cut}`,
    );
  }
});

Deno.test("engine has no lookahead: a run cut at any candle decides exactly as the full run did", () => {
  const candles = loadSampleCandles("binance_BTC-USDT_1h.csv").slice(0, 1500);
  for (const strategy of ["sma_cross", "rsi_macd", "trend_following"]) {
    const yaml = "  stop_loss_pct: 2\n  take_profit_pct: 5\n  trailing_stop_pct: 3\n" + EXEC;
    const configFor = () =>
      parseInstanceConfig(
        `name: la\nexchange: binance\nsymbol: BTC/USDT\ntimeframe: 1h\nstrategy:\n  name: ${strategy}\n` +
          "risk:\n" + yaml,
      );
    const decide = { recordDecisions: true };
    const full = runBacktest(createEngineParts(configFor()), candles, decide).decisions;
    assert.ok(full.length > 10, `${strategy}: ${full.length} decisions`);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: candles.length - 1 }), (k) => {
        const cut =
          runBacktest(createEngineParts(configFor()), candles.slice(0, k + 1), decide).decisions;
        const lastMs = candles[k].openTimeMs;
        assert.deepEqual(cut, full.filter((d) => d.candleTimeMs <= lastMs));
      }),
      { numRuns: 15 },
    );
  }
});
