/**
 * `deno task ctl` against a real paper trader process on the emulator's market clock, and its
 * bad input: a pause holds entries from the next heartbeat on, resume lets them through again,
 * stop ends the process; unknown names exit 2, a stopped instance exits 1.
 */
import assert from "node:assert/strict";
import { BinanceEmulator } from "../tests/support/binance_emulator.ts";
import { dataTempDir, runCtl } from "../tests/support/ctl_process.ts";
import { spawnTrader, withStore, writeConfig } from "../tests/support/trader_process.ts";
import { nextCandle, PAPER_SMA_CONFIG, waitStatus } from "../tests/support/paper_trader.ts";

const NAME = "ctl-test";
const PAPER = PAPER_SMA_CONFIG;

function entries(url: string): number {
  return withStore(
    url,
    (s) =>
      s.orders.recent(NAME, 1000).filter((o) => o.intent === "enter" && o.status !== "rejected"),
  )
    .length;
}

Deno.test("ctl pause holds a paper trader's entries from the next heartbeat, resume and stop act too", async () => {
  const dir = await dataTempDir("ctl_test_");
  await using emulator = new BinanceEmulator({ startMs: Date.UTC(2024, 7, 1, 0, 30) });
  const url = `sqlite:${dir}/trading.db`;
  const env = { DATABASE_URL: url, LOG_DIR: `${dir}/logs`, BINANCE_API_URL: emulator.url };
  const config = await writeConfig(dir, NAME, PAPER);
  const trader = spawnTrader(config, env, ["--test-clock", `emulator:${emulator.url}`]);
  try {
    await waitStatus(trader, { url, name: NAME }, "running");
    const asked = Date.now();
    const paused = await runCtl([NAME, "pause"], { DATABASE_URL: url });
    assert.equal(paused.code, 0, paused.stderr);
    // Acknowledged within one heartbeat (1 s) plus ctl's own polling.
    assert.ok(Date.now() - asked < 5_000);
    assert.match(
      paused.stdout,
      /^ctl-test: pause by .+@.+ at .+, acknowledged .+: entries paused\n$/,
    );
    const row = withStore(url, (s) => s.instances.get(NAME));
    assert.equal(row?.status, "paused");
    assert.match(row?.statusReason ?? "", /^paused by /);

    // 24 candles of sma_cross on the emulator's data cross at least once: no entry while paused.
    for (let i = 0; i < 24; i++) await nextCandle(emulator, trader, { url, name: NAME });
    assert.equal(entries(url), 0, "an entry went out while paused");
    // The entry signals became rows refused before sending, naming the pause.
    const refused = withStore(
      url,
      (s) =>
        s.orders.recent(NAME, 1000).some((o) =>
          o.status === "rejected" && /^entries paused: paused by /.test(o.error ?? "")
        ),
    );
    assert.ok(refused, "no entry signal was refused while paused");

    const resumed = await runCtl([NAME, "resume"], { DATABASE_URL: url });
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, /entries resumed/);
    await waitStatus(trader, { url, name: NAME }, "running");
    for (let i = 0; i < 48 && entries(url) === 0; i++) {
      await nextCandle(emulator, trader, { url, name: NAME });
    }
    assert.ok(entries(url) > 0, "no entry after resume");

    const stopped = await runCtl([NAME, "stop"], { DATABASE_URL: url });
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.equal((await trader.status).code, 0);
    const end = withStore(url, (s) => s.instances.get(NAME));
    assert.equal(end?.status, "stopped");
    assert.match(end?.statusReason ?? "", /^stopped by .+@/);

    // Stopped now: ctl stop says so and exits 1.
    const again = await runCtl([NAME, "stop"], { DATABASE_URL: url });
    assert.equal(again.code, 1);
    assert.match(
      again.stderr,
      /^Cannot stop: ctl-test is not running: status stopped \(stopped by .+\), last heartbeat .+\n$/,
    );
  } finally {
    try {
      trader.child.kill("SIGKILL");
    } catch { /* exited */ }
    await trader.status;
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("ctl refuses an unknown instance or action in one line with exit 2", async () => {
  const dir = await dataTempDir("ctl_test_");
  const url = `sqlite:${dir}/trading.db`;
  withStore(url, (s) =>
    s.instances.upsert({
      name: "btc-rsi",
      exchange: "binance",
      symbol: "BTC/USDT",
      timeframe: "1h",
      strategy: "rsi",
      mode: "paper",
      status: "running",
      statusReason: null,
      pid: 1,
      startedMs: Date.now(),
      heartbeatMs: Date.now(),
      equityQuote: null,
      quoteBalance: null,
      positionBase: 0,
      entryPrice: null,
      lastPrice: null,
      realizedPnlQuote: 0,
      lastSignal: null,
      lastSignalMs: null,
      openOrders: 0,
      lastError: null,
      state: null,
      config: null,
    }));
  const cases: [string[], RegExp][] = [
    [
      ["btc-rs", "pause"],
      /^Cannot send command: unknown instance "btc-rs"; did you mean "btc-rsi"\?\n$/,
    ],
    [["btc-rsi", "paws"], /^Cannot send command: unknown action "paws"; did you mean "pause"\?\n$/],
    [
      ["btc-rsi"],
      /^Cannot run ctl: usage: ctl NAME pause\|resume\|stop\|exit, or ctl --all ACTION\n$/,
    ],
  ];
  for (const [args, message] of cases) {
    const result = await runCtl(args, { DATABASE_URL: url });
    assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
    assert.match(result.stderr, message);
  }
  // Queued without waiting: the row names who asked.
  const queued = await runCtl(["--all", "pause", "--wait", "0"], { DATABASE_URL: url });
  assert.equal(queued.code, 0, queued.stderr);
  assert.match(queued.stdout, /^btc-rsi: pause queued by .+@.+\n$/);
  assert.equal(withStore(url, (s) => s.commands.pending("btc-rsi").length), 1);
  await Deno.remove(dir, { recursive: true });
});
