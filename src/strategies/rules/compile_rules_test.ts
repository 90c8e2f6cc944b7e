import assert from "node:assert/strict";
import { compileRules } from "./compile_rules.ts";

const CROSS = {
  fast: 10,
  slow: 20,
  enter: "crosses_above(sma(close, fast), sma(close, slow))",
  exit: "crosses_below(sma(close, fast), sma(close, slow))",
};

/** `key: message` of each problem with `overrides` on top of the cross rule. */
function problems(overrides: Record<string, unknown>): string[] {
  return compileRules({ ...CROSS, ...overrides }).problems.map((p) => `${p.key}: ${p.message}`);
}

function compiled(params: Record<string, unknown>) {
  const { rules, problems } = compileRules(params);
  assert.deepEqual(problems, []);
  return rules!;
}

Deno.test("compileRules shares identical sub-expressions: one node per distinct computation", () => {
  // close, sma 10, sma 20 and one cross node behind both crosses_above and crosses_below.
  assert.equal(compiled(CROSS).nodeCount, 4);
  // A literal period equal to a param is the same SMA; a different period is not.
  const same = compiled({
    fast: 10,
    enter: "sma(close, fast) > sma(close, 10)",
    exit: "close < sma(close, 10)",
  });
  assert.equal(same.nodeCount, 4); // close, sma, >, <
  const apart = compiled({
    enter: "sma(close, 10) > sma(close, 11)",
    exit: "sma(close, 10) < sma(close, 11)",
  });
  assert.equal(apart.nodeCount, 5); // close, two SMAs, >, <
  // MACD's line and signal come from one MACD; the bands and stdev from one Bollinger node.
  const macd = compiled({
    enter: "crosses_above(macd_line(close, 12, 26, 9), macd_signal(close, 12, 26, 9))",
    exit: "macd_hist(close, 12, 26, 9) < 0 or close > bb_upper(close, 20, 2) + stdev(close, 20)",
  });
  // close, macd, cross, 0-compare, bb, upper, +, >, or
  assert.equal(macd.nodeCount, 9);
  // Constants fold: 2 * fast + 1 costs nothing per candle.
  assert.equal(
    compiled({ fast: 3, enter: "close > 2 * fast + 1", exit: "close < fast" }).nodeCount,
    3,
  );
}); // deno-fmt-ignore

Deno.test("compileRules derives the warm-up: indicator warm-ups along a path, prev depth, +1 per cross", () => {
  const cases: [string, number][] = [
    ["close > open", 0],
    ["sma(close, 20) > close", 19],
    ["crosses_above(sma(close, 10), sma(close, 20))", 20],
    ["rsi(close, 14) < 30", 14],
    ["sma(rsi(close, 14), 5) < 30", 18],
    ["prev(rsi(close, 14), 3) < 30", 17],
    ["prev(close > open, 2)", 2],
    ["crosses_above(close, prev(highest(high, 20), 1))", 21],
    ["macd_hist(close, 12, 26, 9) > 0", 33],
    ["crosses_above(macd_line(close, 12, 26, 9), macd_signal(close, 12, 26, 9))", 34],
    ["atr(14) > 100 and vwap(20) > close", 19],
    ["stoch_d(14, 3, 3) < 20", 17],
    ["stoch_k(14, 1, 3) < 20", 13],
    ["ema(ema(close, 10), 10) > 0", 18],
  ];
  for (const [enter, warmup] of cases) {
    const rules = compiled({ enter, exit: "close < open" });
    assert.equal(rules.derivedWarmup, warmup, enter);
    assert.equal(rules.warmupCandles, warmup);
  }
  const withStop = compiled({ enter: "close > open", exit: "close < open", stop: "lowest(low, 50)" });
  assert.equal(withStop.derivedWarmup, 49, "stop counts too");
});

