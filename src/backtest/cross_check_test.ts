/**
 * Cross-check: a plain, independent `sma_cross` backtest written from the documented rules (the
 * fill model of docs/backtesting.md), compared trade by trade with the engine on real BTC/USDT 1h
 * candles.
 */
import assert from "node:assert/strict";
import { parseInstanceConfig } from "../config/load_instance_config.ts";
import type { Candle, ClosedTrade } from "../core/types.ts";
import { loadSampleCandles } from "../../tests/support/sample_candles.ts";
import { backtestConfig } from "./backtest_config.ts";
import { toColumns } from "./run_backtest.ts";

/** The straightforward version: naive SMAs, fills at the next open, 100 % stake, end at the close. */
function referenceSmaCross(
  candles: readonly Candle[],
  fast: number,
  slow: number,
  fee: number,
): ClosedTrade[] {
  const sma = (i: number, period: number) => {
    if (i + 1 < period) return Number.NaN;
    let sum = 0;
    for (let k = i - period + 1; k <= i; k++) sum += candles[k].close;
    return sum / period;
  };
  const trades: ClosedTrade[] = [];
  let cash = 10_000;
  let open: { timeMs: number; price: number; amount: number; cost: number; fee: number } | null =
    null;
  let pending: "buy" | "sell" | null = null;
  const sell = (timeMs: number, price: number, reason: ClosedTrade["exitReason"]) => {
    const position = open!;
    const proceeds = position.amount * price;
    const exitFee = proceeds * fee;
    cash += proceeds - exitFee;
    const fees = position.fee + exitFee;
    const pnl = proceeds - position.cost - fees;
    trades.push({
      entryTimeMs: position.timeMs,
      exitTimeMs: timeMs,
      entryPrice: position.price,
      exitPrice: price,
      amount: position.amount,
      pnl,
      pnlPct: (pnl / position.cost) * 100,
      fees,
      exitReason: reason,
    });
    open = null;
  };
  for (let i = 0; i < candles.length; i++) {
    const candle = candles[i];
    if (pending === "buy") {
      const price = candle.open;
      const amount = Math.floor((cash / (price * (1 + fee))) * 1e8) / 1e8;
      const cost = amount * price;
      open = { timeMs: candle.openTimeMs, price, amount, cost, fee: cost * fee };
      cash -= cost + cost * fee;
    } else if (pending === "sell") sell(candle.openTimeMs, candle.open, "signal");
    pending = null;
    const [f0, s0, f1, s1] = [sma(i - 1, fast), sma(i - 1, slow), sma(i, fast), sma(i, slow)];
    if (open === null && f0 < s0 && f1 > s1) pending = "buy";
    if (open !== null && f0 > s0 && f1 < s1) pending = "sell";
  }
  const last = candles[candles.length - 1];
  if (open !== null) sell(last.openTimeMs, last.close, "end");
  return trades;
}

Deno.test("cross-check: an independent sma_cross reproduces the backtester's trades on BTC/USDT 1h", () => {
  const candles = loadSampleCandles("binance_BTC-USDT_1h.csv");
  for (const [fast, slow] of [[10, 30], [5, 20], [20, 50]]) {
    const config = parseInstanceConfig(
      "name: cross-check\nexchange: binance\nsymbol: BTC/USDT\ntimeframe: 1h\n" +
        `strategy:\n  name: sma_cross\n  params: { fast: ${fast}, slow: ${slow} }\n` +
        "risk:\n  stake_pct: 100\naccount:\n  balance: 10000\n" +
        "execution:\n  fee_pct: 0.2\n  slippage_bps: 0\n  amount_step: 0.00000001\n",
    );
    const engine = backtestConfig(config, toColumns(candles)).run.trades;
    const reference = referenceSmaCross(candles, fast, slow, 0.002);
    assert.ok(reference.length > 50, `${fast}/${slow}: only ${reference.length} trades`);
    assert.equal(engine.length, reference.length, `${fast}/${slow}: trade count`);
    assert.deepEqual(engine, reference, `${fast}/${slow}`);
  }
});
