/**
 * Kill -9 campaign: five traders on one DB, each on its own loopback emulator and account, on
 * the wall clock with 1m zigzag candles (an entry every two minutes, its exit the minute
 * between), SIGKILLed at seeded points and restarted at once (see `kill_plan.ts`). Four are
 * live: `kill-order` and `kill-send` without stops, `kill-stop` with its stop on the exchange and
 * a take-profit checked on the ticker, `kill-close` with its stop on the exchange and stopped
 * with `--close-on-exit`; `kill-paper` is paper with API keys in its environment. Kills come at
 * every failpoint (a failpoint not reached fails the test), inside the order window just after
 * closes, and at random delays; each is checked (integrity, failpoint evidence) and recorded
 * with the phase it landed in, and the distribution is printed. At the end every lane's books
 * must equal every order on its account (see `kill_checks.ts`), and paper signed nothing.
 * `KILL_CAMPAIGN_POINTS` (default: one cycle, about 25 kills; the full run is 50),
 * `KILL_CAMPAIGN_SEED` (default 7).
 */
import assert from "node:assert/strict";
import { FAILPOINT_NAMES, type FailpointName } from "../../src/trader/mod.ts";
import { BinanceEmulator } from "../support/binance_emulator.ts";
import { seededRandom, zigzagCsv } from "../../tools/soak/mod.ts";
import { liveLaneProblems, paperLaneProblems } from "./kill_checks.ts";
import { countRows } from "./kill_db.ts";
import { laneConfig } from "./kill_configs.ts";
import { KillLane, type KillRecord } from "./kill_lane.ts";
import { firstEntryCloseMs, killPlan, LANE_NAMES, type LaneName } from "./kill_plan.ts";
import { KILL_PHASES, type KillPhase, Tally } from "./kill_phases.ts";

interface Lane {
  readonly name: LaneName;
  readonly runner: KillLane;
  readonly emulator: BinanceEmulator;
  readonly apiKey: string;
}

Deno.test("kill campaign: traders killed at every failpoint, in the order window and at random never duplicate, lose or mis-book an order", async () => {
  const points = Number(Deno.env.get("KILL_CAMPAIGN_POINTS") ?? 0);
  const seed = Number(Deno.env.get("KILL_CAMPAIGN_SEED") ?? 7);
  const startedMs = Date.now();
  const dir = await Deno.makeTempDir({ prefix: "kill_campaign_" });
  await Deno.mkdir(`${dir}/data`);
  await Deno.mkdir(`${dir}/trace`);
  const plans = killPlan({ points, random: seededRandom(seed) });
  const cycles = plans["kill-order"].length;
  const entryCloseMs = firstEntryCloseMs(Date.now(), 30_000);
  await Deno.writeTextFile(
    `${dir}/data/binance_BTC-USDT_1m.csv`,
    zigzagCsv(Date.now(), 1 + cycles / 20, { entryAtMs: entryCloseMs }),
  );
  const dbPath = `${dir}/trading.db`;
  const lanes: Lane[] = [];
  let passed = false;
  try {
    for (const name of LANE_NAMES) lanes.push(await newLane(name, { dir, dbPath, entryCloseMs }));
    await Promise.all(lanes.map(async (lane) => {
      for (const steps of plans[lane.name]) await lane.runner.runCycle(steps);
      await lane.runner.finish(() => endProblems(lane, dbPath).length === 0);
    }));

    const kills = lanes.flatMap((lane) => lane.runner.kills);
    const problems = lanes.flatMap((lane) => endProblems(lane, dbPath));
    const summary = distribution(kills, {
      seed,
      cycles,
      skipped: lanes.reduce((n, lane) => n + lane.runner.skipped, 0),
      trades: lanes.map((lane) => countRows(dbPath, "trades", lane.name)),
      lastKillAfterEntryS: lanes.map((lane) =>
        Math.round((lane.runner.lastKillMs - entryCloseMs) / 1000)
      ),
      firstEntryAfterS: Math.round((entryCloseMs - startedMs) / 1000),
      wallSeconds: Math.round((Date.now() - startedMs) / 1000),
    });
    // deno-lint-ignore no-console
    console.log(summary);
    assert.deepEqual(problems, []);
    const reached = new Set(kills.map((k) => k.failpoint));
    const missing = FAILPOINT_NAMES.filter((name) => !reached.has(name));
    assert.deepEqual(missing, [], "failpoints never reached");
    assert.ok(countRows(dbPath, "trades", "kill-close") >= 1, "close-on-exit closed no trade");
    assert.ok(countRows(dbPath, "trades", "kill-stop") >= 1, "no take-profit trade");
    passed = true;
  } finally {
    for (const lane of lanes) await lane.runner.stop();
    for (const lane of lanes) await lane.emulator.close();
    if (passed) await Deno.remove(dir, { recursive: true });
    // deno-lint-ignore no-console
    else console.log(`kill campaign: files kept in ${dir}`);
  }
});

