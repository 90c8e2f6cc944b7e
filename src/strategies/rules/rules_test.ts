import assert from "node:assert/strict";
import { Atr, type Candle } from "../../strategy_api.ts";
import { loadSampleCandles } from "../../../tests/support/sample_candles.ts";
import { runStrategy } from "../../../tests/support/run_strategy.ts";
import { FUNCTIONS, SERIES } from "./rule_functions.ts";
import { rulesDefinition } from "./rules.ts";

const HOUR_MS = 3_600_000;
const candles = loadSampleCandles("binance_BTC-USDT_1h.csv").slice(0, 3000);

function run(params: Record<string, unknown>, input: readonly Candle[] = candles) {
  const parsed = rulesDefinition.params.parse(params);
  assert.deepEqual(rulesDefinition.check(parsed), []);
  const strategy = rulesDefinition.create(parsed, { timeframe: "1h" });
  return { strategy, decisions: runStrategy(strategy, input, { timeframeMs: HOUR_MS }) };
}

function kinds(decisions: ReturnType<typeof run>["decisions"]): string[] {
  return decisions.map((d) => `${d.index}:${d.intents.map((i) => i.kind).join(",")}`);
}

Deno.test("rules crosses are strict, as sma_cross's: touching is not a cross", () => {
  // The series sma_cross_test.ts builds by hand: fast = SMA(2), slow = SMA(3).
  const closes = [10, 10, 10, 9, 11, 12, 5, 20, 5, 1, 20, 20, 20, 10, 10, 30, 5, 1];
  const input = closes.map((close, i): Candle => ({
    openTimeMs: i * HOUR_MS,
    open: close,
    high: close,
    low: close,
    close,
    volume: 1,
  }));
  const { decisions, strategy } = run({
    fast: 2,
    slow: 3,
    enter: "crosses_above(sma(close, fast), sma(close, slow))",
    exit: "crosses_below(sma(close, fast), sma(close, slow))",
  }, input);
  assert.deepEqual(kinds(decisions), ["7:enter", "9:exit", "10:enter", "17:exit"]);
  assert.equal(strategy.warmupCandles, 3);
});

Deno.test("rules evaluate enter only while flat and exit only while holding", () => {
  // Both always true: enter, filled next candle, exit there, filled the next, enter again.
  const { decisions } = run({ enter: "close > 0", exit: "close > 0" }, candles.slice(0, 7));
  assert.deepEqual(kinds(decisions), [
    "0:enter",
    "1:exit",
    "2:enter",
    "3:exit",
    "4:enter",
    "5:exit",
    "6:enter",
  ]);
}); // deno-fmt-ignore

Deno.test("rules bars_since_entry() counts candles held: 1 on the first, so >= 5 exits after five", () => {
  const { decisions } = run({ enter: "close > open", exit: "bars_since_entry() >= 5" });
  assert.ok(decisions.length > 100);
  for (let i = 0; i + 1 < decisions.length; i += 2) {
    assert.equal(decisions[i].intents[0].kind, "enter");
    assert.equal(decisions[i + 1].intents[0].kind, "exit");
    assert.equal(decisions[i + 1].index - decisions[i].index, 5);
  }
});

Deno.test("rules entry_price() and highest_since_entry() read the open position", () => {
  const { decisions } = run({
    enter: "crosses_above(ema(close, 5), ema(close, 20))",
    exit: "close < entry_price() * 0.98 or close < highest_since_entry() * 0.97",
  });
  const exits = decisions.filter((d) => d.intents[0].kind === "exit");
  assert.ok(exits.length > 10, `${exits.length} exits`);
  for (let i = 0; i + 1 < decisions.length; i += 2) {
    const entryIndex = decisions[i].index + 1, exitIndex = decisions[i + 1].index;
    const entryPrice = candles[entryIndex].open;
    const held = candles.slice(entryIndex, exitIndex + 1);
    const highest = Math.max(...held.map((c) => c.high));
    const close = candles[exitIndex].close;
    assert.ok(close < entryPrice * 0.98 || close < highest * 0.97, `exit at ${exitIndex}`);
    for (let j = entryIndex; j < exitIndex; j++) {
      const soFar = Math.max(...candles.slice(entryIndex, j + 1).map((c) => c.high));
      const c = candles[j].close;
      assert.ok(!(c < entryPrice * 0.98 || c < soFar * 0.97), `no exit signal earlier, at ${j}`);
    }
  }
});

