/**
 * Bad `rules` strategies, through the real backtest task: each is refused before any candle with
 * one line naming the file, the line of the expression, the column inside it and what is wrong.
 */
import type { BadInputCase } from "./run_bad_input.ts";

const HEAD = "exchange: binance\nsymbol: BTC/USDT\ntimeframe: 1h\nstrategy:\n  name: rules\n";
const ENTER = "crosses_above(sma(close, fast), sma(close, slow))";
const EXIT = "crosses_below(sma(close, fast), sma(close, slow))";

/** A rules config with fast/slow on lines 7–8, enter on line 9 and exit on line 10. */
function rules(options: { enter?: string; exit?: string; extra?: string } = {}): string {
  const { enter = ENTER, exit = EXIT, extra = "" } = options;
  return `${HEAD}  params:\n    fast: 10\n    slow: 20\n    enter: ${enter}\n    exit: ${exit}\n` +
    extra;
}

/** A backtest of `yaml` that must be refused with a message matching `stderr`. */
function backtest(name: string, yaml: string, stderr: RegExp, args: string[] = []): BadInputCase {
  return {
    name: `rules: ${name}`,
    task: "backtest",
    args: ["--config", "c.yaml", ...args],
    files: { "c.yaml": yaml },
    stderr,
  };
}

const q = (text: string) => JSON.stringify(text);
const AT = String.raw`^Cannot load config "c\.yaml": line`;

