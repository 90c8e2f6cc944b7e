/**
 * The notification checks of real paper trader processes: two traders watch a third instance
 * whose process died without a word (its row left running with an old heartbeat); one
 * `heartbeat_stale` event arrives, however many heartbeats both look. The trader that asks for the
 * daily summary sends the previous day's once; the one without a notify section sends none.
 */
import assert from "node:assert/strict";
import { BinanceEmulator } from "../tests/support/binance_emulator.ts";
import { NotifyReceiver } from "../tests/support/notify_receiver.ts";
import { spawnTrader, waitFor, withStore, writeConfig } from "../tests/support/trader_process.ts";
import { PAPER_SMA_CONFIG, waitStatus } from "../tests/support/paper_trader.ts";
import { writerInstance } from "../src/storage/testdata/repo_writer.ts";
import { previousUtcDay } from "../src/notify/watch.ts";

Deno.test("trade task: two traders notice a dead instance's stale heartbeat, one event arrives", async () => {
  const dir = await Deno.makeTempDir({ prefix: "trade_heartbeat_stale_test_" });
  await using emulator = new BinanceEmulator({ startMs: Date.UTC(2024, 7, 1, 0, 30) });
  await using receiver = new NotifyReceiver();
  const url = `sqlite:${dir}/trading.db`;
  const env = {
    DATABASE_URL: url,
    LOG_DIR: `${dir}/logs`,
    BINANCE_API_URL: emulator.url,
    NOTIFY_WEBHOOK_URL: `${receiver.url}/hook`,
  };
  // A process killed outright left its row: status running, last heartbeat 5 minutes ago.
  const lastBeat = Date.now() - 5 * 60_000;
  withStore(url, (s) => s.instances.upsert({ ...writerInstance("ghost"), heartbeatMs: lastBeat }));
  const clock = ["--test-clock", `emulator:${emulator.url}`];
  const summaryConfig = await writeConfig(
    dir,
    "watch-a",
    `${PAPER_SMA_CONFIG}notify:\n  events: [heartbeat_stale, daily_summary]\n`,
  );
  const plainConfig = await writeConfig(dir, "watch-b", PAPER_SMA_CONFIG);
  const a = spawnTrader(summaryConfig, env, clock);
  const b = spawnTrader(plainConfig, env, clock);
  await waitStatus(a, { url, name: "watch-a" }, "running");
  await waitStatus(b, { url, name: "watch-b" }, "running");
  const ofEvent = (event: string) => receiver.received.filter((r) => r.json.event === event);
  await waitFor("heartbeat_stale delivered", () => ofEvent("heartbeat_stale").length > 0);
  await waitFor("daily_summary delivered", () => ofEvent("daily_summary").length > 0);
  // Both traders look again with each 1 s heartbeat; nothing more may arrive.
  await new Promise((resolve) => setTimeout(resolve, 4_000));
  a.child.kill("SIGTERM");
  b.child.kill("SIGTERM");
  assert.equal((await a.status).code, 0, await a.stderr);
  assert.equal((await b.status).code, 0, await b.stderr);

  const stale = ofEvent("heartbeat_stale");
  assert.deepEqual(stale.map((r) => r.json.id), [`ghost/heartbeat_stale/${lastBeat}`]);
  const data = stale[0].json.data as Record<string, unknown>;
  assert.equal(data.instance, "ghost");
  assert.ok(["watch-a", "watch-b"].includes(String(data.noticedBy)), String(data.noticedBy));
  assert.equal(stale[0].json.instance, data.noticedBy);
  assert.match(String(stale[0].json.text), /^ghost: heartbeat stale: last at .* while running/);
  // The traders themselves beat every second: never stale.
  assert.ok(stale.every((r) => String(r.json.id).startsWith("ghost/")));

  const day = previousUtcDay(Date.now()).day;
  const summaries = ofEvent("daily_summary");
  assert.deepEqual(summaries.map((r) => r.json.id), [`watch-a/daily_summary/${day}`]);
  assert.match(String(summaries[0].json.text), /0 trades closed, realised pnl 0, no open position/);
  // watch-a's filter holds neither started nor stopped; watch-b's absent section sends them.
  const aEvents = receiver.received.filter((r) => r.json.instance === "watch-a")
    .map((r) => r.json.event);
  assert.ok(aEvents.every((e) => e === "heartbeat_stale" || e === "daily_summary"), aEvents.join());
  const bEvents = receiver.received.filter((r) => r.json.instance === "watch-b")
    .map((r) => r.json.event);
  assert.ok(bEvents.includes("started") && bEvents.includes("stopped"), bEvents.join());
  await Deno.remove(dir, { recursive: true });
});
