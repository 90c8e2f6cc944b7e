/** Bad instance configs, through check_config, backtest and the shared loader. */
import type { BadInputCase } from "./run_bad_input.ts";

/** A minimal valid config that cases break one key at a time. */
export const VALID = "exchange: binance\nsymbol: BTC/USDT\ntimeframe: 1h\nstrategy:\n  name: rsi\n";
const enc = (s: string) => new TextEncoder().encode(s);

/** A config case for check_config. */
function config(name: string, yaml: string | Uint8Array, stderr: RegExp): BadInputCase {
  return { name, task: "check_config", args: ["c.yaml"], files: { "c.yaml": yaml }, stderr };
}

/** Instance configs (check_config, and backtest for the same loader behind a DB). */
export const CONFIG_CASES: BadInputCase[] = [
  config(
    "unknown key",
    `${VALID}risk:\n  stop_loss_pc: 2\n`,
    /"c\.yaml": line 7: risk\.stop_loss_pc: .*did you mean/,
  ),
  config(
    "out of bounds",
    `${VALID}risk:\n  stop_loss_pct: 150\n`,
    /"c\.yaml": line 7: risk\.stop_loss_pct: must be between 0 and 100 \(got 150\)/,
  ),
  config(
    "wrong type",
    VALID.replace("timeframe: 1h", "timeframe: 5"),
    /"c\.yaml": line 3: timeframe: /,
  ),
  config("unknown timeframe", VALID.replace("1h", "7m"), /"c\.yaml": line 3: timeframe: .*7m/),
  config("unknown strategy", VALID.replace("rsi", "rsx"), /"c\.yaml": line 5: strategy\.name: /),
  config(
    "strategy param out of bounds",
    `${VALID}  params:\n    period: 0\n`,
    /"c\.yaml": line 7: strategy\.params\.period: /,
  ),
  config(
    "unknown strategy param",
    `${VALID}  params:\n    perod: 14\n`,
    /"c\.yaml": line 7: strategy\.params\.perod: .*period/,
  ),
  config("YAML syntax", `${VALID}risk: [1, 2\n`, /"c\.yaml": line \d+: /),
  config("tab indentation", `${VALID}risk:\n\tstop_loss_pct: 2\n`, /"c\.yaml": line 7: /),
  config(
    "duplicate key",
    `${VALID}symbol: ETH/USDT\n`,
    /"c\.yaml": line 6: duplicate key "symbol"/,
  ),
  config("empty file", "", /"c\.yaml": /),
  config("not UTF-8", new Uint8Array([...enc(VALID), 0xff, 0xfe, 0x0a]), /"c\.yaml": .*UTF-8/),
  config("bad name", `name: BTC Bot!\n${VALID}`, /"c\.yaml": line 1: name: /),
  config("bad mode", `${VALID}mode: real\n`, /"c\.yaml": line 6: mode: /),
  config("missing symbol", VALID.replace("symbol: BTC/USDT\n", ""), /"c\.yaml": .*symbol: /),
  config(
    "symbol without quote",
    VALID.replace("BTC/USDT", "BTCUSDT"),
    /"c\.yaml": line 2: symbol: /,
  ),
  config("list at the root", "- exchange: binance\n", /"c\.yaml": line 1: /),
  config(
    "backtest.from not a date",
    `${VALID}backtest:\n  from: yesterday\n`,
    /"c\.yaml": line 7: backtest\.from: /,
  ),
  config(
    "negative balance",
    `${VALID}account:\n  balance: -5\n`,
    /"c\.yaml": line 7: account\.balance: /,
  ),
  {
    name: "config is a directory",
    task: "check_config",
    args: ["conf.yaml"],
    files: { "conf.yaml/": "" },
    stderr: /"conf\.yaml": .*directory/,
  },
  {
    name: "backtest with a bad config",
    task: "backtest",
    args: ["--config", "c.yaml"],
    files: { "c.yaml": `${VALID}risk:\n  take_profit_pct: -1\n` },
    stderr: /"c\.yaml": line 7: risk\.take_profit_pct: /,
  },
];
