import assert from "node:assert/strict";
import { BinanceEmulator } from "../tests/support/binance_emulator.ts";
import { openStore } from "../src/storage/mod.ts";
import { assertStoredEqualsSample } from "../tests/support/backfill_fixtures.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const BTC_1H = { exchange: "binance", symbol: "BTC/USDT", timeframe: "1h" };
const MARKET_FLAGS = ["--exchange", "binance", "--symbol", "BTC/USDT", "--timeframe", "1h"];
const AFTER_DATA_MS = Date.UTC(2025, 7, 1);
const YEAR = {
  file: "binance_BTC-USDT_1h.csv",
  fromMs: Date.UTC(2024, 6, 10),
  untilMs: Date.UTC(2025, 6, 10, 17),
};
const YEAR_FLAGS = ["--since", "2024-07-10", "--until", "2025-07-10T17:00"];

async function tempEnv(emulator: BinanceEmulator | null) {
  const dir = await Deno.makeTempDir({ prefix: "backfill_task_test_" });
  const env: Record<string, string> = {
    DATABASE_URL: `sqlite:${dir}/trading.db`,
    LOG_DIR: `${dir}/logs`,
    NO_COLOR: "1",
  };
  if (emulator) env.BINANCE_API_URL = emulator.url;
  // `await using`: the folder (DB, logs, config) goes when the test's block ends.
  return { dir, env, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

function backfillCommand(args: string[], env: Record<string, string>) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "tasks/backfill.ts", ...args],
    cwd: ROOT,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
}

async function runBackfill(args: string[], env: Record<string, string>) {
  const { code, stdout, stderr } = await backfillCommand(args, env).output();
  const text = new TextDecoder();
  return { code, stdout: text.decode(stdout), stderr: text.decode(stderr) };
}

function storedCount(dir: string): number {
  try {
    Deno.statSync(`${dir}/trading.db`);
  } catch {
    return 0; // not even created
  }
  const store = openStore(`sqlite:${dir}/trading.db`);
  const total = store.candles.listMarkets().reduce((n, s) => n + s.count, 0) +
    store.gaps.list(BTC_1H).length;
  store.close();
  return total;
}

Deno.test("backfill task rejects bad input with exit 2, one line, and nothing written", async () => {
  await using emulator = new BinanceEmulator({ startMs: AFTER_DATA_MS });
  const cases: [string, string[], RegExp][] = [
    ["unknown exchange", [
      "--exchange",
      "binanse",
      "--symbol",
      "BTC/USDT",
      "--timeframe",
      "1h",
      "--since",
      "2024-07-10",
    ], /not a CCXT exchange id; did you mean binance/],
    ["unknown symbol", [
      "--exchange",
      "binance",
      "--symbol",
      "BTC/USDX",
      "--timeframe",
      "1h",
      "--since",
      "2024-07-10",
    ], /--symbol: BTC\/USDX is not traded on binance/],
    ["unknown timeframe", [
      "--exchange",
      "binance",
      "--symbol",
      "BTC/USDT",
      "--timeframe",
      "7m",
      "--since",
      "2024-07-10",
    ], /timeframe "7m"/],
    [
      "since after until",
      [...MARKET_FLAGS, "--since", "2025-01-01", "--until", "2024-07-10"],
      /--since: .* is not before --until/,
    ],
    [
      "date in the future",
      [...MARKET_FLAGS, "--since", "2024-07-10", "--until", "2999-01-01"],
      /--until: .* is in the future/,
    ],
    ["unparseable date", [...MARKET_FLAGS, "--since", "last tuesday"], /--since: not a date/],
    [
      "page size above the exchange's",
      [...MARKET_FLAGS, "--since", "2024-07-10", "--page-size", "1500"],
      /--page-size: binance serves at most 1000 candles per request \(got 1500\)/,
    ],
    ["new market without --since", [...MARKET_FLAGS], /--since: required/],
  ];
  for (const [name, args, message] of cases) {
    await using temp = await tempEnv(emulator);
    const { dir, env } = temp;
    const result = await runBackfill(args, env);
    assert.equal(result.code, 2, `${name}: ${result.stderr}`);
    const lines = result.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 1, `${name}: one line, got ${result.stderr}`);
    assert.match(lines[0], /^Cannot /, name);
    assert.match(lines[0], message, name);
    assert.equal(result.stdout, "", name);
    assert.equal(storedCount(dir), 0, `${name}: nothing written`);
  }
});

