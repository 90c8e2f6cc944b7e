import assert from "node:assert/strict";
import fc from "fast-check";
import type { InstanceRecord } from "../storage/mod.ts";
import {
  checkInstanceHealth,
  DEFAULT_MAX_HEARTBEAT_AGE_MS,
  maxHeartbeatAgeMs,
} from "./instance_health.ts";

const NOW_MS = Date.UTC(2025, 0, 1);

function instance(patch: Partial<InstanceRecord> = {}): InstanceRecord {
  return {
    name: "btc-binance-1h",
    exchange: "binance",
    symbol: "BTC/USDT",
    timeframe: "1h",
    strategy: "rsi_macd",
    mode: "paper",
    status: "running",
    statusReason: null,
    pid: 1,
    startedMs: NOW_MS - 3_600_000,
    heartbeatMs: NOW_MS - 4_000,
    equityQuote: 10000,
    quoteBalance: 10000,
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
    ...patch,
  };
}

const OPTIONS = { name: "btc-binance-1h", nowMs: NOW_MS, maxAgeMs: 60_000 };

Deno.test("checkInstanceHealth passes a running instance with a fresh heartbeat", () => {
  const verdict = checkInstanceHealth(instance(), OPTIONS);
  assert.deepEqual(verdict, {
    healthy: true,
    message: "btc-binance-1h is running; heartbeat 4 s old",
  });
});

Deno.test("checkInstanceHealth fails a stale heartbeat, saying its age and the limit", () => {
  const verdict = checkInstanceHealth(instance({ heartbeatMs: NOW_MS - 95_000 }), OPTIONS);
  assert.deepEqual(verdict, {
    healthy: false,
    message: "Cannot confirm health of btc-binance-1h: heartbeat is 95 s old (limit 60 s)",
  });
});

Deno.test("checkInstanceHealth treats the limit itself as fresh and one ms more as stale", () => {
  assert.equal(
    checkInstanceHealth(instance({ heartbeatMs: NOW_MS - 60_000 }), OPTIONS).healthy,
    true,
  );
  assert.equal(
    checkInstanceHealth(instance({ heartbeatMs: NOW_MS - 60_001 }), OPTIONS).healthy,
    false,
  );
});

Deno.test("checkInstanceHealth fails any status but running, with its reason", () => {
  const halted = instance({ status: "halted", statusReason: "max drawdown 25 % reached" });
  assert.equal(
    checkInstanceHealth(halted, OPTIONS).message,
    "Cannot confirm health of btc-binance-1h: status is halted (max drawdown 25 % reached)",
  );
  for (const status of ["starting", "stopped", "error", "paused"] as const) {
    assert.equal(checkInstanceHealth(instance({ status }), OPTIONS).healthy, false, status);
  }
});

Deno.test("checkInstanceHealth fails an instance missing from the database", () => {
  const verdict = checkInstanceHealth(null, OPTIONS);
  assert.equal(verdict.healthy, false);
  assert.match(verdict.message, /^Cannot confirm health of btc-binance-1h: no such instance/);
});

Deno.test("checkInstanceHealth counts a heartbeat slightly in the future as fresh", () => {
  assert.equal(checkInstanceHealth(instance({ heartbeatMs: NOW_MS + 500 }), OPTIONS).healthy, true);
});

Deno.test("maxHeartbeatAgeMs is 3 heartbeats but never under 60 s", () => {
  assert.equal(maxHeartbeatAgeMs(), DEFAULT_MAX_HEARTBEAT_AGE_MS);
  assert.equal(maxHeartbeatAgeMs(5), 60_000);
  assert.equal(maxHeartbeatAgeMs(30), 90_000);
  fc.assert(fc.property(fc.double({ min: 1, max: 3600, noNaN: true }), (seconds) => {
    const limit = maxHeartbeatAgeMs(seconds);
    return limit >= 60_000 && limit >= 3 * seconds * 1000 &&
      (limit === 60_000 || limit === 3 * seconds * 1000);
  }));
});
