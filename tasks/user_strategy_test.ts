/**
 * A user strategy module through the tasks as real processes: backtest, sweep (each worker loads
 * the module in its sandbox), replay, and what the dashboard reads, on the shipped example.
 */
import assert from "node:assert/strict";
import { openStore } from "../src/storage/mod.ts";
import { importSample } from "../tests/support/trader_fixtures.ts";

const ROOT = new URL("../", import.meta.url).pathname;

async function run(task: string, args: string[], env: Record<string, string>) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `tasks/${task}.ts`, ...args],
    cwd: ROOT,
    env: { NO_COLOR: "1", ...env },
  }).output();
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: text(output.stdout), stderr: text(output.stderr) };
}

const CONFIG = `name: my-example
exchange: binance
symbol: BTC/USDT
timeframe: 1h
strategy:
  module: strategies/example.ts
  params: { fast: 10, slow: 30 }
backtest:
  from: 2024-08-01
  to: 2024-12-01
`;

Deno.test("a user module backtests, sweeps and replays through the tasks like a built-in", async () => {
  const dir = await Deno.makeTempDir({ prefix: "user_strategy_test_" });
  try {
    const env = { DATABASE_URL: `sqlite:${dir}/trading.db`, LOG_DIR: `${dir}/logs` };
    const store = openStore(env.DATABASE_URL);
    const market = { exchange: "binance", symbol: "BTC/USDT", timeframe: "1h" };
    importSample(store, market, "binance_BTC-USDT_1h.csv");
    store.close();
    const config = `${dir}/my-example.yaml`;
    await Deno.writeTextFile(config, CONFIG);

    const json = `${dir}/report.json`;
    const out = ["--json", json, "--html", `${dir}/r.html`, "--no-save"];
    const backtest = await run("backtest", ["--config", config, ...out], env);
    assert.equal(backtest.code, 0, backtest.stderr);
    const report = JSON.parse(await Deno.readTextFile(json));
    assert.deepEqual(report.config.strategy, {
      name: "example",
      module: "strategies/example.ts",
      params: { fast: 10, slow: 30 },
    });
    assert.ok(report.trades.length > 0);

    const sweep = await run("backtest", [
      "--config",
      config,
      "--sweep",
      "strategy.params.fast=5..15:5",
      "--sweep",
      "strategy.params.slow=20..40:20",
      "--no-save",
    ], env);
    assert.equal(sweep.code, 0, sweep.stderr);
    assert.match(sweep.stdout, /6 combinations on 2928 candles/);
    assert.match(sweep.stdout, /^#\s+fast\s+slow\s/m);
    assert.equal(sweep.stdout.match(/^\d+\s+\d+\s+\d+\s+[+-]/gm)?.length, 6, sweep.stdout);

    const badSweep = await run("backtest", [
      "--config",
      config,
      "--sweep",
      "strategy.params.fast=40..50:10",
      "--no-save",
    ], env);
    assert.equal(badSweep.code, 2, "every combination fails the module's own check (fast < slow)");
    assert.match(
      badSweep.stderr,
      /every combination is invalid; first: .*strategy\.params\.fast: must be less than slow/,
    );

    const replay = await run("replay", ["--config", config], env);
    assert.equal(replay.code, 0, replay.stderr);
    assert.match(replay.stdout, /^replay my-example-replay: 2928 candles, (\d+) trades/);
    const replayed = Number(/, (\d+) trades/.exec(replay.stdout)![1]);
    assert.equal(replayed, report.trades.length, "replay and backtest agree");
    const check = openStore(env.DATABASE_URL);
    try {
      const row = check.instances.get("my-example-replay")!;
      assert.equal(row.strategy, "example", "the dashboard shows the module's strategy name");
    } finally {
      check.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
