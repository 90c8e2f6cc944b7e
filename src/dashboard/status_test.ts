import assert from "node:assert/strict";
import { deriveStatus, staleAfterMs } from "./status.ts";

const NOW = 1_720_000_000_000;
const row = (status: string, ageMs: number, timeframe = "1h") => ({
  status,
  statusReason: null,
  lastError: null,
  heartbeatMs: NOW - ageMs,
  timeframe,
});

Deno.test("staleAfterMs is the smaller of 3 timeframes and 60 s", () => {
  assert.equal(staleAfterMs("1h"), 60_000);
  assert.equal(staleAfterMs("1m"), 60_000);
  assert.equal(staleAfterMs("1d"), 60_000);
  assert.equal(staleAfterMs("bogus"), 60_000);
});

Deno.test("deriveStatus marks a live status stale once the heartbeat is too old", () => {
  assert.equal(deriveStatus(row("running", 60_000), NOW).status, "running");
  assert.equal(deriveStatus(row("running", 60_001), NOW).status, "stale");
  assert.equal(deriveStatus(row("running", 61_000, "1m"), NOW).status, "stale");
  assert.equal(deriveStatus(row("starting", 1000), NOW).status, "starting");
  assert.equal(deriveStatus(row("paused", 1000), NOW).status, "paused");
});

Deno.test("deriveStatus keeps final states whatever the heartbeat age", () => {
  assert.equal(deriveStatus(row("stopped", 86_400_000), NOW).status, "stopped");
  const error = deriveStatus({ ...row("error", 86_400_000), lastError: "auth failed" }, NOW);
  assert.deepEqual(error, { status: "error", reason: "auth failed" });
  assert.deepEqual(deriveStatus(row("error", 0), NOW), {
    status: "error",
    reason: "unknown error",
  });
});

Deno.test("deriveStatus shows halted with its reason, and stale when a halted process died", () => {
  const halted = { ...row("halted", 1000), statusReason: "max drawdown" };
  assert.deepEqual(deriveStatus(halted, NOW), { status: "halted", reason: "max drawdown" });
  assert.deepEqual(deriveStatus({ ...halted, heartbeatMs: NOW - 120_000 }, NOW), {
    status: "stale",
    reason: "max drawdown",
  });
});