Deno.test("backfill --config refuses the market its exchange lacks, naming the file's line", async () => {
  await using emulator = new BinanceEmulator({ startMs: AFTER_DATA_MS });
  const config = (symbol: string, extra = "") =>
    `exchange: binance\nsymbol: ${symbol}\ntimeframe: 1h\nstrategy:\n  name: rsi\n` +
    `backtest:\n  from: 2024-07-10\n${extra}`;
  const cases: [string, string, RegExp][] = [
    [
      "unknown symbol",
      config("BTC/USDX"),
      /^Cannot load config "[^"]+c\.yaml": line 2: symbol: BTC\/USDX is not one of the \d+ markets on binance; did you mean .*BTC\/USDT/,
    ],
    [
      "stake under the minimum order",
      config("BTC/USDT", "risk:\n  stake_amount: 0.5\n"),
      /^Cannot load config "[^"]+c\.yaml": line 9: risk\.stake_amount: 0\.5 USDT is below the minimum order of \d+ USDT for BTC\/USDT on binance$/,
    ],
    [
      "coinbase timeframe",
      config("BTC/USD").replace("binance", "coinbase").replace("1h", "4h"),
      /^Cannot load config "[^"]+c\.yaml": line 3: timeframe: coinbase does not offer 4h candles; it offers 1m 5m 15m 30m 1h 2h 6h 1d$/,
    ],
  ];
  for (const [name, text, message] of cases) {
    await using temp = await tempEnv(emulator);
    const { dir, env } = temp;
    await Deno.writeTextFile(`${dir}/c.yaml`, text);
    const result = await runBackfill(["--config", `${dir}/c.yaml`], env);
    assert.equal(result.code, 2, `${name}: ${result.stderr}`);
    assert.match(result.stderr.trimEnd(), message, name);
    assert.equal(result.stderr.trimEnd().split("\n").length, 1, name);
    assert.equal(storedCount(dir), 0, `${name}: nothing written`);
  }
});

Deno.test("backfill task resumes after SIGKILL mid-download with no gap and no duplicate", async () => {
  await using emulator = new BinanceEmulator({ startMs: AFTER_DATA_MS });
  await using temp = await tempEnv(emulator);
  const { dir, env } = temp;
  const child = backfillCommand([...MARKET_FLAGS, ...YEAR_FLAGS, "--page-size", "200"], env)
    .spawn();
  // Let a few pages through, then hold every further request so the kill lands mid-download.
  while (emulator.requests().filter((r) => r.path === "/api/v3/klines").length < 5) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  emulator.addFault({ kind: "hang", path: "/api/v3/klines", times: -1, hangMs: 30_000 });
  const held = () => emulator.requests().some((r) => r.fault === "hang");
  while (!held()) await new Promise((resolve) => setTimeout(resolve, 5));
  child.kill("SIGKILL");
  const status = await child.status;
  await child.stdout.cancel();
  await child.stderr.cancel();
  assert.equal(status.signal, "SIGKILL");
  emulator.clearFaults();
  const partial = storedCount(dir);
  assert.ok(partial >= 5 * 200 && partial < 8777 && partial % 200 === 0, `whole pages: ${partial}`);
  // The rerun starts after the newest stored candle.
  const resumed = await runBackfill([...MARKET_FLAGS, "--until", "2025-07-10T17:00"], env);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(
    resumed.stdout,
    new RegExp(`: done: added ${8777 - partial}, corrected 0,.* gaps remaining 0`),
  );
  const store = openStore(env.DATABASE_URL);
  assertStoredEqualsSample(store, BTC_1H, YEAR);
  store.close();
});

Deno.test("backfill task stops cleanly on SIGINT: summary printed, exit 0, whole pages kept", async () => {
  await using emulator = new BinanceEmulator({ startMs: AFTER_DATA_MS });
  await using temp = await tempEnv(emulator);
  const { dir, env } = temp;
  const child = backfillCommand([...MARKET_FLAGS, ...YEAR_FLAGS, "--page-size", "500"], env)
    .spawn();
  while (emulator.requests().filter((r) => r.path === "/api/v3/klines").length < 1) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  // Later pages hang until the signal: it arrives with a request in flight.
  emulator.addFault({ kind: "hang", path: "/api/v3/klines", times: -1, hangMs: 30_000 });
  while (!emulator.requests().some((r) => r.fault === "hang")) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  child.kill("SIGINT");
  const { code, stdout, stderr } = await child.output();
  const out = new TextDecoder().decode(stdout);
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  assert.match(out, /binance BTC\/USDT 1h: interrupted: added (\d+),/);
  const added = Number(/interrupted: added (\d+)/.exec(out)![1]);
  assert.equal(storedCount(dir), added);
  assert.equal(added % 500, 0);
  assert.match(out, /^Total: 1 markets/m);
});

Deno.test("backfill task takes markets from configs and starts a new market at backtest.from", async () => {
  await using emulator = new BinanceEmulator({ startMs: AFTER_DATA_MS });
  await using temp = await tempEnv(emulator);
  const { dir, env } = temp;
  const yaml = await Deno.readTextFile(`${ROOT}config/strategies/btc-binance-1h.yaml`);
  const config = `${dir}/btc-binance-1h.yaml`;
  await Deno.writeTextFile(config, yaml.replace(/from: 2024-07-10/, "from: 2025-07-01"));
  const result = await runBackfill(
    ["--config", config, config, "--until", "2025-07-10T17:00"],
    env,
  );
  assert.equal(result.code, 0, result.stderr);
  // 9 days and 17 hours of 1h candles; the repeated config is one market.
  assert.match(
    result.stdout,
    /^binance BTC\/USDT 1h: done: added 233, corrected 0, unchanged 0, gaps found 0 \(0 candles\), gaps remaining 0/,
  );
  assert.match(result.stderr, /downloading 233 candles from 2025-07-01 00:00 to 2025-07-10 16:00/);
  assert.equal(storedCount(dir), 233);
});