Deno.test("rules stop and take_profit give each entry its exact prices; an unusable price is left out", () => {
  const { decisions } = run({
    enter: "crosses_above(close, sma(close, 20))",
    exit: "crosses_below(close, sma(close, 20))",
    stop: "lowest(low, 10)",
    take_profit: "close + 2 * atr(14)",
  });
  const atr = new Atr(14);
  const atrs = candles.map((candle) => atr.update(candle));
  const enters = decisions.filter((d) => d.intents[0].kind === "enter");
  assert.ok(enters.length > 20);
  for (const { index, intents: [intent] } of enters) {
    assert.equal(intent.kind, "enter");
    if (intent.kind !== "enter") continue;
    const lows = candles.slice(index - 9, index + 1).map((c) => c.low);
    assert.equal(intent.stopLossPrice, Math.min(...lows));
    assert.equal(intent.takeProfitPrice, candles[index].close + 2 * atrs[index]);
  }
  const { decisions: below } = run({
    enter: "close > open",
    exit: "close < open",
    stop: "close - 1e9",
  });
  const first = below.find((d) => d.intents[0].kind === "enter")!.intents[0];
  assert.deepEqual(Object.keys(first).sort(), ["kind", "reason"]);
});

Deno.test("rules decide nothing before the warm-up, derived or declared", () => {
  const derived = run({ enter: "sma(close, 50) > 0", exit: "close > 0" });
  assert.equal(derived.strategy.warmupCandles, 49);
  assert.equal(derived.decisions[0].index, 49);
  // `not` of a missing value is true, so without the warm-up this would enter at once.
  const negated = run({ enter: "not (close < sma(close, 50))", exit: "close > 0" });
  assert.ok(negated.decisions[0].index >= 49, `${negated.decisions[0].index}`);
  const declared = run({ enter: "close > 0", exit: "close > 0", warmup: 100 });
  assert.equal(declared.strategy.warmupCandles, 100);
  assert.equal(declared.decisions[0].index, 100);
});

Deno.test("rules name their intents after the rule, cut to fit a log line", () => {
  const { decisions } = run({
    enter: "close > open   and\n  volume > 0",
    exit: `close < open and ${"volume > 1 and ".repeat(6)}volume > 2`,
  });
  assert.equal(decisions[0].intents[0].reason, "enter rule: close > open and volume > 0");
  assert.equal(
    decisions[1].intents[0].reason,
    "exit rule: close < open and volume > 1 and volume > 1 and volume > 1 a…",
  );
});

Deno.test("rules create refuses params its check refuses", () => {
  const params = rulesDefinition.params.parse({ enter: "rsj(close, 2) > 1", exit: "close > 0" });
  assert.equal(rulesDefinition.check(params).length, 1);
  assert.throws(
    () => rulesDefinition.create(params, { timeframe: "1h" }),
    /Cannot create rules strategy: enter: column 1: unknown function "rsj"/,
  );
});

Deno.test("rules functions are each documented in docs/strategies.md's Rules in the YAML", async () => {
  const docs = await Deno.readTextFile(new URL("../../../docs/strategies.md", import.meta.url));
  const section = docs.slice(docs.indexOf("## Rules in the YAML"), docs.indexOf("## The sandbox"));
  for (const name of Object.keys(FUNCTIONS)) {
    assert.ok(section.includes(`\`${name}(`), `${name} is not in the table`);
  }
  for (const series of SERIES) assert.ok(section.includes(`\`${series}\``), series);
});
