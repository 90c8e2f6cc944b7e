/**
 * The soak: six paper traders on the accelerated emulator plus one live trader, a backfiller and
 * `dashboard --once` in loops and a writer probe, all on one DB for a bounded time; then checks.
 */
import { maskDatabaseUrl } from "../../src/storage/database_url.ts";
import { openStore } from "../../src/storage/mod.ts";
import { HeartbeatSampler } from "./heartbeat_sampler.ts";
import { spawnTask, stopTask, type TaskProcess } from "./processes.ts";
import { repeatTask, spawnBackfill, spawnDashboard } from "./soak_loops.ts";
import { scanDatabase } from "./secret_check.ts";
import {
  createSoakWorld,
  LIVE_KEY,
  PAPER_KEY,
  type SoakInstance,
  type SoakWorld,
} from "./soak_setup.ts";
import { type SoakRun, soakVerdict } from "./soak_verdict.ts";
import type { ProbeResult } from "./write_probe.ts";

/** How long and how hard to soak. */
export interface SoakOptions {
  readonly durationMs: number;
  /** Market ms per wall ms of the paper emulator. */
  readonly speed: number;
  readonly withLive: boolean;
  readonly seed: number;
  /** Work directory (logs, configs, the SQLite DB); must exist and be empty. */
  readonly dir: string;
  /** The fresh DB every process shares (`soakDatabaseUrl`): a SQLite file or a new schema. */
  readonly databaseUrl: string;
  /** Progress lines. */
  readonly say: (line: string) => void;
}

function spawnTrader(world: SoakWorld, instance: SoakInstance): TaskProcess {
  const emulator = instance.mode === "live" ? world.live! : world.paper;
  const env: Record<string, string> = {
    DATABASE_URL: world.databaseUrl,
    LOG_DIR: world.logDir,
    BINANCE_API_URL: emulator.url,
  };
  // Paper instances get keys too: paper mode must ignore them.
  const key = instance.mode === "live" ? LIVE_KEY : PAPER_KEY;
  [env.BINANCE_API_KEY, env.BINANCE_API_SECRET] = [key.apiKey, key.secret];
  const args = ["--config", instance.configPath];
  if (instance.mode === "paper") args.push("--test-clock", `emulator:${world.paper.url}`);
  return spawnTask(instance.name, {
    script: "tasks/trade.ts",
    args,
    env,
    outputPath: `${world.outputDir}/${instance.name}.out`,
  });
}

async function waitRunning(world: SoakWorld, traders: readonly TaskProcess[]): Promise<void> {
  const store = openStore(world.databaseUrl);
  try {
    for (let waitedMs = 0; waitedMs < 120_000; waitedMs += 200) {
      const rows = store.instances.list();
      const running = traders.filter((t) =>
        rows.some((r) => r.name === t.name && r.status === "running")
      );
      const dead = traders.find((t) => !t.alive());
      if (dead) throw new Error(`${dead.name} exited while starting: see ${dead.outputPath}`);
      if (running.length === traders.length) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error("traders did not all reach status running within 120 s");
  } finally {
    store.close();
  }
}

/** Runs the soak and returns its figures and checks (it never throws on a failed check). */
export async function runSoak(options: SoakOptions): Promise<SoakRun> {
  const world = await createSoakWorld(options.dir, options);
  const startedMs = Date.now();
  const traders = world.instances.map((instance) => spawnTrader(world, instance));
  const probeOut = `${world.dir}/write-probe.json`;
  const probe = spawnTask("write-probe", {
    script: "tools/soak/write_probe_main.ts",
    args: [world.databaseUrl, "100", probeOut],
    env: {},
    outputPath: `${world.outputDir}/write-probe.out`,
  });
  const stopLoops = new AbortController();
  let loops: Promise<Awaited<ReturnType<typeof repeatTask>>[]> | null = null;
  const sampler = new HeartbeatSampler();
  try {
    options.say(
      `soak: ${traders.length} traders starting in ${world.dir} on ${
        maskDatabaseUrl(world.databaseUrl)
      }`,
    );
    await waitRunning(world, traders);
    world.paper.setSpeed(options.speed);
    const runStartedMs = Date.now();
    const marketFromMs = world.paper.clock.nowMs();
    options.say(`soak: all running; market clock ×${options.speed} for ${options.durationMs} ms`);
    const loopOptions = { pauseMs: 500, signal: stopLoops.signal };
    loops = Promise.all([
      repeatTask((i) => spawnBackfill(world, i), loopOptions),
      repeatTask((i) => spawnDashboard(world, i), { ...loopOptions, pauseMs: 2_000 }),
    ]);
    await sampleUntil(world, traders, sampler, runStartedMs + options.durationMs);
    world.paper.setSpeed(0);
    stopLoops.abort();
    const [backfill, dashboard] = await loops;
    const databaseScan = await scanDatabase(world);
    const traderStops = await Promise.all(traders.map((t) => stopTask(t)));
    await stopTask(probe);
    const probeResult = JSON.parse(await Deno.readTextFile(probeOut)) as ProbeResult;
    return await soakVerdict(world, {
      startedMs,
      runMs: Date.now() - runStartedMs,
      marketMs: world.paper.clock.nowMs() - marketFromMs,
      traderExits: traders.map((t, i) => ({ name: t.name, code: traderStops[i].code })),
      backfill,
      dashboard,
      probe: probeResult,
      heartbeats: sampler.figures,
      databaseScan,
    });
  } finally {
    stopLoops.abort();
    await Promise.all([...traders, probe].map((t) => stopTask(t, 2_000)));
    await loops?.catch(() => {});
    await world.paper.close();
    await world.live?.close();
  }
}

async function sampleUntil(
  world: SoakWorld,
  traders: readonly TaskProcess[],
  sampler: HeartbeatSampler,
  untilMs: number,
): Promise<void> {
  const store = openStore(world.databaseUrl);
  try {
    while (Date.now() < untilMs) {
      const alive = (name: string) => traders.some((t) => t.name === name && t.alive());
      sampler.sample(store, alive, Date.now());
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    store.close();
  }
}
