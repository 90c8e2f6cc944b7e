import assert from "node:assert/strict";
import { EmulatorClock } from "./emulator_clock.ts";

Deno.test("EmulatorClock is frozen by default, advances by candles and runs at a time factor", () => {
  let wallMs = 1_000;
  const clock = new EmulatorClock(3_600_000 * 10 + 123, { wallNowMs: () => wallMs });
  wallMs += 5_000;
  assert.equal(clock.nowMs(), 3_600_000 * 10 + 123);
  clock.advanceCandles(2, 3_600_000);
  assert.equal(clock.nowMs(), 3_600_000 * 12);
  clock.setSpeed(60);
  wallMs += 1_000;
  assert.equal(clock.nowMs(), 3_600_000 * 12 + 60_000);
  clock.setSpeed(0);
  wallMs += 1_000;
  assert.equal(clock.nowMs(), 3_600_000 * 12 + 60_000);
});
