import assert from "node:assert/strict";
import { toColumns } from "../backtest/run_backtest.ts";
import type { EngineDecision } from "../core/engine_types.ts";
import { InputError } from "../core/errors.ts";
import type { Strategy } from "../core/ports.ts";
import { enterOnce, exitOnce, NO_INTENTS, Sma } from "../strategy_api.ts";
import { loadSampleCandles } from "../../tests/support/sample_candles.ts";
import type { StrategyCheck } from "./check_report.ts";
import { runSignalJobs } from "./signal_stream.ts";
import {
  type BacktestTrace,
  type CheckRuns,
  checkStrategyRuns,
  planChecks,
  repeatJobs,
  signalJobs,
} from "./strategy_checks.ts";

const CANDLES = toColumns(loadSampleCandles("binance_BTC-USDT_1h.csv").slice(0, 3000));
const ENTER = enterOnce("above");
const EXIT = exitOnce("below");
const NO_BACKTEST: BacktestTrace = { decisions: [], error: null };

/** Enters while close > SMA(period) and exits below it; declares `warmupCandles`. */
function aboveSma(period: number, warmupCandles: number): Strategy {
  const sma = new Sma(period);
  return {
    name: "above_sma",
    warmupCandles,
    onCandle(candle, context) {
      const average = sma.update(candle.close);
      if (context.position === null) return candle.close > average ? ENTER : NO_INTENTS;
      return candle.close < average ? EXIT : NO_INTENTS;
    },
  };
}

/** Runs `create` in this thread the way the task does, with two empty backtests by default. */
function runsOf(create: () => Strategy, backtests = [NO_BACKTEST, NO_BACKTEST]): CheckRuns {
  const plan = planChecks(CANDLES.length, create().warmupCandles);
  const options = { timeframe: "1h", symbol: "BTC/USDT" };
  return {
    plan,
    openTimeMs: CANDLES.openTimeMs,
    streams: runSignalJobs(create, CANDLES, { ...options, jobs: signalJobs(plan) }),
    repeat: runSignalJobs(create, CANDLES, { ...options, jobs: repeatJobs(plan) }),
    backtests: [backtests[0], backtests[1]],
  };
}

function byName(checks: StrategyCheck[]) {
  const [determinism, warmup, lookahead, exceptions] = checks;
  assert.equal(determinism.check, "determinism");
  assert.equal(warmup.check, "warmup");
  assert.equal(lookahead.check, "lookahead");
  assert.equal(exceptions.check, "exceptions");
  return { determinism, warmup, lookahead, exceptions };
}

Deno.test("planChecks spreads five starts and three prefix ends over the candles", () => {
  const plan = planChecks(1200, 50);
  assert.deepEqual(plan.offsets, [191, 383, 575, 766, 958]);
  assert.deepEqual(plan.prefixEnds, [300, 600, 900]);
  assert.deepEqual(signalJobs(plan).slice(0, 4), [
    { start: 0, end: 1200, holding: false },
    { start: 0, end: 1200, holding: true },
    { start: 191, end: 1200, holding: false },
    { start: 191, end: 1200, holding: true },
  ]);
  assert.equal(signalJobs(plan).length, 18);
  assert.deepEqual(repeatJobs(plan), signalJobs(plan).slice(0, 2));
});

Deno.test("planChecks refuses too few candles for the warm-up", () => {
  assert.throws(() => planChecks(40, 50), InputError);
  assert.throws(() => planChecks(0, 0), /0 candles are too few/);
  assert.deepEqual(planChecks(3, 0).offsets, [1, 2]);
});

Deno.test("checkStrategyRuns passes a strategy with an honest warm-up", () => {
  const checks = checkStrategyRuns(runsOf(() => aboveSma(50, 49)));
  assert.deepEqual(checks.map((check) => check.status), ["pass", "pass", "pass", "pass"]);
  const { warmup } = byName(checks);
  assert.equal(warmup.check === "warmup" && warmup.suggestedCandles, 49);
});

