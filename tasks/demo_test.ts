/**
 * `deno task demo` end to end, as the real task with its `demo` permission set (no network).
 * That set writes only ./data and ./logs, so the temp DB, logs and reports live in a temp dir
 * under ./data (removed after), never data/trading.db itself. Run twice: the second run adds no
 * candles, prints the same table and leaves one replay's rows, not two. Every built-in strategy
 * shows, on a resampled or stand-in market where its example's own market has no bundled candles.
 */
import assert from "node:assert/strict";
import { openStore } from "../src/storage/mod.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const INSTANCE = "sma-cross-btc-1h-demo";
const TABLE_ROW = /^(\S+)\s{2,}(\S+)\s{2,}(\S+ \S+ \S+)\s{2,}([\d,]+)\s+([-+]?[\d.]+ %)\s+/;

interface Observation {
  status: string;
  heartbeatMs: number;
}

/** Runs the demo task; while it runs, samples the replay instance's row (status, heartbeat). */
async function runDemo(env: Record<string, string>, args: string[]) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["task", "-q", "demo", ...args],
    cwd: ROOT,
    env: { NO_COLOR: "1", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stdout = new Response(child.stdout).text();
  const stderr = new Response(child.stderr).text();
  const seen: Observation[] = [];
  let done = false;
  const status = child.status.finally(() => done = true);
  while (!done) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const row = readRow(env.DATABASE_URL);
    if (row !== null) seen.push(row);
  }
  return { code: (await status).code, stdout: await stdout, stderr: await stderr, seen };
}

function readRow(url: string): Observation | null {
  try {
    const store = openStore(url, { readOnly: true });
    try {
      return store.instances.get(INSTANCE);
    } finally {
      store.close();
    }
  } catch {
    return null; // the DB does not exist yet, or is being migrated
  }
}

function tableRows(stdout: string): string[][] {
  return stdout.split("\n").map((line) => TABLE_ROW.exec(line)?.slice(1)).filter((row) =>
    row !== undefined && row[0] !== "config"
  ) as string[][];
}

function counts(url: string) {
  const store = openStore(url, { readOnly: true });
  try {
    return {
      candles: store.candles.listMarkets().reduce((sum, series) => sum + series.count, 0),
      trades: store.trades.recent(INSTANCE, 10_000).length,
      orders: store.orders.recent(INSTANCE, 10_000).length,
      equity: store.equity.range(INSTANCE).length,
      row: store.instances.get(INSTANCE)!,
    };
  } finally {
    store.close();
  }
}

Deno.test("demo task imports, compares, reports and replays live, and is safe to run twice", async () => {
  await Deno.mkdir(`${ROOT}data`, { recursive: true });
  const dir = await Deno.makeTempDir({ dir: `${ROOT}data`, prefix: "demo_test_" });
  const rel = dir.slice(ROOT.length);
  const env = { DATABASE_URL: `sqlite:${rel}/trading.db`, LOG_DIR: `${rel}/logs` };
  try {
    const startMs = Date.now();
    const first = await runDemo(env, ["--reports", `${rel}/reports`]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^Imported 6 sample files \(165243 new candles\)\.$/m);
    const rows = tableRows(first.stdout);
    assert.deepEqual(rows.map((row) => row.slice(0, 4)), [
      ["avax-bybit-2h", "trend_following", "binance BTC/USDT 2h*", "4,388"],
      ["btc-binance-1h", "rsi_macd", "binance BTC/USDT 1h", "8,760"],
      ["btc-coinbase-1h", "rsi", "binance BTC/USDT 1h*", "8,777"],
      ["eth-binance-15m", "scalping", "binance ETH/USDT 15m", "13,785"],
      ["matic-binance-30m", "rsi", "binance BTC/USDT 30m*", "10,959"],
      ["rules-btc-kraken-1h", "rules", "kraken BTC/USD 1h", "2,160"],
      ["rules-eth-binance-15m", "rules", "binance ETH/USDT 15m", "13,785"],
      ["sma-cross-btc-1h", "sma_cross", "binance BTC/USDT 1h", "8,760"],
      ["sol-kraken-4h", "trend_following", "binance BTC/USDT 4h*", "2,194"],
    ]);
    for (
      const strategy of ["rsi", "rsi_macd", "rules", "scalping", "sma_cross", "trend_following"]
    ) {
      assert.ok(rows.some((row) => row[1] === strategy), `${strategy} is missing from the table`);
    }
    // Each stand-in row says where it ran and why.
    const footnotes = [
      ["avax-bybit-2h", "binance BTC/USDT 2h (resampled from 1h)", "bybit AVAX/USDT"],
      ["btc-coinbase-1h", "binance BTC/USDT 1h", "coinbase BTC/USD"],
      ["matic-binance-30m", "binance BTC/USDT 30m (resampled from 5m)", "binance MATIC/USDT"],
      ["sol-kraken-4h", "binance BTC/USDT 4h (resampled from 1h)", "kraken SOL/USDT"],
    ];
    for (const [name, ranOn, own] of footnotes) {
      const footnote = `* ${name} ran on ${ranOn}: no bundled candles for ${own}`;
      assert.ok(first.stdout.split("\n").includes(footnote), footnote);
    }
    assert.match(
      first.stdout,
      /^Resampled binance BTC\/USDT 1h into 4h: 2194 candles, 2194 new, /m,
    );
    for (const [name] of rows) {
      const path = `${rel}/reports/${name}.html`;
      assert.match(first.stdout, new RegExp(`^  ${path}$`, "m"));
      const html = await Deno.readTextFile(`${ROOT}${path}`);
      assert.match(html, /<script>/);
      assert.doesNotMatch(html, /<script[^>]*\bsrc\s*=/i, `${name}.html loads a script`);
      assert.doesNotMatch(html, /<link[^>]*href\s*=\s*["']?(https?:)?\/\//i);
    }
    assert.match(first.stdout, /run `deno task dashboard` in another terminal/);
    assert.match(first.stdout, /^replay sma-cross-btc-1h-demo: 300 candles, \d+ trades/m);
    // Watched from outside, the replay looked live: running, with a heartbeat that moved.
    const running = first.seen.filter((o) => o.status === "running");
    assert.ok(new Set(running.map((o) => o.heartbeatMs)).size >= 2, JSON.stringify(first.seen));
    const after = counts(env.DATABASE_URL);
    assert.equal(after.row.status, "stopped");
    assert.equal(after.row.mode, "replay");
    assert.ok(after.row.heartbeatMs >= startMs);
    assert.ok(after.trades > 0 && after.orders >= 2 * after.trades);
    assert.equal(after.equity, 300);
    assert.equal(after.row.positionBase, 0); // the replay closes its position at the end

    const second = await runDemo(env, ["--reports", `${rel}/reports`, "--pace-ms", "0"]);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /^Imported 6 sample files \(0 new candles\)\.$/m);
    assert.match(second.stdout, /^Resampled binance BTC\/USDT 1h into 4h: 2194 candles, 0 new, /m);
    assert.deepEqual(tableRows(second.stdout), rows);
    const again = counts(env.DATABASE_URL);
    assert.deepEqual(
      { ...again, row: again.row.status },
      { ...after, row: "stopped" },
      "a second run must replace the replay's rows, not add to them",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
