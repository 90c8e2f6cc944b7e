import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { TIMEFRAMES } from "../src/core/timeframe.ts";
import { exchangeFacts } from "../src/exchange/exchange_facts.ts";
import { openStore } from "../src/storage/mod.ts";
import { cachedMarket } from "../tests/support/market_fixtures.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SCRIPT = `${ROOT}tasks/check_config.ts`;
const VALID = "exchange: binance\nsymbol: BTC/USDT\ntimeframe: 1h\nstrategy:\n  name: rsi\n";

/** Runs check_config as a real process from `cwd`, with `permissions` flags. */
async function runCheck(
  cwd: string,
  args: string[],
  permissions = ["--allow-read", "--allow-env"],
  env: Record<string, string> = {},
) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-q", `--config=${ROOT}deno.json`, ...permissions, SCRIPT, ...args],
    cwd,
    env: { NO_COLOR: "1", LOG_LEVEL: "info", DATABASE_URL: "sqlite:./data/trading.db", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

async function withTempDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await run(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("check_config exits 2 with one stderr line for an out-of-bounds value", () =>
  withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/bad.yaml`, `${VALID}risk:\n  stop_loss_pct: 150\n`);
    const { code, stderr } = await runCheck(dir, ["bad.yaml"]);
    assert.equal(code, 2);
    assert.equal(
      stderr,
      `Cannot load config "bad.yaml": line 7: risk.stop_loss_pct: must be between 0 and 100 (got 150)\n`,
    );
  }));

Deno.test("check_config exits 0 for a valid config and 2 for a missing one", () =>
  withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/good.yaml`, VALID);
    const ok = await runCheck(dir, ["good.yaml"]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(
      ok.stdout,
      "ok good.yaml (good: binance BTC/USDT 1h rsi)\n" +
        "  note: no binance markets cached (no database at ./data/trading.db): symbol and stake " +
        "not checked (a backfill or trade caches them)\n",
    );
    const missing = await runCheck(dir, ["good.yaml", "missing.yaml"]);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, `Cannot load config "missing.yaml": file not found\n`);
  }));

Deno.test("check_config maps usage errors to 2 and --help to 0", () =>
  withTempDir(async (dir) => {
    const unknown = await runCheck(dir, ["--bogus", "x.yaml"]);
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr, "Cannot run check_config: unknown option '--bogus'\n");
    const noFiles = await runCheck(dir, []);
    assert.equal(noFiles.code, 2);
    assert.equal(noFiles.stderr.trim().split("\n").length, 1);
    const help = await runCheck(dir, ["--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: check_config \[options\] <files\.\.\.>/);
    assert.equal(help.stderr, "");
  }));

Deno.test("check_config exits 2 with one line when .env cannot be read", () =>
  withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/.env`, "LOG_LEVEL=debug\n");
    await Deno.writeTextFile(`${dir}/good.yaml`, VALID);
    const { code, stderr } = await runCheck(dir, ["good.yaml"], [
      `--allow-read=${ROOT}`,
      "--allow-env",
    ]);
    assert.equal(code, 2);
    assert.equal(stderr, `Cannot load env file ".env": no read permission (Deno --allow-read)\n`);
  }));

Deno.test("check_config rejects a bad --set as one line", () =>
  withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/good.yaml`, VALID);
    const { code, stderr } = await runCheck(dir, ["--set", "risk.stop_loss_pct", "good.yaml"]);
    assert.equal(code, 2);
    assert.equal(
      stderr,
      `Cannot apply --set "risk.stop_loss_pct": expected key=value, e.g. risk.stop_loss_pct=3\n`,
    );
  }));

const SEEDS = [...Deno.readDirSync(`${ROOT}config/strategies`)]
  .filter((entry) => entry.name.endsWith(".yaml"))
  .map((entry) => `${ROOT}config/strategies/${entry.name}`)
  .sort();

/** The exchange a seed config names. */
function exchangeOf(path: string): string {
  return /^exchange: ([a-z0-9]+)/m.exec(Deno.readTextFileSync(path))![1];
}

Deno.test("check_config passes every seed config, each exchange's noted when no markets are cached", () =>
  withTempDir(async (dir) => {
    const { code, stdout, stderr } = await runCheck(dir, SEEDS);
    assert.equal(code, 0, stderr);
    assert.equal(stdout.match(/^ok /gm)?.length, SEEDS.length);
    const exchanges = new Set(SEEDS.map(exchangeOf));
    assert.deepEqual([...exchanges].sort(), ["binance", "bybit", "coinbase", "kraken"]);
    for (const exchange of exchanges) assert.match(stdout, new RegExp(`no ${exchange} markets`));
  }));

Deno.test("check_config refuses each seed config with a timeframe its exchange lacks", () =>
  withTempDir(async (dir) => {
    for (const seed of SEEDS) {
      const exchange = exchangeOf(seed);
      const offered = exchangeFacts(exchange)!.timeframes!;
      const lacking = TIMEFRAMES.find((timeframe) => !offered.includes(timeframe));
      if (lacking === undefined) {
        // Binance offers every timeframe the schema accepts; there is nothing to refuse.
        assert.equal(exchange, "binance");
        continue;
      }
      const { code, stderr } = await runCheck(dir, ["--set", `timeframe=${lacking}`, seed]);
      assert.equal(code, 2, seed);
      assert.equal(
        stderr,
        `Cannot load config "${seed}": --set timeframe=${lacking}: timeframe: ${exchange} does ` +
          `not offer ${lacking} candles; it offers ${offered.join(" ")}\n`,
      );
    }
  }));

Deno.test("check_config checks the symbol and stake against the markets cached in the database", () =>
  withTempDir(async (dir) => {
    const store = openStore(`sqlite:${dir}/t.db`);
    store.markets.upsert(
      ["BTC/USDT", "ETH/USDT", "POL/USDT"].map((symbol) => cachedMarket("binance", symbol, 5)),
    );
    store.close();
    const env = { DATABASE_URL: `sqlite:${dir}/t.db` };
    const seed = (name: string) => `${ROOT}config/strategies/${name}.yaml`;
    const ok = await runCheck(dir, [seed("btc-binance-1h")], undefined, env);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(
      ok.stdout,
      `ok ${seed("btc-binance-1h")} (btc-binance-1h: binance BTC/USDT 1h rsi_macd)\n`,
    );
    const delisted = await runCheck(dir, [seed("matic-binance-30m")], undefined, env);
    assert.equal(delisted.code, 2);
    assert.match(
      delisted.stderr,
      /^Cannot load config "[^"]+matic-binance-30m.yaml": line 7: symbol: MATIC\/USDT is not one of the 3 markets on binance/,
    );
    const small = await runCheck(
      dir,
      [
        "--set",
        "risk.stake_amount=2",
        "--set",
        "risk.stake_pct=null",
        seed("btc-binance-1h"),
      ],
      undefined,
      env,
    );
    assert.equal(small.code, 2);
    assert.match(
      small.stderr,
      /--set risk.stake_amount=2: risk.stake_amount: 2 USDT is below the minimum order of 5 USDT for BTC\/USDT on binance\n$/,
    );
  }));