/** Rules configs. */
export const RULES_CASES: BadInputCase[] = [
  backtest(
    "unknown function",
    rules({ enter: q("high > 1 and rsj(close, fast) < slow") }),
    new RegExp(
      `${AT} 9: strategy\\.params\\.enter: column 14: unknown function "rsj" \\(did you mean "rsi"\\?\\)$`,
    ),
  ),
  backtest(
    "unknown param",
    rules({ enter: q("sma(close, fast) > sma(close, slwo)") }),
    new RegExp(
      `${AT} 9: strategy\\.params\\.enter: column 31: unknown name "slwo" \\(did you mean "slow"\\?\\)$`,
    ),
  ),
  backtest(
    "unbalanced parentheses",
    rules({ exit: q("crosses_below(sma(close, fast), sma(close, slow)") }),
    new RegExp(
      `${AT} 10: strategy\\.params\\.exit: column 14: unbalanced parentheses: this "\\(" is never closed$`,
    ),
  ),
  backtest(
    "a closing parenthesis too many",
    rules({ enter: q("sma(close, fast)) > sma(close, slow)") }),
    new RegExp(
      `${AT} 9: strategy\\.params\\.enter: column 17: unbalanced parentheses: this "\\)" closes nothing$`,
    ),
  ),
  backtest(
    "empty expression",
    rules({ exit: q("  ") }),
    new RegExp(`${AT} 10: strategy\\.params\\.exit: column 1: the expression is empty`),
  ),
  backtest(
    "missing exit",
    `${HEAD}  params:\n    enter: close > open\n`,
    /^Cannot load config "c\.yaml": line 6: strategy\.params\.exit: is required$/,
  ),
  backtest(
    "param shadows a series",
    rules({ extra: "    close: 5\n" }),
    new RegExp(
      `${AT} 11: strategy\\.params\\.close: shadows the series "close" in the expressions; rename the param$`,
    ),
  ),
  backtest(
    "param shadows a function",
    rules({ extra: "    ema: 5\n" }),
    new RegExp(`${AT} 11: strategy\\.params\\.ema: shadows the function "ema" in the expressions`),
  ),
  backtest(
    "misspelt expression key",
    rules({ extra: "    take_proft: close * 1.02\n" }),
    new RegExp(
      `${AT} 11: strategy\\.params\\.take_proft: unknown key; did you mean "take_profit"\\? \\(a named param is a number\\)$`,
    ),
  ),
  backtest(
    "param not used",
    rules({ extra: "    fsat: 5\n" }),
    new RegExp(
      `${AT} 11: strategy\\.params\\.fsat: is not used by enter, exit, stop or take_profit$`,
    ),
  ),
  backtest(
    "literal period 0",
    rules({ enter: q("sma(close, 0) > sma(close, slow) + fast") }),
    new RegExp(
      `${AT} 9: strategy\\.params\\.enter: column 12: the period n of sma must be a whole number of candles from 1 to 10000 \\(got 0\\)$`,
    ),
  ),
  backtest(
    "literal period 100000",
    rules({ enter: q("rsi(close, 100000) < fast + slow") }),
    new RegExp(
      `${AT} 9: strategy\\.params\\.enter: column 12: the period n of rsi must be a whole number of candles from 1 to 10000 \\(got 100000\\)$`,
    ),
  ),
  backtest(
    "param period not a whole number",
    rules({ extra: "" }).replace("fast: 10", "fast: 2.5"),
    new RegExp(
      `${AT} 9: strategy\\.params\\.enter: column 26: the period n of sma must be a whole number of candles from 1 to 10000 \\(got fast = 2\\.5\\) \\(and 1 more\\)$`,
    ),
  ),
  backtest(
    "period written as an expression",
    rules({ enter: q("sma(close, fast * 2) > sma(close, slow)") }),
    new RegExp(
      `${AT} 9: strategy\\.params\\.enter: column 12: the period n of sma must be a number or a param name, not an expression$`,
    ),
  ),
  backtest(
    "condition where a number is needed",
    rules({ enter: q("sma(close > open, fast) > slow") }),
    new RegExp(
      `${AT} 9: strategy\\.params\\.enter: column 5: sma's x must be a number; this is a condition \\(true/false\\)$`,
    ),
  ),
  backtest(
    "number where a condition is needed",
    rules({ enter: q("sma(close, fast) - sma(close, slow)") }),
    new RegExp(
      `${AT} 9: strategy\\.params\\.enter: column 1: enter must be a condition \\(true/false\\), but this is a number`,
    ),
  ),
  backtest(
    "wrong arity",
    rules({ enter: q("rsi(close) < fast + slow") }),
    new RegExp(
      `${AT} 9: strategy\\.params\\.enter: column 1: rsi takes 2 arguments \\(x, n\\), got 1$`,
    ),
  ),
  backtest(
    "&& instead of and",
    rules({ enter: q("close > fast && close > slow") }),
    new RegExp(
      `${AT} 9: strategy\\.params\\.enter: column 14: unexpected "&&": use "and" instead of "&&"$`,
    ),
  ),
  backtest(
    "entry_price in enter",
    rules({ enter: q("close < entry_price() + fast + slow") }),
    new RegExp(
      `${AT} 9: strategy\\.params\\.enter: column 9: entry_price\\(\\) has no value while flat`,
    ),
  ),
  backtest(
    "expression longer than 2000 characters",
    rules({ enter: q(`close > fast + slow${" + 1".repeat(500)}`) }),
    new RegExp(
      `${AT} 9: strategy\\.params\\.enter: column 2001: the expression is 2019 characters long; the limit is 2000$`,
    ),
  ),
  backtest(
    "warm-up shorter than the rules need",
    rules({ extra: "    warmup: 5\n" }),
    new RegExp(
      `${AT} 11: strategy\\.params\\.warmup: must be at least 20, the warm-up the expressions need \\(got 5\\)`,
    ),
  ),
  backtest(
    "error on the second line of a block expression",
    rules({
      enter: ">-\n      crosses_above(sma(close, fast), sma(close, slow))\n      and volme > 0",
    }),
    new RegExp(
      `${AT} 9: strategy\\.params\\.enter: column 55: unknown name "volme" \\(did you mean "volume"\\?\\)$`,
    ),
  ),
  backtest(
    "bad expression from --set",
    rules(),
    /^Cannot load config "c\.yaml": --set strategy\.params\.exit=rsj\(close, 14\) > 70: strategy\.params\.exit: column 1: unknown function "rsj" \(did you mean "rsi"\?\)$/,
    ["--set", "strategy.params.exit=rsj(close, 14) > 70"],
  ),
]; // deno-fmt-ignore
