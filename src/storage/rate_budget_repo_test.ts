import assert from "node:assert/strict";
import fc from "fast-check";
import { openStore } from "./mod.ts";
import { testDatabaseUrl } from "../../tests/support/test_database.ts";

const REFILL_PER_MS = 0.9 / 50; // Binance at 90 %: 18 CCXT cost units a second
const CAPACITY = REFILL_PER_MS * 1000;

Deno.test("RateBudgetRepo serves in arrival order and any minute stays within the budget (simulated time)", async () => {
  const dir = await Deno.makeTempDir();
  const url = testDatabaseUrl(`sqlite:${dir}/b.db`);
  // Two connections: two processes sharing one bucket.
  const stores = [openStore(url), openStore(url)];
  let run = 0;
  try {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            gapMs: fc.integer({ min: 0, max: 400 }),
            cost: fc.constantFrom(0.2, 0.4, 0.8, 4, 16),
            who: fc.integer({ min: 0, max: 1 }),
          }),
          { minLength: 1, maxLength: 400 },
        ),
        (requests) => {
          const bucket = `b${run++}`;
          let nowMs = 1_000_000;
          const sends: { atMs: number; cost: number }[] = [];
          for (const { gapMs, cost, who } of requests) {
            nowMs += gapMs;
            const waitMs = stores[who].rateBudget.reserve({
              bucket,
              cost,
              nowMs,
              refillPerMs: REFILL_PER_MS,
              capacity: CAPACITY,
            });
            sends.push({ atMs: nowMs + waitMs, cost });
          }
          for (let i = 1; i < sends.length; i++) {
            assert.ok(sends[i].atMs >= sends[i - 1].atMs, "first come, first served");
          }
          for (const windowMs of [1_000, 60_000]) {
            const bound = CAPACITY + REFILL_PER_MS * windowMs + 16;
            for (let i = 0; i < sends.length; i++) {
              let sum = 0;
              for (let j = i; j < sends.length && sends[j].atMs < sends[i].atMs + windowMs; j++) {
                sum += sends[j].cost;
              }
              assert.ok(sum <= bound, `${sum} in ${windowMs} ms > ${bound}`);
            }
          }
        },
      ),
      { numRuns: 40, seed: 10 },
    );
  } finally {
    stores.forEach((store) => store.close());
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("RateBudgetRepo grants a burst, then paces, and refills only up to its capacity", async () => {
  const dir = await Deno.makeTempDir();
  const store = openStore(testDatabaseUrl(`sqlite:${dir}/b.db`));
  try {
    const take = (nowMs: number, cost = 4) =>
      store.rateBudget.reserve({ bucket: "x", cost, nowMs, refillPerMs: 0.01, capacity: 10 });
    assert.equal(store.rateBudget.level("x"), null);
    assert.deepEqual([take(0), take(0)], [0, 0]); // 10 - 8 = 2 left
    assert.equal(take(0), 200); // -2: 200 ms to repay at 0.01 a ms
    assert.equal(take(100), 500); // -2 + 1 - 4 = -5
    assert.deepEqual(store.rateBudget.level("x"), { tokens: -5, updatedMs: 100 });
    assert.equal(take(1_000_000, 0), 0);
    assert.deepEqual(store.rateBudget.level("x"), { tokens: 10, updatedMs: 1_000_000 });
    assert.equal(take(999_000, 4), 0, "an earlier clock refills nothing and keeps the time");
    assert.deepEqual(store.rateBudget.level("x"), { tokens: 6, updatedMs: 1_000_000 });
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