/** A lane's emulator (own account, the campaign's candles), config and runner. */
async function newLane(
  name: LaneName,
  at: { dir: string; dbPath: string; entryCloseMs: number },
): Promise<Lane> {
  const emulator = new BinanceEmulator({
    startMs: Date.now(),
    speed: 1,
    dataDir: new URL(`file://${at.dir}/data/`),
    commissionIn: "quote",
  });
  const apiKey = `${name}-key`;
  // The paper lane's keys open an account too: a request it signed would be served, and seen.
  emulator.addAccount(apiKey, `${name}-secret`, { USDT: 100_000 });
  const configPath = `${at.dir}/${name}.yaml`;
  await Deno.writeTextFile(configPath, laneConfig(name));
  const env = {
    DATABASE_URL: `sqlite:${at.dbPath}`,
    LOG_DIR: `${at.dir}/logs`,
    BINANCE_API_URL: emulator.url,
    BINANCE_API_KEY: apiKey,
    BINANCE_API_SECRET: `${name}-secret`,
  };
  const runner = new KillLane({
    name,
    dir: at.dir,
    dbPath: at.dbPath,
    configPath,
    env,
    emulator,
    entryCloseMs: at.entryCloseMs,
  });
  return { name, runner, emulator, apiKey };
}

/** The lane's books against its whole account (live), or its rows and its silence (paper). */
function endProblems(lane: Lane, dbPath: string): string[] {
  const { name, emulator, apiKey } = lane;
  emulator.orders(); // matches resting orders up to now
  const orders = emulator.book.orders.filter((o) => o.apiKey === apiKey);
  if (name === "kill-paper") {
    const signed = emulator.requests().filter((r) => r.signed || r.hasApiKey);
    return [
      ...paperLaneProblems(dbPath, name).map((p) => `${name}: ${p}`),
      ...signed.map((r) => `${name}: paper sent ${r.method} ${r.path} with a key or signature`),
      ...orders.map((o) => `${name}: paper placed ${o.clientOrderId} at the exchange`),
    ];
  }
  const btc = emulator.balances(apiKey).BTC ?? { free: 0, locked: 0 };
  const problems = liveLaneProblems(dbPath, {
    name,
    orders,
    baseAtExchange: btc.free + btc.locked,
    amountStep: Number(emulator.book.spec("BTCUSDT").stepSize),
  });
  return problems.map((p) => `${name}: ${p}`);
}

/** The printed summary: kills by step kind, by phase, failpoints reached, and the figures. */
function distribution(kills: readonly KillRecord[], figures: Record<string, unknown>): string {
  const phases = new Tally<KillPhase>();
  const outside = new Tally<KillPhase>();
  const failpoints = new Tally<FailpointName>();
  const steps = new Tally<string>();
  for (const kill of kills) {
    steps.add(kill.step);
    phases.add(kill.phase);
    if (kill.failpoint !== null) failpoints.add(kill.failpoint);
    else outside.add(kill.phase);
  }
  return [
    `kill campaign: ${kills.length} kills ${JSON.stringify(figures)}`,
    `  by step: ${steps.format(["delay", "window", "failpoint"])}`,
    `  landed (all kills): ${phases.format(KILL_PHASES)}`,
    `  landed (kills from outside): ${outside.format(KILL_PHASES)}`,
    `  failpoints: ${failpoints.format(FAILPOINT_NAMES)}`,
    `  window kills: ${
      kills.filter((k) => k.step === "window").map((k) => `${k.lane} ${k.detail} → ${k.phase}`)
        .join("; ")
    }`,
  ].join("\n");
}
