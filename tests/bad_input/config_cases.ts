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
  config(
    "timeframe the exchange lacks",
    VALID.replace("binance", "coinbase").replace("BTC/USDT", "BTC/USD").replace("1h", "4h"),
    /^Cannot load config "c\.yaml": line 3: timeframe: coinbase does not offer 4h candles; it offers 1m 5m 15m 30m 1h 2h 6h 1d$/,
  ),
  config(
    "exchange CCXT does not know",
    VALID.replace("binance", "binanse"),
    /^Cannot load config "c\.yaml": line 1: exchange: binanse is not a CCXT exchange id; did you mean binance/,
  ),
  config(
    "sandbox on an exchange without a testnet",
    `${VALID.replace("binance", "kraken").replace("BTC/USDT", "BTC/USD")}sandbox: true\n`,
    /^Cannot load config "c\.yaml": line 6: sandbox: kraken has no testnet in CCXT; set sandbox: false/,
  ),
  config(
    "stop on the exchange where there are no stop-market orders",
    `${
      VALID.replace("binance", "coinbase").replace("BTC/USDT", "BTC/USD")
    }risk:\n  stop_on_exchange: true\n`,
    /^Cannot load config "c\.yaml": line 7: risk\.stop_on_exchange: coinbase has no stop-market orders .*set risk\.stop_on_exchange: false and the trader watches the stop itself$/,
  ),
  config(
    "symbol not among the cached markets",
    VALID.replace("BTC/USDT", "BTC/USDX"),
    /^Cannot load config "c\.yaml": line 2: symbol: BTC\/USDX is not one of the 2 markets on binance; did you mean BTC\/USDT\?$/,
  ),
  config(
    "stake under the minimum notional",
    `${VALID}risk:\n  stake_amount: 1\n`,
    /^Cannot load config "c\.yaml": line 7: risk\.stake_amount: 1 USDT is below the minimum order of 5 USDT for BTC\/USDT on binance$/,
  ),
  {
    name: "backtest with a timeframe the exchange lacks",
    task: "backtest",
    args: ["--config", "c.yaml"],
    files: { "c.yaml": VALID.replace("binance", "kraken").replace("1h", "2h") },
    stderr: /^Cannot load config "c\.yaml": line 3: timeframe: kraken does not offer 2h candles/,
  },
  {
    name: "backfill a config with a timeframe the exchange lacks",
    task: "backfill",
    args: ["--config", "c.yaml"],
    files: { "c.yaml": VALID.replace("binance", "coinbase").replace("1h", "4h") },
    stderr: /^Cannot load config "c\.yaml": line 3: timeframe: coinbase does not offer 4h candles/,
  },
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
