import assert from "node:assert/strict";
import fc from "fast-check";
import { AuthenticationError, TransientExchangeError } from "../core/errors.ts";
import { BinanceEmulator } from "../../tests/support/binance_emulator.ts";
import {
  emulatorClient,
  RecordingLogger,
  recordingSleep,
} from "../../tests/support/exchange_harness.ts";
import { backoffMs, withRetry } from "./with_retry.ts";

Deno.test("withRetry backoff doubles, stays within [half, full] of the cap and honours Retry-After", async () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 30 }),
      fc.double({ min: 0, max: 0.999999, noNaN: true }),
      (attempt, r) => {
        const full = Math.min(1000, 10 * 2 ** (attempt - 1));
        const delay = backoffMs(attempt, {
          baseDelayMs: 10,
          capMs: 1000,
          rng: () => r,
        });
        return delay >= Math.floor(full / 2) && delay <= full;
      },
    ),
  );
  const { delays, sleep } = recordingSleep();
  let calls = 0;
  const result = await withRetry(() => {
    calls++;
    if (calls < 3) {
      throw new TransientExchangeError("busy", { retryAfterMs: calls === 1 ? 5000 : null });
    }
    return Promise.resolve("done");
  }, { baseDelayMs: 100, capMs: 1000, rng: () => 0, sleep });
  assert.equal(result, "done");
  assert.deepEqual(delays, [5000, 100]);
});

Deno.test("withRetry never retries a final error and stops after maxAttempts", async () => {
  const { delays, sleep } = recordingSleep();
  let calls = 0;
  await assert.rejects(
    withRetry(() => {
      calls++;
      throw new AuthenticationError("no");
    }, { sleep }),
    AuthenticationError,
  );
  assert.equal(calls, 1);
  calls = 0;
  await assert.rejects(
    withRetry(() => {
      calls++;
      throw new TransientExchangeError("down");
    }, { sleep, maxAttempts: 4 }),
    TransientExchangeError,
  );
  assert.equal(calls, 4);
  assert.equal(delays.length, 3);
});

Deno.test("ExchangeClient.call: 3 × 429 then data, 3 logged retries honouring Retry-After", async () => {
  await using emulator = new BinanceEmulator();
  const logger = new RecordingLogger();
  const { delays, sleep } = recordingSleep();
  const client = emulatorClient(emulator, { logger, retry: { sleep } });
  emulator.addFault({ kind: "rate_limit", path: "/api/v3/klines", times: 3, retryAfterSec: 2 });
  const rows = await client.call(
    "fetch candles",
    (ex) => ex.fetchOHLCV("BTC/USDT", "1h", undefined, 5),
  );
  assert.equal(rows.length, 5);
  const klines = emulator.requests().filter((r) => r.path === "/api/v3/klines");
  assert.deepEqual(klines.map((r) => r.status), [429, 429, 429, 200]);
  assert.deepEqual(delays, [2000, 2000, 2000]);
  assert.equal(logger.at("warn").filter((l) => l.message.startsWith("Retrying")).length, 3);
});

Deno.test("ExchangeClient.call survives 5xx HTML pages, a cut connection and a timeout", async () => {
  await using emulator = new BinanceEmulator();
  const client = emulatorClient(emulator, { timeoutMs: 300 });
  for (const status of [500, 502, 503]) {
    emulator.addFault({ kind: "http_error", path: "/api/v3/time", status });
  }
  emulator.addFault({ kind: "drop", path: "/api/v3/time" });
  emulator.addFault({ kind: "hang", path: "/api/v3/time", hangMs: 1000 });
  emulator.addFault({ kind: "ban", path: "/api/v3/time", retryAfterSec: 0 });
  const time = await client.call("fetch time", (ex) => ex.fetchTime(), { maxAttempts: 7 });
  assert.equal(typeof time, "number");
  assert.deepEqual(
    emulator.requests().map((r) => r.fault),
    ["http_error", "http_error", "http_error", "drop", "hang", "ban", null],
  );
});
