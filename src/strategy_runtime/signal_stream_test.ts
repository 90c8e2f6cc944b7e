import assert from "node:assert/strict";
import { toColumns } from "../backtest/run_backtest.ts";
import type { Strategy, StrategyContext } from "../core/ports.ts";
import type { Candle, OrderIntent } from "../core/types.ts";
import { enterOnce, exitOnce, NO_INTENTS } from "../strategy_api.ts";
import { loadSampleCandles } from "../../tests/support/sample_candles.ts";
import { heldPosition, runSignalJobs, runSignalStream } from "./signal_stream.ts";

const HOUR_MS = 3_600_000;
const CANDLES = toColumns(loadSampleCandles("binance_BTC-USDT_1h.csv").slice(0, 200));
const ENTER = enterOnce("up");
const EXIT = exitOnce("down");

/** Enters on a green candle while flat, exits on a red one while holding; records its inputs. */
function recorder(seen: { candle: Candle; context: StrategyContext }[]): Strategy {
  return {
    name: "recorder",
    warmupCandles: 0,
    onCandle(candle, context): readonly OrderIntent[] {
      seen.push({ candle, context });
      if (context.position === null) return candle.close > candle.open ? ENTER : NO_INTENTS;
      return candle.close < candle.open ? EXIT : NO_INTENTS;
    },
  };
}

Deno.test("runSignalStream feeds the job's candles with a fixed context and keeps non-empty answers", () => {
  const seen: { candle: Candle; context: StrategyContext }[] = [];
  const position = heldPosition(CANDLES, "BTC/USDT");
  const job = { start: 10, end: 50, holding: false };
  const stream = runSignalStream(recorder(seen), CANDLES, { job, timeframeMs: HOUR_MS, position });
  assert.deepEqual(seen.map(({ candle }) => candle.openTimeMs), [
    ...CANDLES.openTimeMs.slice(10, 50),
  ]);
  assert.ok(seen.every(({ context }) => context.position === null));
  assert.ok(
    seen.every(({ candle, context }) => context.closeTimeMs === candle.openTimeMs + HOUR_MS),
  );
  assert.ok(seen.every(({ candle }) => Object.isFrozen(candle)));
  const green = [];
  for (let i = 10; i < 50; i++) if (CANDLES.close[i] > CANDLES.open[i]) green.push(i);
  assert.deepEqual(stream.signals.map(([index]) => index), green);
  assert.deepEqual(JSON.parse(stream.signals[0][1]), [{ kind: "enter", reason: "up" }]);
  assert.deepEqual({ ...stream, signals: [] }, { ...job, signals: [], error: null });
});

Deno.test("runSignalStream hands holding runs the same position, bought at the first candle's open", () => {
  const seen: { candle: Candle; context: StrategyContext }[] = [];
  const position = heldPosition(CANDLES, "BTC/USDT");
  const job = { start: 100, end: 120, holding: true };
  const stream = runSignalStream(recorder(seen), CANDLES, { job, timeframeMs: HOUR_MS, position });
  assert.ok(seen.every(({ context }) => context.position === position));
  assert.equal(position.entryTimeMs, CANDLES.openTimeMs[0]);
  assert.equal(position.entryPrice, CANDLES.open[0]);
  assert.ok(stream.signals.every(([, json]) => json === JSON.stringify(EXIT)));
});

Deno.test("runSignalStream ends the stream at a throw and records its candle", () => {
  const boom: Strategy = {
    name: "boom",
    warmupCandles: 0,
    onCandle(candle) {
      if (candle.openTimeMs === CANDLES.openTimeMs[30]) throw new RangeError("too far");
      return ENTER;
    },
  };
  const job = { start: 0, end: 100, holding: false };
  const position = heldPosition(CANDLES, "BTC/USDT");
  const stream = runSignalStream(boom, CANDLES, { job, timeframeMs: HOUR_MS, position });
  assert.equal(stream.signals.length, 30);
  assert.equal(stream.error?.index, 30);
  assert.equal(stream.error?.candleTimeMs, CANDLES.openTimeMs[30]);
  const at = new Date(CANDLES.openTimeMs[30]).toISOString();
  assert.equal(stream.error?.message, `strategy boom threw on candle ${at}: RangeError: too far`);
});

Deno.test("runSignalJobs makes a fresh instance per job, in job order", () => {
  let made = 0;
  const jobs = [
    { start: 0, end: 20, holding: false },
    { start: 5, end: 20, holding: true },
  ];
  const streams = runSignalJobs(
    () => {
      made++;
      return recorder([]);
    },
    CANDLES,
    { jobs, timeframe: "1h", symbol: "BTC/USDT" },
  );
  assert.equal(made, 2);
  assert.deepEqual(streams.map(({ start, holding }) => [start, holding]), [[0, false], [5, true]]);
});
