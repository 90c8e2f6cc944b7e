/** A replay heartbeats on the wall clock at least every `trade.heartbeat_seconds`, and at the end. */
import assert from "node:assert/strict";
import { ManualClock } from "../core/clock.ts";
import { bundledConfig, importSample, MemoryLogger } from "../../tests/support/trader_fixtures.ts";
import { tempStore } from "../../tests/support/temp_store.ts";
import { runReplay } from "./replay.ts";

const WALL_START_MS = Date.UTC(2030, 0, 1);

Deno.test("runReplay heartbeats on the wall clock at least every heartbeat_seconds and at the end", async () => {
  const db = await tempStore();
  try {
    const config = await bundledConfig("sma-cross-btc-1h.yaml", ["trade.heartbeat_seconds=3"]);
    importSample(db.store, config, "binance_BTC-USDT_1h.csv");
    const wall = new ManualClock(WALL_START_MS);
    const name = "beats-replay";
    const ages: number[] = [];
    const beats = new Set<number>();
    const result = await runReplay(config, db.store, {
      fromMs: Date.UTC(2025, 0, 1),
      toMs: Date.UTC(2025, 0, 3),
      instance: name,
      runId: 1,
      logger: new MemoryLogger(),
      wallClock: wall,
      afterCandle: () => {
        // One wall second per candle (a paced replay): the row is never older than 3 s.
        const row = db.store.instances.get(name)!;
        ages.push(wall.nowMs() - row.heartbeatMs!);
        beats.add(row.heartbeatMs!);
        assert.equal(row.status, "running");
        wall.set(wall.nowMs() + 1_000);
      },
    });
    assert.equal(result.candles, 48);
    assert.ok(Math.max(...ages) <= 3_000, JSON.stringify(ages));
    assert.ok(beats.size >= 48 / 3 - 1, `only ${beats.size} heartbeats`);
    const end = db.store.instances.get(name)!;
    assert.equal(end.status, "stopped");
    assert.equal(end.heartbeatMs, wall.nowMs());
  } finally {
    await db.dispose();
  }
});