Deno.test("compileRules takes a longer declared warm-up and refuses a shorter one", () => {
  assert.equal(compiled({ ...CROSS, warmup: 200 }).warmupCandles, 200);
  assert.equal(compiled({ ...CROSS, warmup: null }).warmupCandles, 20);
  assert.deepEqual(problems({ warmup: 5 }), [
    "warmup: must be at least 20, the warm-up the expressions need (got 5); leave it null to use that",
  ]);
});

Deno.test("compileRules refuses type and name errors at their column, with did-you-mean", () => {
  const cases: [Record<string, unknown>, string][] = [
    [
      { enter: "rsj(close, 14) < 30" },
      'enter: column 1: unknown function "rsj" (did you mean "rsi"?)',
    ],
    [
      { enter: "close > smaa(close, slow)" },
      'enter: column 9: unknown function "smaa" (did you mean "sma"?)',
    ],
    [
      { enter: "frobnicate(1) > 0" },
      'enter: column 1: unknown function "frobnicate"; the functions are abs, atr, bars_since_entry, bb_lower, bb_middle, bb_upper, change, crosses_above, crosses_below, ema, entry_price, highest, highest_since_entry, log, lowest, macd_hist, macd_line, macd_signal, max, min, prev, roc, rsi, sma, sqrt, stdev, stoch_d, stoch_k, vwap',
    ],
    [
      { enter: "sma(close, slwo) > close" },
      'enter: column 12: unknown name "slwo" (did you mean "slow"?)',
    ],
    [{ enter: "clsoe > fast" }, 'enter: column 1: unknown name "clsoe" (did you mean "close"?)'],
    [
      { enter: "close > level" },
      'enter: column 9: unknown name "level"; use a number, a series (open, high, low, close, volume), or a param (fast, slow) or add it under strategy.params',
    ],
    [{ enter: "close(1) > 0" }, 'enter: column 1: "close" is a series, not a function'],
    [{ enter: "fast(1) > slow" }, 'enter: column 1: "fast" is a param, not a function'],
    [{ enter: "rsi > fast + slow" }, 'enter: column 1: "rsi" is a function; call it as rsi(x, n)'],
    [
      { enter: "true and close > fast + slow" },
      "enter: column 1: there is no true; write a comparison such as close > open",
    ],
    [
      { enter: "sma(close > open, fast) > slow" },
      "enter: column 5: sma's x must be a number; this is a condition (true/false)",
    ],
    [{ enter: "sma(close) > fast + slow" }, "enter: column 1: sma takes 2 arguments (x, n), got 1"],
    [{ enter: "atr(14, 2) > fast + slow" }, "enter: column 1: atr takes 1 argument (n), got 2"],
    [
      { exit: "bars_since_entry(1) > 0" },
      "exit: column 1: bars_since_entry takes no arguments, got 1",
    ],
    [
      { enter: "max(close) > fast + slow" },
      "enter: column 1: max takes two or more numbers, got 1",
    ],
    [
      { enter: "close + (open > fast) > slow" },
      'enter: column 9: "+" needs numbers on both sides; the right side is a condition (true/false)',
    ],
    [
      { enter: "close and open > fast + slow" },
      '"and" needs conditions on both sides; the left side is a number (compare it, e.g. x > 0)',
    ],
    [{ enter: "not close" }, 'enter: column 5: "not" needs a condition; this is a number'],
    [
      { enter: "-(close > fast + slow)" },
      'enter: column 2: "-" needs a number; this is a condition (true/false)',
    ],
    [
      { enter: "(close > open) == fast + slow" },
      'enter: column 16: "==" compares two numbers or two conditions; the left side is a condition (true/false) and the right side a number',
    ],
    [
      { enter: "sma(close, fast) - sma(close, slow)" },
      'enter: column 1: enter must be a condition (true/false), but this is a number; compare it, e.g. "... > 0"',
    ],
    [
      { stop: "close < low" },
      "stop: column 1: stop must be a price (a number), but this is a condition (true/false)",
    ],
    [
      { enter: "sma(close, 0) > fast + slow" },
      "enter: column 12: the period n of sma must be a whole number of candles from 1 to 10000 (got 0)",
    ],
    [
      { enter: "sma(close, 100000) > fast + slow" },
      "enter: column 12: the period n of sma must be a whole number of candles from 1 to 10000 (got 100000)",
    ],
    [
      { enter: "sma(close, 2.5) > fast + slow" },
      "enter: column 12: the period n of sma must be a whole number of candles from 1 to 10000 (got 2.5)",
    ],
    [
      { enter: "sma(close, -3) > fast + slow" },
      "enter: column 12: the period n of sma must be a whole number of candles from 1 to 10000 (got -3)",
    ],
    [
      { fast: 0, exit: "close < open" },
      "enter: column 26: the period n of sma must be a whole number of candles from 1 to 10000 (got fast = 0)",
    ],
    [
      { enter: "sma(close, fast * 2) > slow" },
      "enter: column 12: the period n of sma must be a number or a param name, not an expression",
    ],
    [
      { enter: "sma(close, volume) > fast + slow" },
      "enter: column 12: the period n of sma must be a number or a param name, not the series volume",
    ],
    [
      { enter: "close > bb_upper(close, fast, 0) + slow" },
      "enter: column 31: the multiplier k of bb_upper must be greater than 0 (got 0)",
    ],
    [
      { enter: "macd_line(close, slow, fast, 9) > 0" },
      "enter: column 24: macd_line: slow (10) must be greater than fast (20)",
    ],
    [{ enter: "close > 1e999 + fast + slow" }, "enter: column 9: this number is too large"],
    [
      { enter: "close < entry_price() + fast + slow" },
      "enter: column 9: entry_price() has no value while flat, and enter is checked only while flat; use it in exit",
    ],
    [
      { stop: "entry_price() * 0.9" },
      "stop: column 1: entry_price() has no value while flat, and stop is computed at the entry signal, while still flat; use it in exit",
    ],
    [
      { exit: "sma(close - entry_price(), fast) > slow" },
      "exit: column 13: entry_price() cannot be used inside sma(): that keeps a history of every candle, but a position exists only while holding",
    ],
  ];
  for (const [overrides, expected] of cases) {
    const found = problems(overrides);
    assert.equal(found.length, 1, `${JSON.stringify(overrides)}: ${found.join(" | ")}`);
    assert.ok(found[0].endsWith(expected), `${found[0]}\n  expected ${expected}`);
  }
}); // deno-fmt-ignore

