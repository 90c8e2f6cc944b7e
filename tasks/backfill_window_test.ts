/**
 * The backfill task on an exchange whose OHLCV endpoint serves only its latest candles: Kraken's
 * 720, through CCXT's real `kraken` class against the Kraken emulator (bundled BTC/USD hourly
 * candles shifted to end now, more history than the window shows).
 */
import assert from "node:assert/strict";
import { openStore } from "../src/storage/mod.ts";
import { KrakenEmulator } from "../tests/support/kraken_emulator.ts";
import { krakenCandlesEndingNow } from "../tests/support/kraken_emulator_data.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const HOUR = 3_600_000;
const BTC_1H = { exchange: "kraken", symbol: "BTC/USD", timeframe: "1h" };

Deno.test("backfill of 2 years of Kraken 1h says the reachable start, stores it, records no gap", async () => {
  const dir = await Deno.makeTempDir({ prefix: "backfill_window_test_" });
  const nowOpen = Math.floor(Date.now() / HOUR) * HOUR;
  await krakenCandlesEndingNow(`${dir}/data`, "1h", nowOpen);
  await using emulator = new KrakenEmulator({
    startMs: Date.now(),
    speed: 1,
    dataDir: new URL(`file://${dir}/data/`),
  });
  try {
    const since = new Date(nowOpen - 2 * 365 * 24 * HOUR).toISOString().slice(0, 16);
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "tasks/backfill.ts",
        ...["--exchange", "kraken", "--symbol", "BTC/USD", "--timeframe", "1h", "--since", since],
      ],
      cwd: ROOT,
      env: {
        DATABASE_URL: `sqlite:${dir}/trading.db`,
        LOG_DIR: `${dir}/logs`,
        NO_COLOR: "1",
        KRAKEN_API_URL: emulator.url,
      },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(output.stdout);
    assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
    const lines = stdout.trimEnd().split("\n");
    // Said before the download, and again in the summary.
    assert.match(
      lines[0],
      /^kraken BTC\/USD 1h: kraken serves only its latest 720 candles: reachable from \S+ \S+ UTC; .* \((\d+) candles\) cannot be downloaded and is not recorded as a gap$/,
    );
    const reachableMs = nowOpen - 718 * HOUR;
    // The hour may turn while the test runs: the window then starts one candle later.
    const said = Date.parse(`${/reachable from (\S+ \S+) UTC/.exec(lines[0])![1]}Z`);
    assert.ok(said === reachableMs || said === reachableMs + HOUR, lines[0]);
    assert.match(stdout, /kraken BTC\/USD 1h: done: added 7\d\d, .*gaps remaining 0 /);
    assert.match(stdout, /not reachable on kraken: .* \(\d+ candles; not gaps\)/);

    const store = openStore(`sqlite:${dir}/trading.db`);
    try {
      const candles = store.candles.loadRange(BTC_1H, -Infinity, Infinity);
      assert.equal(candles[0][0], said);
      assert.equal(
        candles.length,
        (nowOpen - said) / HOUR + (Date.now() >= nowOpen + HOUR ? 1 : 0),
      );
      for (let i = 1; i < candles.length; i++) {
        assert.equal(candles[i][0] - candles[i - 1][0], HOUR, "no hole");
      }
      assert.deepEqual(store.gaps.list(BTC_1H), [], "the unreachable years are not gaps");
      // The markets it loaded are cached for check-config.
      assert.ok(store.markets.list("kraken").some((m) => m.symbol === "BTC/USD"));
    } finally {
      store.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
