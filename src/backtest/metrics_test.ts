import assert from "node:assert/strict";
import type { ClosedTrade } from "../core/types.ts";
import { computeMetrics, type Metrics, tradeMetrics } from "./metrics.ts";

const DAY = 86_400_000;

function near(actual: number | null, expected: number, what: string): void {
  assert.ok(actual !== null, `${what} is null`);
  assert.ok(
    Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} != ${expected}`,
  );
}

function trade(entryDay: number, exitDay: number, pnl: number, pnlPct: number): ClosedTrade {
  return {
    entryTimeMs: entryDay * DAY,
    exitTimeMs: exitDay * DAY,
    entryPrice: 100,
    exitPrice: 100 * (1 + pnlPct / 100),
    amount: 1,
    pnl,
    pnlPct,
    fees: 0.5,
    exitReason: "signal",
  };
}

function daily(equity: number[], trades: ClosedTrade[] = [], closes = equity) {
  return computeMetrics({
    timesMs: equity.map((_, i) => i * DAY),
    equity,
    closes,
    trades,
    warmupCandles: 0,
  });
}

Deno.test("metrics of a flat curve without trades: zeros where defined, null where undefined", () => {
  const m = daily([100, 100, 100], [], [50, 60, 75]);
  const expected: Metrics = {
    startMs: 0,
    endMs: 2 * DAY,
    exposurePct: 0,
    equityFinal: 100,
    equityPeak: 100,
    feesPaid: 0,
    returnPct: 0,
    buyHoldReturnPct: 50,
    returnAnnPct: 0,
    volatilityAnnPct: 0,
    cagrPct: 0,
    sharpe: null,
    sortino: null,
    calmar: null,
    maxDrawdownPct: 0,
    avgDrawdownPct: null,
    maxDrawdownDurationMs: null,
    avgDrawdownDurationMs: null,
    trades: 0,
    winRatePct: null,
    bestTradePct: null,
    worstTradePct: null,
    avgTradePct: null,
    maxTradeDurationMs: null,
    avgTradeDurationMs: null,
    profitFactor: null,
    expectancyPct: null,
    sqn: null,
    kelly: null,
  };
  assert.deepEqual(m, expected);
  assert.ok(!JSON.stringify(m).includes("NaN"));
});

Deno.test("metrics of a hand-computed curve: returns, annualisation, drawdowns", () => {
  // Daily equity 100 → 110 → 99 → 121 → 110: daily returns +10 %, −10 %, +22.2 %, −9.09 %.
  const equity = [100, 110, 99, 121, 110];
  const m = daily(equity);
  const r = [0.1, -0.1, 121 / 99 - 1, 110 / 121 - 1];
  // Geometric mean over the 5 days (the first counts as 0): the product telescopes to 1.1.
  const g = 1.1 ** (1 / 5) - 1;
  const annual = (1 + g) ** 365 - 1;
  const mean = r.reduce((a, b) => a + b) / 4;
  const variance = r.reduce((a, b) => a + (b - mean) ** 2, 0) / 3;
  const volatility = Math.sqrt((variance + (1 + g) ** 2) ** 365 - (1 + g) ** 730);
  const downside = Math.sqrt((0.1 ** 2 + (110 / 121 - 1) ** 2) / 4) * Math.sqrt(365);
  near(m.returnPct, 10, "return");
  near(m.returnAnnPct, (1.1 ** 73 - 1) * 100, "annual return");
  near(m.returnAnnPct, annual * 100, "annual return from g");
  near(m.volatilityAnnPct, volatility * 100, "volatility");
  near(m.sharpe, annual / volatility, "sharpe");
  near(m.sortino, annual / downside, "sortino");
  near(m.cagrPct, (1.1 ** (365 / 4) - 1) * 100, "cagr over 4 days");
  // Drawdowns: 10 % from day 1 to day 3 (2 days), then 1 − 110/121 from day 3 to the end (1 day).
  near(m.maxDrawdownPct, -10, "max drawdown");
  near(m.avgDrawdownPct, -((0.1 + (1 - 110 / 121)) / 2) * 100, "avg drawdown");
  assert.equal(m.maxDrawdownDurationMs, 2 * DAY);
  assert.equal(m.avgDrawdownDurationMs, 1.5 * DAY);
  near(m.calmar, annual / 0.1, "calmar");
  assert.equal(m.equityPeak, 121);
  assert.equal(m.equityFinal, 110);
});

Deno.test("metrics of all-winning trades: profit factor and Kelly are undefined", () => {
  const t = tradeMetrics([trade(0, 1, 10, 10), trade(2, 5, 20, 20)]);
  assert.equal(t.trades, 2);
  assert.equal(t.winRatePct, 100);
  near(t.bestTradePct, 20, "best");
  near(t.worstTradePct, 10, "worst");
  near(t.avgTradePct, (Math.sqrt(1.1 * 1.2) - 1) * 100, "geometric mean trade");
  near(t.expectancyPct, 15, "expectancy");
  near(t.sqn, 3, "sqn = √2 × 15 / std(10, 20)");
  assert.equal(t.maxTradeDurationMs, 3 * DAY);
  assert.equal(t.avgTradeDurationMs, 2 * DAY);
  assert.equal(t.profitFactor, null);
  assert.equal(t.kelly, null);
});

Deno.test("metrics of all-losing trades: zero profit factor, undefined Kelly", () => {
  const t = tradeMetrics([trade(0, 1, -5, -5), trade(1, 2, -10, -10)]);
  assert.equal(t.winRatePct, 0);
  assert.equal(t.profitFactor, 0);
  near(t.sqn, -3, "sqn");
  near(t.avgTradePct, (Math.sqrt(0.95 * 0.9) - 1) * 100, "avg trade");
  assert.equal(t.kelly, null);
});

Deno.test("metrics of mixed trades: Kelly, profit factor, single-trade SQN", () => {
  const t = tradeMetrics([trade(0, 1, 100, 10), trade(1, 2, -50, -5)]);
  near(t.kelly, 0.5 - 0.5 / (100 / 50), "kelly");
  near(t.profitFactor, 2, "profit factor 0.10 / 0.05");
  assert.equal(tradeMetrics([trade(0, 1, 100, 10)]).sqn, null);
  assert.equal(tradeMetrics([trade(0, 1, -100, -100)]).avgTradePct, 0);
});

Deno.test("metrics count exposure from entry bar through exit bar and sum the fees", () => {
  const m = daily([100, 100, 101, 102, 101, 100, 100, 100, 100, 100], [
    trade(2, 4, 1, 1),
    trade(6, 6, 0, 0),
  ]);
  near(m.exposurePct, 40, "4 of 10 bars held");
  assert.equal(m.feesPaid, 1);
  assert.equal(m.trades, 2);
});

Deno.test("metrics start buy & hold after the warm-up", () => {
  const m = computeMetrics({
    timesMs: [0, DAY, 2 * DAY],
    equity: [1, 1, 1],
    closes: [10, 20, 30],
    trades: [],
    warmupCandles: 1,
  });
  near(m.buyHoldReturnPct, 50, "from 20 to 30");
});
