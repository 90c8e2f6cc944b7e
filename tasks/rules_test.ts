/**
 * The `rules` strategy through the real task processes: sweeps over its named params, and
 * check-strategy on the two rules examples and on a rules warm-up that is too short.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { sampleRows } from "../tests/support/sample_candles.ts";
import { tempStore } from "../tests/support/temp_store.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

const CONFIG = `name: rules-task-test
exchange: binance
symbol: BTC/USDT
timeframe: 1h
strategy:
  name: rules
  params:
    fast: 10
    slow: 40
    enter: crosses_above(sma(close, fast), sma(close, slow))
    exit: crosses_below(sma(close, fast), sma(close, slow))
backtest:
  from: 2024-07-10
  to: 2025-07-10
`;

const MARKETS = [
  ["binance", "BTC/USDT", "1h", "binance_BTC-USDT_1h.csv"],
  ["binance", "ETH/USDT", "15m", "binance_ETH-USDT_15m.csv"],
  ["kraken", "BTC/USD", "1h", "kraken_BTC-USD_1h.csv"],
] as const;

/** A temp DB with the bundled markets the rules configs use, and the config above in a file. */
async function fixture() {
  const temp = await tempStore();
  for (const [exchange, symbol, timeframe, file] of MARKETS) {
    temp.store.candles.upsert({ exchange, symbol, timeframe }, sampleRows(file));
  }
  const config = `${temp.dir}/rules-task-test.yaml`;
  await Deno.writeTextFile(config, CONFIG);
  const env = { DATABASE_URL: temp.url, NO_COLOR: "1", LOG_DIR: `${temp.dir}/logs` };
  return { temp, config, env };
}

async function task(name: string, env: Record<string, string>, args: string[]) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}tasks/${name}.ts`, ...args],
    cwd: ROOT,
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

/** The data rows of a sweep table: rank, the swept values, then the metrics. */
function sweepRows(stdout: string): string[][] {
  return stdout.split("\n").filter((line) => /^\s*\d+\s+\d/.test(line)).map((line) =>
    line.trim().split(/\s+/)
  );
}

Deno.test("backtest task sweeps a rules config's named params, and skips an invalid period", async () => {
  const f = await fixture();
  try {
    const result = await task("backtest", f.env, [
      "--config",
      f.config,
      "--sweep",
      "strategy.params.fast=0..30:5",
    ]);
    assert.equal(result.code, 0, result.stderr);
    const rows = sweepRows(result.stdout);
    assert.deepEqual(rows.map((row) => Number(row[1])).sort((a, b) => a - b), [
      5,
      10,
      15,
      20,
      25,
      30,
    ]);
    assert.equal(new Set(rows.map((row) => row[2])).size, 6, "each fast gives its own return");
    assert.match(
      result.stdout,
      /6 combinations .* 1 invalid skipped \(first: Cannot load config ".*": line 10: strategy\.params\.enter: column 26: the period n of sma must be a whole number of candles from 1 to 10000 \(got fast = 0\)/,
    );
  } finally {
    await f.temp.dispose();
  }
}); // deno-fmt-ignore

Deno.test("backtest task refuses a sweep over a param no rule uses", async () => {
  const f = await fixture();
  try {
    const result = await task("backtest", f.env, [
      "--config",
      f.config,
      "--sweep",
      "strategy.params.fsat=5..10:5",
    ]);
    assert.equal(result.code, 2, result.stdout);
    assert.match(
      result.stderr.trim(),
      /^Cannot run --sweep: every combination is invalid; first: .*strategy\.params\.fsat: is not used by enter, exit, stop or take_profit$/,
    );
  } finally {
    await f.temp.dispose();
  }
});

Deno.test("check-strategy task passes both rules examples", async () => {
  const f = await fixture();
  try {
    for (const example of ["rules-btc-kraken-1h", "rules-eth-binance-15m"]) {
      const result = await task("check_strategy", f.env, [
        "--config",
        `config/strategies/${example}.yaml`,
      ]);
      assert.equal(result.code, 0, result.stderr + result.stdout);
      assert.match(result.stdout, /^Strategy check: rules \(built-in\)/);
      assert.match(result.stdout, /^All checks passed\.$/m);
    }
  } finally {
    await f.temp.dispose();
  }
});

Deno.test("check-strategy task fails a rules warm-up too short for a smoothed stop, naming the param", async () => {
  const f = await fixture();
  try {
    const text = await Deno.readTextFile(`${ROOT}config/strategies/rules-btc-kraken-1h.yaml`);
    const config = `${f.temp.dir}/short.yaml`;
    await Deno.writeTextFile(config, text.replace(/^ {4}warmup: \d+$/m, "    warmup: null"));
    const result = await task("check_strategy", f.env, ["--config", config]);
    assert.equal(result.code, 1, result.stderr + result.stdout);
    assert.match(result.stdout, /declared warm-up 99 candles/);
    assert.match(
      result.stdout,
      /^warm-up +fail +a later start differs at .*; set strategy\.params\.warmup to at least \d+$/m,
    );
  } finally {
    await f.temp.dispose();
  }
});
