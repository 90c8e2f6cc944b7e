/** Bad command-line arguments, for every task including the trader. */
import { VALID } from "./config_cases.ts";
import type { BadInputCase } from "./run_bad_input.ts";

const IMPORT = ["import", "--exchange", "binance", "--symbol", "BTC/USDT", "--timeframe", "1h"];
const csv = (...rows: string[]) => ["timestamp,open,high,low,close,volume", ...rows, ""].join("\n");

/** Command-line arguments. */
export const CLI_CASES: BadInputCase[] = [
  {
    name: "--set unknown key",
    task: "check_config",
    args: ["--set", "risk.nope=1", "c.yaml"],
    files: { "c.yaml": VALID },
    stderr: /--set.*risk\.nope/,
  },
  {
    name: "--set without =",
    task: "check_config",
    args: ["--set", "risk.stop_loss_pct", "c.yaml"],
    files: { "c.yaml": VALID },
    stderr: /expected key=value/,
  },
  { name: "unknown subcommand", task: "candles", args: ["imprt"], stderr: /imprt/ },
  { name: "import without --file", task: "candles", args: [...IMPORT], stderr: /--file/ },
  {
    name: "import bad timeframe",
    task: "candles",
    args: [...IMPORT.slice(0, 6), "7m", "--file", "x.csv"],
    files: { "x.csv": csv() },
    stderr: /timeframe "7m"/,
  },
  {
    name: "import bad symbol",
    task: "candles",
    args: [
      "import",
      "--exchange",
      "binance",
      "--symbol",
      "BTCUSDT",
      "--timeframe",
      "1h",
      "--file",
      "x.csv",
    ],
    files: { "x.csv": csv() },
    stderr: /symbol/,
  },
  {
    name: "export --from after --to",
    task: "candles",
    args: [
      "export",
      ...IMPORT.slice(1),
      "--from",
      "2024-08-01",
      "--to",
      "2024-07-01",
      "--out",
      "o.csv",
    ],
    stderr: /--from/,
  },
  {
    name: "gaps --from not a date",
    task: "candles",
    args: ["gaps", ...IMPORT.slice(1), "--from", "someday"],
    stderr: /--from.*someday/,
  },
  { name: "backtest without --config", task: "backtest", args: [], stderr: /--config/ },
  {
    name: "backtest --from impossible date",
    task: "backtest",
    args: ["--config", "c.yaml", "--from", "2024-13-45"],
    files: { "c.yaml": VALID },
    stderr: /--from.*2024-13-45/,
  },
  {
    name: "backtest --from after --to",
    task: "backtest",
    args: ["--config", "c.yaml", "--from", "2024-08-01", "--to", "2024-07-01"],
    files: { "c.yaml": VALID },
    stderr: /--from .* is not before --to/,
  },
  {
    name: "backtest --max-combinations 0",
    task: "backtest",
    args: ["--config", "c.yaml", "--max-combinations", "0"],
    files: { "c.yaml": VALID },
    stderr: /--max-combinations/,
  },
  {
    name: "backtest --sweep bad syntax",
    task: "backtest",
    args: ["--config", "c.yaml", "--sweep", "risk.stop_loss_pct=a..b"],
    files: { "c.yaml": VALID },
    stderr: /sweep/,
  },
  {
    name: "backtest unknown option",
    task: "backtest",
    args: ["--config", "c.yaml", "--fast"],
    files: { "c.yaml": VALID },
    stderr: /unknown option '--fast'/,
  },
  {
    name: "backfill without a market",
    task: "backfill",
    args: [],
    stderr: /--config FILE\.\.\. or all of --exchange, --symbol and --timeframe/,
  },
  {
    name: "backfill --page-size 0",
    task: "backfill",
    args: [
      "--exchange",
      "binance",
      "--symbol",
      "BTC/USDT",
      "--timeframe",
      "1h",
      "--page-size",
      "0",
    ],
    stderr: /--page-size/,
  },
  {
    name: "backfill --since garbage",
    task: "backfill",
    args: ["--exchange", "binance", "--symbol", "BTC/USDT", "--timeframe", "1h", "--since", "soon"],
    stderr: /since.*soon/,
  },
  {
    name: "backfill --config and --exchange",
    task: "backfill",
    args: ["--config", "c.yaml", "--exchange", "binance"],
    files: { "c.yaml": VALID },
    stderr: /either --config or/,
  },
  {
    name: "backfill unknown exchange",
    task: "backfill",
    args: ["--exchange", "binanse", "--symbol", "BTC/USDT", "--timeframe", "1h"],
    stderr: /binanse.*did you mean binance/,
  },
  {
    name: "dashboard --refresh too small",
    task: "dashboard",
    args: ["--once", "--refresh", "5"],
    stderr: /--refresh/,
  },
  {
    name: "dashboard --width not a number",
    task: "dashboard",
    args: ["--once", "--width", "wide"],
    stderr: /--width.*wide/,
  },
];

const LIVE = VALID.replace("timeframe: 1h", "timeframe: 1h\nmode: live");

/** The trader's own checks before it touches the network or the DB. */
export const TRADE_CASES: BadInputCase[] = [
  { name: "trade without --config", task: "trade", args: [], stderr: /--config/ },
  {
    name: "trade with a bad config",
    task: "trade",
    args: ["--config", "c.yaml"],
    files: { "c.yaml": `${VALID}risk:\n  stake_pct: 0\n` },
    stderr: /"c\.yaml": line 7: risk\.stake_pct: /,
  },
  {
    name: "trade with sandbox on an exchange without a testnet",
    task: "trade",
    args: ["--config", "c.yaml"],
    files: { "c.yaml": `${VALID.replace("binance", "coinbase")}sandbox: true\n` },
    stderr: /^Cannot load config "c\.yaml": line 6: sandbox: coinbase has no testnet in CCXT/,
  },
  {
    name: "trade live without keys",
    task: "trade",
    args: ["--config", "c.yaml"],
    files: { "c.yaml": LIVE },
    stderr: /c\.yaml: mode: live needs BINANCE_API_KEY and BINANCE_API_SECRET/,
  },
  {
    name: "trade live refuses the test clock",
    task: "trade",
    args: ["--config", "c.yaml", "--test-clock=emulator:http://127.0.0.1:9"],
    files: { "c.yaml": LIVE },
    env: { BINANCE_API_KEY: "FAKEKEY-x", BINANCE_API_SECRET: "FAKESECRET-x" },
    stderr: /c\.yaml: mode: --test-clock is a test hook; live refuses it/,
  },
];