Deno.test("checkStrategyRuns fails a warm-up declared too short and suggests the real one", () => {
  const runs = runsOf(() => aboveSma(50, 5));
  const { warmup, determinism, lookahead } = byName(checkStrategyRuns(runs));
  assert.equal(determinism.status, "pass");
  assert.equal(lookahead.status, "pass");
  assert.equal(warmup.status, "fail");
  if (warmup.check !== "warmup") return;
  assert.equal(warmup.suggestedCandles, 49);
  const start = runs.plan.offsets[0];
  assert.ok(warmup.firstDifferenceMs! >= CANDLES.openTimeMs[start + 5]);
  assert.ok(warmup.firstDifferenceMs! <= CANDLES.openTimeMs[start + 48]);
  assert.ok(warmup.offsets.every((offset) => offset.settles && offset.neededCandles === 49));
});

Deno.test("checkStrategyRuns says when later starts never agree", () => {
  // Counts candles since its own first one: no warm-up makes a later start agree.
  const counter = (): Strategy => {
    let seen = 0;
    return {
      name: "counter",
      warmupCandles: 0,
      onCandle: () => (++seen % 7 === 0 ? ENTER : NO_INTENTS),
    };
  };
  const { warmup } = byName(checkStrategyRuns(runsOf(counter)));
  assert.equal(warmup.status, "fail");
  assert.equal(warmup.check === "warmup" && warmup.suggestedCandles, null);
});

Deno.test("checkStrategyRuns fails determinism on Math.random() and skips the comparisons", () => {
  const coin = (): Strategy => ({
    name: "coin",
    warmupCandles: 0,
    onCandle: () => (Math.random() < 0.1 ? ENTER : NO_INTENTS),
  });
  const checks = checkStrategyRuns(runsOf(coin));
  assert.deepEqual(checks.map((check) => check.status), ["fail", "skip", "skip", "pass"]);
  assert.ok(byName(checks).determinism.firstDifferenceMs !== null);
});

Deno.test("checkStrategyRuns fails determinism when the two backtests decide differently", () => {
  const decision = (candleTimeMs: number): EngineDecision => ({
    candleTimeMs,
    intent: { kind: "enter", reason: "x" },
    decision: { verdict: "accept", baseAmount: 0.01, reason: "ok" },
  });
  const t = CANDLES.openTimeMs;
  const a = { decisions: [decision(t[5]), decision(t[9])], error: null };
  const b = { decisions: [decision(t[5]), decision(t[11])], error: null };
  const { determinism } = byName(checkStrategyRuns(runsOf(() => aboveSma(50, 49), [a, b])));
  assert.equal(determinism.status, "fail");
  assert.equal(determinism.firstDifferenceMs, t[9]);
});

Deno.test("checkStrategyRuns fails the prefix check when a run depends on runs made before it", () => {
  // State shared by every instance: later runs see what earlier ones were handed.
  let highest = -Infinity;
  const leaky = (): Strategy => ({
    name: "leaky",
    warmupCandles: 0,
    onCandle(candle) {
      const enter = candle.close >= highest;
      highest = Math.max(highest, candle.close);
      return enter ? ENTER : NO_INTENTS;
    },
  });
  const runs = runsOf(leaky);
  // The repeat ran with the state left over too; give it the first run's full streams so that
  // only the prefix and warm-up runs show the leak.
  const { lookahead } = byName(checkStrategyRuns({ ...runs, repeat: runs.streams.slice(0, 2) }));
  assert.equal(lookahead.status, "fail");
  assert.ok(lookahead.firstDifferenceMs !== null);
});

Deno.test("checkStrategyRuns lists each candle a strategy threw on once, oldest first", () => {
  const at = [CANDLES.openTimeMs[2500], CANDLES.openTimeMs[1200]];
  const thrower = (): Strategy => ({
    name: "thrower",
    warmupCandles: 0,
    onCandle(candle) {
      if (at.includes(candle.openTimeMs)) throw new Error("boom");
      return NO_INTENTS;
    },
  });
  const backtest = { decisions: [], error: { candleTimeMs: at[1], message: "in backtest" } };
  const { exceptions } = byName(checkStrategyRuns(runsOf(thrower, [backtest, backtest])));
  assert.equal(exceptions.status, "fail");
  if (exceptions.check !== "exceptions") return;
  assert.deepEqual(exceptions.exceptions.map((e) => e.candleTimeMs), [at[1], at[0]]);
  assert.match(exceptions.exceptions[0].message, /threw on candle .*: Error: boom/);
});
