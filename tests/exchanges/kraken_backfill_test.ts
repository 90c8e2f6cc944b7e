/**
 * The backfill task against the Kraken emulator through CCXT's real `kraken` class. The
 * emulator's clock runs on the wall clock, over the bundled Kraken BTC/USD hourly candles shifted
 * so that they end now: Kraken's OHLC endpoint only reaches the latest 720 candles.
 */
import assert from "node:assert/strict";
import { openStore } from "../../src/storage/mod.ts";
import { candleToRow } from "../../src/core/candle_row.ts";
import { parseCandleCsv } from "../support/candle_source.ts";
import { KrakenEmulator } from "../support/kraken_emulator.ts";
import { krakenCandlesEndingNow } from "../support/kraken_emulator_data.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const HOUR = 3_600_000;
const BTC_1H = { exchange: "kraken", symbol: "BTC/USD", timeframe: "1h" };
const FLAGS = ["--exchange", "kraken", "--symbol", "BTC/USD", "--timeframe", "1h"];

/** An emulator on the wall clock over hourly candles up to the current hour, and a task env. */
async function setUp() {
  const dir = await Deno.makeTempDir({ prefix: "kraken_backfill_test_" });
  const nowOpen = Math.floor(Date.now() / HOUR) * HOUR;
  const csv = await krakenCandlesEndingNow(`${dir}/data`, "1h", nowOpen);
  const emulator = new KrakenEmulator({
    startMs: Date.now(),
    speed: 1,
    dataDir: new URL(`file://${dir}/data/`),
  });
  const env = {
    DATABASE_URL: `sqlite:${dir}/trading.db`,
    LOG_DIR: `${dir}/logs`,
    NO_COLOR: "1",
    KRAKEN_API_URL: emulator.url,
  };
  const rows = (fromMs: number, untilMs: number) =>
    parseCandleCsv(csv).filter((c) => c.openTimeMs >= fromMs && c.openTimeMs < untilMs);
  return { dir, env, emulator, nowOpen, rows };
}

function backfill(args: string[], env: Record<string, string>) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "tasks/backfill.ts", ...FLAGS, ...args],
    cwd: ROOT,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
}

async function run(args: string[], env: Record<string, string>) {
  const { code, stdout, stderr } = await backfill(args, env).output();
  const text = new TextDecoder();
  return { code, stdout: text.decode(stdout), stderr: text.decode(stderr) };
}

function stored(url: string) {
  const store = openStore(url);
  try {
    return {
      candles: store.candles.loadRange(BTC_1H, -Infinity, Infinity),
      gaps: store.gaps.list(BTC_1H),
    };
  } finally {
    store.close();
  }
}

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16);

Deno.test("kraken backfill resumes after SIGKILL in the OHLC request with no gap and no duplicate", async () => {
  const { dir, env, emulator, nowOpen, rows } = await setUp();
  try {
    const from = nowOpen - 700 * HOUR;
    const middle = nowOpen - 300 * HOUR;
    const until = nowOpen - 10 * HOUR;
    const first = await run(["--since", iso(from), "--until", iso(middle)], env);
    assert.equal(first.code, 0, first.stderr);
    assert.match(
      first.stdout,
      /kraken BTC\/USD 1h: done: added 400, corrected 0,.* gaps remaining 0/,
    );
    // The next run is killed while its OHLC request is held.
    emulator.addFault({ kind: "hang", path: "/0/public/OHLC", times: -1, hangMs: 30_000 });
    const child = backfill(["--until", iso(until)], env).spawn();
    while (!emulator.requests().some((r) => r.fault === "hang")) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    child.kill("SIGKILL");
    const status = await child.status;
    await child.stdout.cancel();
    await child.stderr.cancel();
    assert.equal(status.signal, "SIGKILL");
    emulator.clearFaults();
    assert.equal(
      stored(env.DATABASE_URL).candles.length,
      400,
      "the first run's candles stay whole",
    );
    const resumed = await run(["--until", iso(until)], env);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(
      resumed.stdout,
      /kraken BTC\/USD 1h: done: added 290, corrected 0,.* gaps remaining 0/,
    );
    const { candles, gaps } = stored(env.DATABASE_URL);
    assert.deepEqual(gaps, []);
    const expected = rows(from, until);
    assert.equal(candles.length, expected.length);
    assert.deepEqual(candles, expected.map(candleToRow));
    // Kraken pairs by its own id, in minutes, with `since` in seconds.
    for (const r of emulator.requests().filter((r) => r.path === "/0/public/OHLC")) {
      assert.equal(r.params.pair, "XXBTZUSD");
      assert.equal(r.params.interval, "60");
      assert.match(r.params.since ?? "", /^\d{10}$/);
    }
    assert.ok(!emulator.requests().some((r) => r.path.startsWith("/0/private/")), "no key used");
  } finally {
    await emulator.close();
    await Deno.remove(dir, { recursive: true });
  }
});
