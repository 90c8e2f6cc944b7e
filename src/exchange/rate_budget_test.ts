import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { BinanceEmulator } from "../../tests/support/binance_emulator.ts";
import type { RequestRecord } from "../../tests/support/emulator_control.ts";
import { openStore } from "../storage/mod.ts";
import { createExchange } from "./exchange_client.ts";

const HAMMER = fileURLToPath(new URL("../../tests/support/rate_budget_hammer.ts", import.meta.url));
const PROCESSES = 4;
/** The emulator's lowered limit, REQUEST_WEIGHT per minute (Binance: 6000). */
const WEIGHT_LIMIT = 600;
/** Binance spot: CCXT cost 1 = weight 5 (rateLimit 50 ms at 6000 weight a minute). */
const WEIGHT_PER_COST = 5;
const SHARE = 0.9 * WEIGHT_LIMIT / 6000;

async function hammer(url: string, databaseUrl: string, durationMs: number) {
  const children = Array.from({ length: PROCESSES }, () =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", HAMMER, url, databaseUrl, String(SHARE), String(durationMs)],
      stdout: "piped",
      stderr: "piped",
    }).output());
  return (await Promise.all(children)).map((output) => {
    assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
    return JSON.parse(new TextDecoder().decode(output.stdout)) as {
      ok: number;
      limited: number;
      failed: number;
    };
  });
}

/** Largest weight the emulator received in any `windowMs` of wall time. */
function maxWeightIn(requests: readonly RequestRecord[], windowMs: number): number {
  let max = 0;
  let sum = 0;
  let start = 0;
  for (let end = 0; end < requests.length; end++) {
    sum += requests[end].weight;
    while (requests[end].wallTimeMs - requests[start].wallTimeMs >= windowMs) {
      sum -= requests[start++].weight;
    }
    max = Math.max(max, sum);
  }
  return max;
}

Deno.test("rate budget keeps 4 processes on one IP under the exchange's weight limit; without it they get 429", async () => {
  await using emulator = new BinanceEmulator({ weightLimit: WEIGHT_LIMIT });
  const dir = await Deno.makeTempDir();
  try {
    const control = await hammer(emulator.url, "none", 3_000);
    const [controlUsage] = emulator.weightUsage();
    assert.ok(controlUsage.rejected429 > 0, "control: CCXT's per-instance throttle alone gets 429");
    assert.ok(control.some((c) => c.limited > 0));

    emulator.resetWeights();
    emulator.clearRequests();
    const databaseUrl = `sqlite:${dir}/budget.db`;
    openStore(databaseUrl).close();
    const results = await hammer(emulator.url, databaseUrl, 6_000);
    const [usage] = emulator.weightUsage();
    const requests = emulator.requests();
    const perSecondWeight = 1000 * SHARE / 50 * WEIGHT_PER_COST;
    // deno-lint-ignore no-console
    console.log(
      `rate budget: ${PROCESSES} processes, limit ${WEIGHT_LIMIT} weight/min: control ` +
        `${controlUsage.rejected429} x 429; budget ${usage.rejected429} x 429, ` +
        `${usage.requests} requests, max weight/min ${usage.maxWeight1m}, ` +
        `max weight in 1 s ${maxWeightIn(requests, 1000)} (budget ${perSecondWeight}/s), ` +
        `served per process ${results.map((r) => r.ok).join("/")}`,
    );
    assert.equal(usage.rejected429, 0);
    assert.deepEqual(results.map((r) => r.limited + r.failed), [0, 0, 0, 0]);
    assert.ok(results.every((r) => r.ok > 0), "every process got a share");
    assert.ok(usage.maxWeight1m <= WEIGHT_LIMIT);
    // Any window holds at most the burst, the refill over the window and one request's weight,
    // plus 250 ms of slack for requests that queue in the network.
    for (const windowMs of [1_000, 3_000]) {
      const bound = perSecondWeight * (1 + (windowMs + 250) / 1000) + 2;
      assert.ok(maxWeightIn(requests, windowMs) <= bound, `${windowMs} ms window over ${bound}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createExchange rateBudget reserves CCXT's cost of each request and waits as told", async () => {
  await using emulator = new BinanceEmulator();
  const reserved: { bucket: string; cost: number; refillPerMs: number; capacity: number }[] = [];
  const slept: number[] = [];
  const client = createExchange("binance", {
    apiUrl: emulator.url,
    rateBudget: {
      store: { reserve: (r) => (reserved.push(r), 25) },
      share: 0.5,
      sleep: (ms) => (slept.push(ms), Promise.resolve()),
    },
  });
  await client.call("fetch time", (ex) => ex.fetchTime());
  assert.deepEqual(
    reserved.map(({ bucket, cost, refillPerMs, capacity }) => ({
      bucket,
      cost,
      refillPerMs,
      capacity,
    })),
    [{ bucket: "binance", cost: 0.2, refillPerMs: 0.5 / 50, capacity: 10 }],
  );
  assert.deepEqual(slept, [25]);
  assert.throws(
    () => createExchange("binance", { rateBudget: { store: { reserve: () => 0 }, share: 2 } }),
    RangeError,
  );
});
