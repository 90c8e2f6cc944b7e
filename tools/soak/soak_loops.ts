/** The soak's side loads: a backfiller and `dashboard --once`, each run again and again. */
import { spawnTask, type TaskProcess } from "./processes.ts";
import type { SoakWorld } from "./soak_setup.ts";

const DAY_MS = 86_400_000;
const TIMEFRAMES = ["1m", "5m", "15m"];

/** Runs of one looped task. */
export interface LoopFigures {
  runs: number;
  failures: string[];
}

/** Runs `spawn(i)` one after another (pausing `pauseMs`) until `signal` aborts. */
export async function repeatTask(
  spawn: (i: number) => TaskProcess,
  options: { pauseMs: number; signal: AbortSignal },
): Promise<LoopFigures> {
  const figures: LoopFigures = { runs: 0, failures: [] };
  for (let i = 0; !options.signal.aborted; i++) {
    const task = spawn(i);
    const status = await task.done;
    figures.runs++;
    if (status.code !== 0) figures.failures.push(`${task.name}: exit ${status.code}`);
    await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
  }
  return figures;
}

/** Backfill run `i`: a 2-day window of one symbol and timeframe, 100 candles per request. */
export function spawnBackfill(world: SoakWorld, i: number): TaskProcess {
  const symbol = world.symbols[i % world.symbols.length];
  const timeframe = TIMEFRAMES[Math.floor(i / world.symbols.length) % TIMEFRAMES.length];
  const untilMs = world.marketStartMs - (i % 10) * 2 * DAY_MS;
  return spawnTask(`backfill-${i}`, {
    script: "tasks/backfill.ts",
    // Small pages: requests at CCXT's full pace, so the shared rate budget has work to do.
    args: [
      ...["--exchange", "binance", "--symbol", symbol, "--timeframe", timeframe],
      ...["--since", String(untilMs - 2 * DAY_MS), "--until", String(untilMs)],
      ...["--page-size", "100"],
    ],
    env: {
      DATABASE_URL: world.databaseUrl,
      LOG_DIR: world.logDir,
      BINANCE_API_URL: world.paper.url,
    },
    outputPath: `${world.outputDir}/backfill.out`,
  });
}

/** One `dashboard --once` run on the soak's DB. */
export function spawnDashboard(world: SoakWorld, i: number): TaskProcess {
  return spawnTask(`dashboard-${i}`, {
    script: "tasks/dashboard.ts",
    args: ["--once", "--db", world.databaseUrl],
    env: { DATABASE_URL: world.databaseUrl, LOG_DIR: world.logDir },
    outputPath: `${world.outputDir}/dashboard.out`,
  });
}
