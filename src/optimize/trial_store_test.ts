/** `optimize_trials` on a real database (SQLite, or PostgreSQL with TEST_DATABASE_URL set). */
import assert from "node:assert/strict";
import { openDatabase } from "../storage/mod.ts";
import { testBackend, testDatabaseUrl } from "../../tests/support/test_database.ts";
import { trialKey, TrialStore } from "./trial_store.ts";

Deno.test(`TrialStore keeps each trial's metrics and daily equity bit for bit (${testBackend()})`, async () => {
  const dir = await Deno.makeTempDir({ prefix: "trial_store_" });
  const url = testDatabaseUrl(`sqlite:${dir}/t.db`);
  const db = openDatabase(url);
  try {
    const store = new TrialStore(db, "run-a");
    const other = new TrialStore(db, "run-b");
    const daily = Float64Array.from([10_000, 10_000.1, 9_999.999999999998, 1e-300, 12_345.678]);
    const metricsJson = JSON.stringify({ sharpe: 0.1 + 0.2, trades: 3 });
    store.save("full", "a=1 b=2", { metricsJson, dailyEquity: daily });
    store.save("fold1/rung0", "a=1 b=2", { metricsJson: "{}", dailyEquity: daily.subarray(1, 3) });
    other.save("full", "a=1 b=2", { metricsJson: "{}", dailyEquity: new Float64Array(1) });
    // A second save of the same trial replaces it.
    store.save("full", "a=1 b=2", { metricsJson, dailyEquity: daily });
    const loaded = store.load();
    assert.equal(loaded.size, 2);
    const full = loaded.get(trialKey("full", "a=1 b=2"))!;
    assert.equal(full.metricsJson, metricsJson);
    assert.deepEqual(Array.from(full.dailyEquity), Array.from(daily));
    assert.deepEqual(
      Array.from(loaded.get(trialKey("fold1/rung0", "a=1 b=2"))!.dailyEquity),
      [10_000.1, 9_999.999999999998],
    );
    store.clear();
    assert.equal(store.load().size, 0);
    assert.equal(other.load().size, 1);
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
