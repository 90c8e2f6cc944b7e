/**
 * Kill -9 campaign: a live-mode trader (wall clock, 1m zigzag candles: an entry every 2 minutes,
 * its exit the minute between) is SIGKILLed at seeded points and restarted at once. Every candle
 * sees several kills after random delays (start-up writes, reconciliation of what the previous
 * kill left, warm-up, heartbeats), then one at a failpoint of that candle's order, armed in
 * turn `after_send` (buy at the exchange, row `submitting`), `after_response` (the exit filled, DB
 * not updated), `after_insert` (row written, never sent). After every kill the DB passes
 * `PRAGMA integrity_check`; each failpoint kill is checked against the DB and the exchange; at
 * the end a clean run reconciles, and the exchange holds a filled round trip, no client id twice
 * and no order unknown to the DB.
 * `KILL_CAMPAIGN_POINTS` (default 8 = 2 candles; the full campaign is 50), `KILL_CAMPAIGN_SEED`
 * (default 7).
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { BinanceEmulator } from "../support/binance_emulator.ts";
import type { FailpointName } from "../../src/trader/mod.ts";
import { waitFor } from "../support/trader_process.ts";
import { compareOrders } from "../../tools/soak/soak_checks.ts";
import {
  liveConfig,
  seededRandom,
  signalTask,
  spawnTask,
  stopTask,
  type TaskProcess,
  zigzagCsv,
} from "../../tools/soak/mod.ts";
import {
  countRows,
  failpointEvidence,
  firstEntryCloseMs,
  integrity,
  killPlan,
  type KillPoint,
  submittingIds,
} from "./kill_plan.ts";

const NAME = "kill-campaign";
/** A failpoint process waits for its order at most this long (an entry comes every 2 minutes). */
const FAILPOINT_WAIT_MS = 150_000;

function msToNextClose(): number {
  return Math.ceil((Date.now() + 1) / 60_000) * 60_000 - Date.now();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("kill campaign: live trader killed in its order path and DB writes never duplicates or loses an order", async () => {
  const points = Number(Deno.env.get("KILL_CAMPAIGN_POINTS") ?? 8);
  const seed = Number(Deno.env.get("KILL_CAMPAIGN_SEED") ?? 7);
  const startedMs = Date.now();
  const dir = await Deno.makeTempDir({ prefix: "kill_campaign_" });
  await Deno.mkdir(`${dir}/data`);
  const entryAtMs = firstEntryCloseMs(Date.now(), 30_000);
  await Deno.writeTextFile(
    `${dir}/data/binance_BTC-USDT_1m.csv`,
    zigzagCsv(Date.now(), 1 + points / 20, { entryAtMs }),
  );
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
  const ours = () => emulator.orders().filter((o) => o.clientOrderId.startsWith(`${NAME}-`));
  const kills: string[] = [];
  const byKind: Record<string, number> = {};
  const hits: Partial<Record<FailpointName, number>> = {};
  const count = (kind: string) => byKind[kind] = (byKind[kind] ?? 0) + 1;

  /** Spawns armed with `name`; true when the process killed itself there (not our timeout). */
  const failpointKill = async (i: number, name: FailpointName) => {
    const task = spawn(i, { TRADER_FAILPOINT: name });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      signalTask(task, "SIGKILL");
    }, FAILPOINT_WAIT_MS);
    const status = await task.done;
    clearTimeout(timer);
    assert.equal(status.signal, "SIGKILL", `point ${i}: ${name}: ${JSON.stringify(status)}`);
    if (timedOut) {
      count("failpoint not reached");
      return `${name} not reached`;
    }
    const problem = failpointEvidence(name, submittingIds(dbPath, NAME), ours());
    assert.equal(problem, null, `point ${i}`);
    hits[name] = (hits[name] ?? 0) + 1;
    count(name);
    return name;
  };

  /** Kills after `delayMs`, capped so no delay-killed process is alive at a candle close. */
  const delayKill = async (i: number, point: KillPoint & { delayMs: number }, settle: boolean) => {
    const task = spawn(i);
    let label = "delay";
    if (settle) {
      // Unresolved orders would meet the next failpoint in reconciliation, not in a new order.
      await waitFor("orders reconciled", () => submittingIds(dbPath, NAME).length === 0, 40_000);
      label = "after reconciliation";
    }
    const delayMs = Math.min(
      settle ? point.delayMs % 1_000 : point.delayMs,
      Math.max(100, msToNextClose() - 8_000),
    );
    await sleep(delayMs);
    assert.ok(task.alive(), `point ${i}: the trader exited before its kill`);
    signalTask(task, "SIGKILL");
    await task.done;
    count(label);
    return `${label} ${delayMs} ms`;
  };

  let passed = false;
  try {
    const plan = killPlan(points, seededRandom(seed));
    for (const [i, point] of plan.entries()) {
      if (point.kind === "failpoint") kills.push(await failpointKill(i, point.name));
      else {
        const settle = plan[i + 1]?.kind === "failpoint" && submittingIds(dbPath, NAME).length > 0;
        kills.push(await delayKill(i, point, settle));
      }
      assert.equal(integrity(dbPath), "ok", `after kill ${i} (${kills.at(-1)})`);
    }
    // A clean run reconciles whatever the kills left unresolved, then stops on SIGTERM.
    const final = spawn(points);
    await waitFor("reconciled", () => submittingIds(dbPath, NAME).length === 0, 60_000);
    assert.equal((await stopTask(final)).code, 0);
    assert.equal(integrity(dbPath), "ok");

    const atExchange = ours();
    const db = new DatabaseSync(dbPath, { readOnly: true });
    const result = compareOrders(db, atExchange, [NAME]);
    db.close();
    const ids = atExchange.map((o) => o.clientOrderId);
    const duplicates = ids.length - new Set(ids).size;
    const filled = (side: string) =>
      atExchange.filter((o) => o.side === side && o.status === "FILLED").length;
    const trades = countRows(dbPath, "trades", NAME);
    const summary = {
      points: kills.length,
      seed,
      kills: byKind,
      ordersAtExchange: atExchange.length,
      filledBuys: filled("BUY"),
      filledSells: filled("SELL"),
      dbOrders: result.dbOrders,
      dbTrades: trades,
      duplicates,
      problems: result.problems.length,
      integrityChecks: kills.length + 1,
      wallSeconds: Math.round((Date.now() - startedMs) / 1000),
    };
    // deno-lint-ignore no-console
    console.log(`kill campaign: ${JSON.stringify(summary)}\n  ${kills.join(", ")}`);
    assert.deepEqual(result.problems, [], kills.join(", "));
    assert.equal(duplicates, 0, "an intent reached the exchange twice");
    assert.ok((hits["order.after_send"] ?? 0) >= 1, "order.after_send was never hit");
    assert.ok((hits["order.after_response"] ?? 0) >= 1, "order.after_response was never hit");
    assert.ok(trades >= 1 && summary.filledBuys >= 1 && summary.filledSells >= 1, "no round trip");
    passed = true;
  } finally {
    if (current !== null) {
      signalTask(current, "SIGKILL");
      await (current as TaskProcess).done;
    }
    await emulator.close();
    if (passed) await Deno.remove(dir, { recursive: true });
    // deno-lint-ignore no-console
    else console.log(`kill campaign: files kept in ${dir}`);
  }
});
