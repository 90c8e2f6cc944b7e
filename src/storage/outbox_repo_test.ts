import assert from "node:assert/strict";
import { openStore } from "./mod.ts";
import { testDatabaseUrl } from "../../tests/support/test_database.ts";

function event(instance: string, i: number) {
  return {
    id: `${instance}/paused/${i}`,
    instance,
    event: "paused",
    timeMs: i,
    text: `event ${i}`,
    data: "{}",
  };
}

Deno.test("OutboxRepo queues per channel in order, retries, drops and counts past its limit", () => {
  const store = openStore(testDatabaseUrl("sqlite::memory:"));
  try {
    const outbox = store.outbox;
    for (let i = 0; i < 5; i++) outbox.add(event("a", i), ["webhook", "slack"], 4);
    outbox.add(event("a", 4), ["webhook", "slack"], 4); // the same id again: no new row
    assert.equal(outbox.size("a"), 4);
    assert.equal(outbox.dropped("a"), 6);
    assert.deepEqual(outbox.pending("a").map((r) => `${r.channel} ${r.id}`), [
      "webhook a/paused/3",
      "slack a/paused/3",
      "webhook a/paused/4",
      "slack a/paused/4",
    ]);
    const head = outbox.head("a", "slack")!;
    outbox.failed(head.seq, 900, "HTTP 503");
    const retried = outbox.head("a", "slack")!;
    assert.deepEqual([retried.attempts, retried.nextMs, retried.lastError], [1, 900, "HTTP 503"]);
    outbox.delivered(retried.seq);
    assert.equal(outbox.head("a", "slack")?.id, "a/paused/4");
    assert.equal(outbox.head("b", "slack"), null);
  } finally {
    store.close();
  }
});

Deno.test("CommandRepo queues commands, acknowledges each once and remembers the last pause", () => {
  const store = openStore(testDatabaseUrl("sqlite::memory:"));
  try {
    const commands = store.commands;
    const pause = commands.request("btc", "pause", "ana@box", 1000);
    const exit = commands.request("btc", "exit", "ana@box", 1001);
    assert.deepEqual(commands.pending("btc").map((c) => c.action), ["pause", "exit"]);
    assert.equal(commands.acknowledge(pause, 2000, "entries paused"), true);
    assert.equal(commands.acknowledge(pause, 2001, "again"), false);
    assert.deepEqual(commands.pending("btc").map((c) => c.id), [exit]);
    const acked = commands.get(pause)!;
    assert.deepEqual([acked.requestedBy, acked.ackedMs, acked.outcome], [
      "ana@box",
      2000,
      "entries paused",
    ]);
    assert.equal(commands.lastHold("btc")?.action, "pause");
    const resume = commands.request("btc", "resume", "bob@box", 3000);
    commands.acknowledge(resume, 3001, "entries resumed");
    assert.equal(commands.lastHold("btc")?.action, "resume");
    assert.equal(commands.lastHold("eth"), null);
  } finally {
    store.close();
  }
});

Deno.test("forgetInstance also drops the instance's outbox, dropped count and commands", () => {
  const store = openStore(testDatabaseUrl("sqlite::memory:"));
  try {
    for (let i = 0; i < 3; i++) store.outbox.add(event("a", i), ["webhook"], 2);
    store.outbox.add(event("b", 0), ["webhook"]);
    store.commands.request("a", "pause", "ana@box", 1);
    assert.equal(store.forgetInstance("a"), 4);
    assert.equal(store.outbox.size("a"), 0);
    assert.equal(store.outbox.dropped("a"), 0);
    assert.deepEqual(store.commands.pending("a"), []);
    assert.equal(store.outbox.size("b"), 1);
  } finally {
    store.close();
  }
});
