import assert from "node:assert/strict";
import { SystemClock } from "../core/clock.ts";
import { tempStore } from "../../tests/support/temp_store.ts";
import { NotifyReceiver } from "../../tests/support/notify_receiver.ts";
import { hmacHex, notifyChannels, SIGNATURE_HEADER } from "./channels.ts";
import { instanceEvent } from "./events.ts";
import { NotifySender } from "./notify_sender.ts";
import type { OutboxRepo } from "../storage/outbox_repo.ts";

const clock = new SystemClock();

function queue(outbox: OutboxRepo, instance: string, count: number, channels: string[]): string[] {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const event = instanceEvent(instance, "paused", {
      timeMs: 1_000 + i,
      key: String(i),
      text: `event ${i}`,
    });
    outbox.add(event, channels);
    ids.push(event.id);
  }
  return ids;
}

async function until(what: string, done: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

Deno.test("NotifySender delivers each event once by id, in order per instance, after 5 failed deliveries", async () => {
  const temp = await tempStore();
  await using receiver = new NotifyReceiver({ failFirst: 5 });
  const channels = notifyChannels({
    NOTIFY_WEBHOOK_URL: `${receiver.url}/hook`,
    NOTIFY_WEBHOOK_SECRET: "s3cret",
  });
  const queued = {
    a: queue(temp.store.outbox, "a", 12, ["webhook"]),
    b: queue(temp.store.outbox, "b", 12, ["webhook"]),
  };
  const senders = ["a", "b"].map((instance) =>
    new NotifySender({
      instance,
      outbox: temp.store.outbox,
      channels,
      clock,
      pollMs: 20,
      baseDelayMs: 5,
    })
  );
  try {
    for (const sender of senders) sender.start();
    await until("24 deliveries", () => receiver.received.length >= 24);
    // Nothing more arrives: every row left the outbox once accepted.
    await new Promise((resolve) => setTimeout(resolve, 200));
  } finally {
    for (const sender of senders) await sender.stop();
  }
  assert.equal(receiver.attempts, 24 + 5);
  for (const instance of ["a", "b"] as const) {
    const ids = receiver.received.filter((r) => r.json.instance === instance).map((r) => r.json.id);
    assert.deepEqual(ids, queued[instance]);
    assert.equal(temp.store.outbox.size(instance), 0);
  }
  const first = receiver.received[0];
  assert.deepEqual(Object.keys(first.json).slice(0, 5), [
    "id",
    "instance",
    "event",
    "timeMs",
    "text",
  ]);
  assert.equal(
    first.headers.get(SIGNATURE_HEADER),
    `sha256=${await hmacHex("s3cret", first.body)}`,
  );
  await temp.dispose();
});

Deno.test("NotifySender gives up on a receiver that never answers and keeps the timers on time", async () => {
  const temp = await tempStore();
  await using receiver = new NotifyReceiver({ hang: true });
  const channels = notifyChannels({ DISCORD_WEBHOOK_URL: `${receiver.url}/discord` });
  queue(temp.store.outbox, "a", 3, ["discord"]);
  const sender = new NotifySender({
    instance: "a",
    outbox: temp.store.outbox,
    channels,
    clock,
    pollMs: 20,
    baseDelayMs: 10,
    timeoutMs: 100,
  });
  sender.start();
  // A 10 ms timer keeps firing while deliveries hang: the sender never blocks the event loop.
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  await until("3 attempts", () => receiver.attempts >= 3);
  clearInterval(timer);
  await sender.stop();
  assert.ok(ticks >= 10, `timer ticked ${ticks} times`);
  const rows = temp.store.outbox.pending("a");
  assert.equal(rows.length, 3, "nothing is lost while the channel is dead");
  assert.ok(rows[0].attempts >= 2);
  assert.match(rows[0].lastError ?? "", /timed out|abort/i);
  await temp.dispose();
});

Deno.test("OutboxRepo keeps at most 10,000 rows per instance, dropping and counting the oldest", async () => {
  const temp = await tempStore();
  const ids = queue(temp.store.outbox, "a", 10_050, ["webhook"]);
  queue(temp.store.outbox, "b", 3, ["webhook"]);
  assert.equal(temp.store.outbox.size("a"), 10_000);
  assert.equal(temp.store.outbox.dropped("a"), 50);
  assert.equal(temp.store.outbox.head("a", "webhook")?.id, ids[50]);
  assert.equal(temp.store.outbox.size("b"), 3);
  assert.equal(temp.store.outbox.dropped("b"), 0);
  await temp.dispose();
});

Deno.test("OutboxRepo queues an event id once per channel", async () => {
  const temp = await tempStore();
  const event = instanceEvent("a", "started", { timeMs: 1, key: "1", text: "started" });
  temp.store.outbox.add(event, ["webhook", "telegram"]);
  temp.store.outbox.add(event, ["webhook", "telegram"]);
  assert.deepEqual(temp.store.outbox.pending("a").map((r) => r.channel), ["webhook", "telegram"]);
  await temp.dispose();
});
