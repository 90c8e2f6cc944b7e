/** `tasks/replay.ts` as a process: same trades as `tasks/backtest.ts` on the same range and DB. */
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

Deno.test("replay task writes the same trades as the backtest task on the same range", async () => {
  const dir = await Deno.makeTempDir({ prefix: "replay_test_" });
  try {
    const env = { DATABASE_URL: `sqlite:${dir}/trading.db`, LOG_DIR: `${dir}/logs` };
    const store = openStore(env.DATABASE_URL);
    importSample(
      store,
      { exchange: "binance", symbol: "BTC/USDT", timeframe: "1h" },
      "binance_BTC-USDT_1h.csv",
    );
    store.close();
    const range = ["--from", "2024-08-01", "--to", "2024-12-01"];
    const config = ["--config", "config/strategies/sma-cross-btc-1h.yaml"];
    const replay = await run("replay", [...config, ...range], env);
    assert.equal(replay.code, 0, replay.stderr);
    assert.match(replay.stdout, /^replay sma-cross-btc-1h-replay: 2928 candles, \d+ trades/);
    const json = `${dir}/report.json`;
    const backtest = await run("backtest", [
      ...config,
      ...range,
      "--json",
      json,
      "--html",
      `${dir}/r.html`,
      "--no-save",
    ], env);
    assert.equal(backtest.code, 0, backtest.stderr);
    const report = JSON.parse(await Deno.readTextFile(json));
    const check = openStore(env.DATABASE_URL);
    const stored = check.trades.recent("sma-cross-btc-1h-replay", 10_000).reverse();
    const row = check.instances.get("sma-cross-btc-1h-replay")!;
    check.close();
    assert.ok(report.trades.length > 3);
    assert.equal(stored.length, report.trades.length);
    for (const [i, trade] of report.trades.entries()) {
      const {
        entryTimeMs,
        exitTimeMs,
        entryPrice,
        exitPrice,
        amount,
        pnl,
        pnlPct,
        fees,
        exitReason,
      } = stored[i];
      assert.deepEqual(
        { entryTimeMs, exitTimeMs, entryPrice, exitPrice, amount, pnl, pnlPct, fees, exitReason },
        trade,
      );
    }
    assert.equal(row.status, "stopped");
    assert.equal(row.mode, "replay");
    const bad = await run("replay", [...config, "--from", "2024-12-01", "--to", "2024-08-01"], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^Cannot run replay: --from is not before --to\n$/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
