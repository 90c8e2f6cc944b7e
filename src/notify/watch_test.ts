import assert from "node:assert/strict";
import { tempStore } from "../../tests/support/temp_store.ts";
import type { InstanceStatus } from "../storage/instance_repo.ts";
import { writerInstance } from "../storage/testdata/repo_writer.ts";
import { eventWanted } from "./events.ts";
import { Notifier } from "./notifier.ts";
import {
  dailySummaryEvent,
  previousUtcDay,
  staleCandidatesBefore,
  staleHeartbeatEvents,
} from "./watch.ts";

const NOW = Date.UTC(2026, 2, 5, 0, 0, 7);

Deno.test("staleHeartbeatEvents: one event per stale episode, whoever looks and however often", async () => {
  const temp = await tempStore();
  const { store } = temp;
  const row = (name: string, heartbeatMs: number, status: InstanceStatus = "running") =>
    store.instances.upsert({ ...writerInstance(name), heartbeatMs, status });
  row("ghost", NOW - 120_000);
  row("napping", NOW - 120_000, "paused");
  row("done", NOW - 120_000, "stopped");
  row("fresh", NOW - 30_000);
  const watchers = ["watcher-a", "watcher-b"].map((name) => ({
    name,
    notifier: new Notifier(store.outbox, { filter: null, channels: ["webhook", "telegram"] }),
  }));
  const look = (nowMs: number) => {
    for (const { name, notifier } of watchers) {
      row(name, nowMs); // each watcher beats before it looks, as a trader does
      const quiet = store.instances.quietSince(staleCandidatesBefore(nowMs));
      for (const event of staleHeartbeatEvents(name, quiet, nowMs)) notifier.emitOnce(event);
    }
  };
  look(NOW);
  const queued = () => [...store.outbox.pending("watcher-a"), ...store.outbox.pending("watcher-b")];
  const first = queued();
  assert.deepEqual(
    first.map((r) => `${r.instance} ${r.id} ${r.channel}`).sort(),
    [
      `watcher-a ghost/heartbeat_stale/${NOW - 120_000} telegram`,
      `watcher-a ghost/heartbeat_stale/${NOW - 120_000} webhook`,
      `watcher-a napping/heartbeat_stale/${NOW - 120_000} telegram`,
      `watcher-a napping/heartbeat_stale/${NOW - 120_000} webhook`,
    ],
  );
  assert.equal(JSON.parse(first[0].data).noticedBy, "watcher-a");
  assert.match(first[0].text, /^(ghost|napping): heartbeat stale: last at .* \(120 s ago\)/);
  // Delivered rows leave the outbox; later looks by either watcher do not bring them back.
  for (const r of first) store.outbox.delivered(r.seq);
  look(NOW + 1_000);
  look(NOW + 25_000);
  assert.deepEqual(queued(), []);
  // The ghost beats again, then goes quiet: a new episode, a new event.
  row("ghost", NOW + 10_000);
  look(NOW + 200_000);
  assert.deepEqual(
    queued().filter((r) => r.channel === "webhook" && r.id.startsWith("ghost/")).map((r) => r.id),
    [`ghost/heartbeat_stale/${NOW + 10_000}`],
  );
  await temp.dispose();
});

Deno.test("heartbeat_stale obeys the watcher's notify filter", async () => {
  const temp = await tempStore();
  const { store } = temp;
  store.instances.upsert({ ...writerInstance("ghost"), heartbeatMs: NOW - 120_000 });
  const notifier = new Notifier(store.outbox, {
    filter: { events: ["order_filled"], channels: null, min_pnl_pct: null },
    channels: ["webhook"],
  });
  const quiet = store.instances.quietSince(staleCandidatesBefore(NOW));
  for (const event of staleHeartbeatEvents("me", quiet, NOW)) {
    assert.equal(notifier.emitOnce(event), false);
  }
  assert.equal(store.outbox.size("me"), 0);
  await temp.dispose();
});

Deno.test("daily_summary is opt-in: sent only when notify.events names it", () => {
  assert.equal(eventWanted(null, "daily_summary"), false);
  assert.equal(
    eventWanted({ events: null, channels: null, min_pnl_pct: null }, "daily_summary"),
    false,
  );
  assert.equal(
    eventWanted({ events: ["daily_summary"], channels: null, min_pnl_pct: 5 }, "daily_summary"),
    true,
  );
  assert.equal(eventWanted(null, "heartbeat_stale"), true);
});

Deno.test("daily summary: the previous UTC day's trades and pnl, queued once per day", async () => {
  const temp = await tempStore();
  const { store } = temp;
  const day = previousUtcDay(NOW);
  assert.deepEqual(day, {
    day: "2026-03-04",
    fromMs: Date.UTC(2026, 2, 4),
    toMs: Date.UTC(2026, 2, 5),
  });
  const trade = (exitTimeMs: number, pnl: number) =>
    store.trades.insert("bot", {
      symbol: "BTC/USDT",
      entryTimeMs: exitTimeMs - 60_000,
      exitTimeMs,
      entryPrice: 100,
      exitPrice: 100 + pnl,
      amount: 1,
      pnl,
      pnlPct: pnl,
      fees: 0,
      exitReason: "signal",
    });
  trade(day.fromMs - 1, 100); // the day before
  trade(day.fromMs, 2.5);
  trade(day.toMs - 1, -1);
  trade(day.toMs, 50); // today
  const closed = store.trades.closedBetween("bot", day.fromMs, day.toMs);
  assert.deepEqual(closed, { count: 2, pnl: 1.5 });
  const event = dailySummaryEvent({
    instance: "bot",
    day: day.day,
    trades: closed.count,
    realizedPnlQuote: closed.pnl,
    positionBase: 0.25,
    equityQuote: 1234.5,
    symbol: "BTC/USDT",
    timeMs: NOW,
  });
  assert.equal(event.id, "bot/daily_summary/2026-03-04");
  assert.equal(
    event.text,
    "bot: 2026-03-04: 2 trades closed, realised pnl 1.5, open position 0.25 BTC/USDT, equity 1234.5",
  );
  const notifier = new Notifier(store.outbox, {
    filter: { events: ["daily_summary"], channels: null, min_pnl_pct: null },
    channels: ["webhook"],
  });
  assert.equal(notifier.emitOnce(event), true);
  store.outbox.delivered(store.outbox.pending("bot")[0].seq);
  assert.equal(notifier.emitOnce(event), false, "the day's summary went out already");
  assert.equal(store.outbox.size("bot"), 0);
  await temp.dispose();
});
