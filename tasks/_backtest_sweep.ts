/** The `--sweep` branch of `deno task backtest`: validate each combination, run, print ranked. */
import { formatSweepTable } from "../src/backtest/report_sweep.ts";
import { rankSweep, type SweepJob } from "../src/backtest/sweep_results.ts";
import {
  runSweep,
  spawnBacktestWorker,
  sweepWorkerCount,
  warmBacktestWorkers,
} from "../src/sandbox/run_sweep.ts";
import { combinations, countCombinations, type SweepAxis } from "../src/backtest/sweep_grid.ts";
import type { Metrics } from "../src/backtest/metrics.ts";
import type { CandleColumns } from "../src/backtest/run_backtest.ts";
import { parseInstanceConfig, readConfigFile, type StrategyCatalog } from "../src/config/mod.ts";
import { parseYaml } from "../src/config/yaml_source.ts";
import { ConfigError, InputError } from "../src/core/errors.ts";
import type { MarketFacts } from "../src/risk/market_rules.ts";
import { urlToPath } from "../src/core/file_paths.ts";
import { writeLine } from "./_cli.ts";

const METRIC_KEYS = [
  "returnPct",
  "sharpe",
  "sortino",
  "calmar",
  "cagrPct",
  "winRatePct",
  "profitFactor",
  "expectancyPct",
  "sqn",
  "equityFinal",
] as const;

/** What the sweep needs from the task. */
export interface SweepTaskInput {
  readonly configPath: string;
  readonly sets: readonly string[];
  readonly axes: readonly SweepAxis[];
  readonly candles: CandleColumns;
  readonly market: MarketFacts | null;
  readonly rankBy: string;
  /** Validates each combination's strategy params (a user module's own schema). */
  readonly catalog: StrategyCatalog;
}

/** Runs the grid on every core and prints the best combinations. */
export async function runSweepTask(input: SweepTaskInput): Promise<void> {
  const rankBy = METRIC_KEYS.find((key) => key === input.rankBy);
  if (rankBy === undefined) {
    throw new InputError(
      `Cannot read --rank-by: unknown metric "${input.rankBy}"; use one of ${
        METRIC_KEYS.join(", ")
      }`,
    );
  }
  // Workers load their modules from ./src, which the task's permission set must let them read.
  const src = urlToPath(new URL("../src/", import.meta.url));
  const canSpawn = Deno.permissions.querySync({ name: "read", path: src }).state === "granted";
  const text = await readConfigFile(input.configPath);
  // Parsed once; each combination's overrides are applied to a copy and validated. A file that
  // does not parse goes in as text, so every combination reports its problem as before.
  const yaml = parseYaml(text);
  // Started now, they load and warm up while the combinations are validated. A built-in runs in
  // this thread too, so it needs a worker fewer (runSweep corrects a wrong guess).
  const spawned = canSpawn
    ? Array.from(
      { length: sweepWorkerCount(!namesModule(yaml, input), countCombinations(input.axes)) },
      () => spawnBacktestWorker(),
    )
    : [];
  try {
    await runJobs(input, rankBy, "data" in yaml ? yaml : text, canSpawn ? spawned : null);
  } finally {
    for (const worker of spawned) worker.terminate();
  }
}

/** Whether the config (or a --set or --sweep key) names a user strategy module. */
function namesModule(yaml: ReturnType<typeof parseYaml>, input: SweepTaskInput): boolean {
  const keys = [...input.sets, ...input.axes.map((axis) => axis.key)];
  if (keys.some((key) => key.trim().startsWith("strategy.module"))) return true;
  if (!("data" in yaml)) return false;
  const strategy = (yaml.data as { strategy?: { module?: unknown } } | null)?.strategy;
  return typeof strategy === "object" && strategy !== null && strategy.module !== undefined;
}

async function runJobs(
  input: SweepTaskInput,
  rankBy: (typeof METRIC_KEYS)[number],
  source: Parameters<typeof parseInstanceConfig>[0],
  /** Early workers, or null when the task may not start any. */
  spawned: readonly Worker[] | null,
): Promise<void> {
  const jobs: SweepJob[] = [];
  const skipped: string[] = [];
  for (const overrides of combinations(input.axes)) {
    try {
      const config = parseInstanceConfig(source, {
        path: input.configPath,
        overrides: [...input.sets, ...overrides],
        strategies: input.catalog,
      });
      jobs.push({ overrides, config });
      if (jobs.length === 1 && spawned !== null) {
        warmBacktestWorkers(spawned, config, input.candles, input.market);
      }
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      skipped.push(error.message);
    }
  }
  if (jobs.length === 0) {
    throw new InputError(`Cannot run --sweep: every combination is invalid; first: ${skipped[0]}`);
  }
  const started = performance.now();
  const builtin = jobs[0].config.strategy.module === undefined;
  const workers = spawned !== null ? sweepWorkerCount(builtin, jobs.length) : 0;
  const results = await runSweep(jobs, input.candles, {
    market: input.market,
    workers,
    spawned: spawned ?? [],
  });
  const seconds = (performance.now() - started) / 1000;
  for (const line of formatSweepTable(rankSweep(results, rankBy as keyof Metrics))) writeLine(line);
  writeLine("");
  writeLine(
    `${jobs.length} combinations on ${input.candles.length} candles in ${
      seconds.toFixed(1)
    } s with ` +
      (spawned === null
        ? "no workers (read access to ./src missing)"
        : `${workers} worker${workers === 1 ? "" : "s"}` + (builtin ? " and this thread" : "")) +
      `, ranked by ${rankBy}` +
      (skipped.length > 0 ? `; ${skipped.length} invalid skipped (first: ${skipped[0]})` : ""),
  );
}
