/**
 * Kill -9 campaign: a live-mode trader (wall clock, 1m zigzag candles, so every candle trades) is
 * SIGKILLed at seeded random points and restarted at once. A point is either a failpoint of the
 * order path (`TRADER_FAILPOINT`, the process kills itself there) or a random delay after start,
 * which lands in start-up writes, reconciliation, catch-up steps or the order path; several fall
 * in one candle. After every kill the DB passes `PRAGMA integrity_check`; at the end a clean run
 * reconciles and the exchange holds no duplicate order and none unknown to the DB.
 * `KILL_CAMPAIGN_POINTS` (default 6; the full campaign is 50) and `KILL_CAMPAIGN_SEED` (default 7).
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { BinanceEmulator } from "../support/binance_emulator.ts";
import { FAILPOINT_NAMES } from "../../src/trader/failpoint.ts";
import { waitFor, withStore } from "../../src/trader/_process_support.ts";
import { compareOrders } from "../../src/soak/soak_checks.ts";
import {
  liveConfig,
  seededRandom,
  signalTask,
  spawnTask,
  stopTask,
  type TaskProcess,
  zigzagCsv,
} from "../../src/soak/mod.ts";

const NAME = "kill-campaign";

function integrity(path: string): string {
  const db = new DatabaseSync(path);
  try {
    db.exec("PRAGMA busy_timeout = 5000");
    return (db.prepare("PRAGMA integrity_check").get() as { integrity_check: string })
      .integrity_check;
  } finally {
    db.close();
  }
}

Deno.test("kill campaign: live trader killed at seeded points never duplicates or loses an order", async () => {
  const points = Number(Deno.env.get("KILL_CAMPAIGN_POINTS") ?? 6);
  const random = seededRandom(Number(Deno.env.get("KILL_CAMPAIGN_SEED") ?? 7));
  const dir = await Deno.makeTempDir({ prefix: "kill_campaign_" });
  await Deno.mkdir(`${dir}/data`);
  await Deno.writeTextFile(`${dir}/data/binance_BTC-USDT_1m.csv`, zigzagCsv(Date.now(), 3));
  const emulator = new BinanceEmulator({
    startMs: Date.now(),
    speed: 1,
    dataDir: new URL(`file://${dir}/data/`),
    commissionIn: "quote",
  });
  emulator.addAccount("kill-key", "kill-secret", { USDT: 100_000 });
  const config = `${dir}/${NAME}.yaml`;
  await Deno.writeTextFile(config, liveConfig(NAME));
  const dbPath = `${dir}/trading.db`;
  const env = {
    DATABASE_URL: `sqlite:${dbPath}`,
    LOG_DIR: `${dir}/logs`,
    BINANCE_API_URL: emulator.url,
    BINANCE_API_KEY: "kill-key",
    BINANCE_API_SECRET: "kill-secret",
  };
  let current: TaskProcess | null = null;
  const spawn = (i: number, extra: Record<string, string> = {}) =>
    current = spawnTask(`${NAME}-${i}`, {
      script: "tasks/trade.ts",
      args: ["--config", config],
      env: { ...env, ...extra },
      outputPath: `${dir}/trader.out`,
    });
  const kills: string[] = [];
  let passed = false;
  try {
    for (let i = 0; i < points; i++) {
      if (random() < 0.3) {
        const point = FAILPOINT_NAMES[Math.floor(random() * FAILPOINT_NAMES.length)];
        const task = spawn(i, { TRADER_FAILPOINT: point });
        // The zigzag trades every candle, so the order path is reached within about a minute.
        const timer = setTimeout(() => signalTask(task, "SIGKILL"), 150_000);
        const status = await task.done;
        clearTimeout(timer);
        assert.equal(status.signal, "SIGKILL", `point ${i}: ${point}`);
        kills.push(point);
      } else {
        const delayMs = 200 + Math.floor(random() * 5_800);
        const task = spawn(i);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        assert.ok(task.alive(), `point ${i}: the trader exited before its kill`);
        signalTask(task, "SIGKILL");
        await task.done;
        kills.push(`delay ${delayMs} ms`);
      }
      assert.equal(integrity(dbPath), "ok", `after kill ${i} (${kills.at(-1)})`);
    }
    // A clean run reconciles whatever the kills left unresolved, then stops on SIGTERM.
    const final = spawn(points);
    await waitFor(
      "reconciled and running",
      () =>
        withStore(env.DATABASE_URL, (s) =>
          s.instances.get(NAME)?.status === "running" &&
          s.orders.recent(NAME, 1000).every((o) => o.status !== "submitting")),
      90_000,
    );
    assert.equal((await stopTask(final)).code, 0);
    assert.equal(integrity(dbPath), "ok");
    const atExchange = emulator.orders().filter((o) => o.clientOrderId.startsWith(`${NAME}-`));
    const db = new DatabaseSync(dbPath, { readOnly: true });
    const result = compareOrders(db, atExchange, [NAME]);
    db.close();
    assert.deepEqual(result.problems, [], kills.join(", "));
    const ids = atExchange.map((o) => o.clientOrderId);
    assert.equal(new Set(ids).size, ids.length, "an intent reached the exchange twice");
    // deno-lint-ignore no-console
    console.log(
      `kill campaign: ${kills.length} kills (${kills.join(", ")}); ` +
        `${result.exchangeOrders} orders at the exchange, ${result.dbOrders} in the DB, 0 problems`,
    );
    passed = true;
  } finally {
    if (current !== null) {
      signalTask(current, "SIGKILL");
      await (current as TaskProcess).done;
    }
    await emulator.close();
    if (passed) await Deno.remove(dir, { recursive: true });
  }
});
