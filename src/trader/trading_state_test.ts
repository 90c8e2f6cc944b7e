import assert from "node:assert/strict";
import { TradingStateMachine } from "./trading_state.ts";

Deno.test("TradingStateMachine is active from the start, running once started", () => {
  const machine = new TradingStateMachine();
  assert.deepEqual(machine.state, { kind: "active", reason: null });
  assert.deepEqual(machine.status, { status: "starting", reason: null });
  machine.start();
  assert.deepEqual(machine.status, { status: "running", reason: null });
  assert.equal(machine.entryBlock, null);
});

Deno.test("TradingStateMachine pause reduces to exits only until a clean reconciliation resumes", () => {
  const machine = new TradingStateMachine();
  machine.start();
  assert.equal(machine.resume(), false, "nothing to resume");
  machine.pause("position mismatch");
  assert.deepEqual(machine.state, { kind: "reducing", reason: "position mismatch" });
  assert.deepEqual(machine.status, { status: "paused", reason: "position mismatch" });
  assert.equal(machine.entryBlock, "entries paused: position mismatch");
  assert.equal(machine.resume(), true);
  assert.deepEqual(machine.state, { kind: "active", reason: null });
  assert.deepEqual(machine.status, { status: "running", reason: null });
});

Deno.test("TradingStateMachine shows a risk breaker as halted for the candle it rejects on", () => {
  const machine = new TradingStateMachine();
  machine.pause("balance mismatch");
  machine.candleHandled("daily loss limit reached");
  assert.deepEqual(machine.state, { kind: "reducing", reason: "daily loss limit reached" });
  assert.deepEqual(machine.status, { status: "halted", reason: "daily loss limit reached" });
  assert.equal(machine.entryBlock, "entries paused: balance mismatch", "risk refuses for it");
  machine.candleHandled(null);
  assert.deepEqual(machine.status, { status: "paused", reason: "balance mismatch" });
  machine.resume();
  assert.deepEqual(machine.status, { status: "running", reason: null });
});

Deno.test("TradingStateMachine halts entries for the rest of the run, keeping the first reason", () => {
  const machine = new TradingStateMachine();
  machine.start();
  assert.equal(machine.haltEntries("5 consecutive order failures; exits only"), true);
  assert.equal(machine.haltEntries("position unprotected"), false);
  machine.pause("position mismatch");
  machine.resume();
  machine.candleHandled(null);
  const reason = "5 consecutive order failures; exits only";
  assert.equal(machine.entriesHalted, true);
  assert.deepEqual(machine.state, { kind: "reducing", reason });
  assert.deepEqual(machine.status, { status: "halted", reason });
  assert.equal(machine.entryBlock, `entries halted: ${reason}`);
});

Deno.test("TradingStateMachine is halted once stopped, by a signal or an error", () => {
  const stopped = new TradingStateMachine();
  stopped.pause("position mismatch");
  stopped.stop("stopped by signal");
  assert.deepEqual(stopped.state, { kind: "halted", reason: "stopped by signal" });
  assert.deepEqual(stopped.status, { status: "stopped", reason: "stopped by signal" });
  const failed = new TradingStateMachine();
  failed.stop("invalid API key", { error: true });
  assert.deepEqual(failed.state, { kind: "halted", reason: "invalid API key" });
  assert.deepEqual(failed.status, { status: "error", reason: "invalid API key" });
});

Deno.test("TradingStateMachine holds entries for an operator until released; a clean reconciliation does not", () => {
  const machine = new TradingStateMachine();
  machine.start();
  assert.equal(machine.hold("paused by ana@box"), true);
  assert.deepEqual(machine.status, { status: "paused", reason: "paused by ana@box" });
  assert.equal(machine.entryBlock, "entries paused: paused by ana@box");
  assert.equal(machine.resume(), false);
  assert.equal(machine.state.kind, "reducing");
  assert.equal(machine.release(), true);
  assert.deepEqual(machine.status, { status: "running", reason: null });
  assert.equal(machine.entryBlock, null);
});