Deno.test("compileRules refuses param names that shadow a series, a function or a keyword, and unused params", () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ close: 5 }, 'close: shadows the series "close" in the expressions; rename the param'],
    [{ rsi: 14 }, 'rsi: shadows the function "rsi" in the expressions; rename the param'],
    [{ and: 1 }, 'and: "and" is a keyword; rename the param'],
    [{ "fast-ma": 3 }, "fast-ma: is not a usable name: start with a letter or _, then letters, digits or _"],
    [{ fsat: 3 }, "fsat: is not used by enter, exit, stop or take_profit"],
    [{ take_proft: "close * 1.1" }, 'take_proft: unknown key; did you mean "take_profit"? (a named param is a number)'],
    [{ fast: "10" }, 'fast: must be a number (got "10"); only enter, exit, stop and take_profit hold expressions'],
    [{ fast: true }, "fast: must be a number (got true)"],
    [{ fast: Infinity }, "fast: must be a number (got Infinity)"],
  ];
  for (const [extra, expected] of cases) assert.deepEqual(problems(extra), [expected]);
  // An expression that fails reports its own problem, not the params it would have used.
  assert.deepEqual(problems({ enter: "rsj(close, 3) < 1" }), [
    'enter: column 1: unknown function "rsj" (did you mean "rsi"?)',
  ]);
}); // deno-fmt-ignore

Deno.test("compileRules reports every failing expression, each under its own key", () => {
  assert.deepEqual(problems({ enter: "close >", exit: "close <", take_profit: "close * 1.1" }), [
    'enter: column 8: the expression ends too soon; expected a number, a name, a function call or "("',
    'exit: column 8: the expression ends too soon; expected a number, a name, a function call or "("',
  ]);
});
