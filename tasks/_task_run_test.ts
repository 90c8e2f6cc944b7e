import assert from "node:assert/strict";
import { openStore } from "../src/storage/mod.ts";
import { errorLine, permissionAdvice } from "./_task_run.ts";

const ROOT = new URL("../", import.meta.url).pathname;

Deno.test("permissionAdvice turns Deno's refusal into one line with what to do", () => {
  const write = new Deno.errors.NotCapable(
    'Requires write access to "/tmp/x.csv", run again with the --allow-write flag',
  );
  assert.equal(
    permissionAdvice("candles", write),
    'Cannot run candles: write access to "/tmp/x.csv" is outside this task\'s permission set ' +
      '(deno.json "permissions"); write under ./data or ./logs instead, or add the path to the ' +
      'set\'s "write" list',
  );
  // Wrapped in our own error, as a storage or worker failure carries it.
  const net = new Error("Cannot open database", {
    cause: new Error(
      'Requires net access to "db.example:5432", run again with the --allow-net flag',
    ),
  });
  assert.match(
    permissionAdvice("backfill", net)!,
    /^Cannot run backfill: net access to "db\.example:5432" is outside .*"net" list/,
  );
  assert.equal(permissionAdvice("candles", new Error("disk full")), null);
  assert.equal(permissionAdvice("candles", "text"), null);
});

Deno.test("a deno task writing outside its permission set exits 2 with one line, not Deno's advice", async () => {
  const dir = await Deno.makeTempDir({ prefix: "task_run_test_" });
  // The DB inside ./data, where the task may read it; the output path outside its permission set.
  await Deno.mkdir(`${ROOT}data`, { recursive: true });
  const data = await Deno.makeTempDir({ dir: `${ROOT}data`, prefix: "task_run_test_" });
  const store = openStore(`sqlite:${data}/t.db`);
  const hour = 3_600_000;
  store.candles.upsert({ exchange: "binance", symbol: "BTC/USDT", timeframe: "1h" }, [
    [0, 10, 12, 9, 11, 5],
    [hour, 11, 13, 10, 12, 6],
  ]);
  store.close();
  try {
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "task",
        "candles",
        "export",
        "--exchange",
        "binance",
        "--symbol",
        "BTC/USDT",
        "--timeframe",
        "1h",
        "--out",
        `${dir}/out.csv`,
      ],
      cwd: ROOT,
      env: { NO_COLOR: "1", DATABASE_URL: `sqlite:./data/${data.split("/").pop()}/t.db` },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const lines = new TextDecoder().decode(output.stderr).split("\n")
      .filter((line) => line !== "" && !line.startsWith("Task "));
    assert.equal(output.code, 2, lines.join("\n"));
    assert.equal(lines.length, 1, lines.join("\n"));
    assert.match(lines[0], /^Cannot run candles: write access to ".*out\.csv" is outside/);
    assert.doesNotMatch(lines[0], /run again with/);
    assert.deepEqual([...Deno.readDirSync(dir)], [], "nothing written");
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(data, { recursive: true });
  }
});

Deno.test("errorLine keeps our own line for a refusal it already explains", () => {
  const explained = new Error('Cannot load env file ".env": no read permission', {
    cause: new Deno.errors.NotCapable(
      'Requires read access to ".env", run again with the --allow-read flag',
    ),
  });
  assert.deepEqual(errorLine("check_config", explained), {
    line: 'Cannot load env file ".env": no read permission',
    code: 1,
  });
  const raw = new Error(
    'Cannot write report: Requires write access to "/x", run again with the --allow-write flag',
  );
  const { line, code } = errorLine("backtest", raw);
  assert.match(line, /^Cannot run backtest: write access to "\/x" is outside/);
  assert.equal(code, 2);
  assert.deepEqual(errorLine("demo", new Error("boom")), {
    line: "Cannot run demo: boom",
    code: 1,
  });
});
