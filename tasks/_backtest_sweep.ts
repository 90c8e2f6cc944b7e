/** The `--sweep` branch of `deno task backtest`: validate each combination, run, print ranked. */
import { formatSweepTable } from "../src/backtest/report_sweep.ts";
import { rankSweep, type SweepJob } from "../src/backtest/sweep_results.ts";
import { runSweep, spawnBacktestWorker } from "../src/sandbox/run_sweep.ts";
import { combinations, countCombinations, type SweepAxis } from "../src/backtest/sweep_grid.ts";
import type { Metrics } from "../src/backtest/metrics.ts";
import type { CandleColumns } from "../src/backtest/run_backtest.ts";
import { parseInstanceConfig, readConfigFile, type StrategyCatalog } from "../src/config/mod.ts";
import { parseYaml } from "../src/config/yaml_source.ts";
import { ConfigError, InputError } from "../src/core/errors.ts";
import type { MarketFacts } from "../src/risk/market_rules.ts";
import { fileURLToPath } from "node:url";
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
  const src = fileURLToPath(new URL("../src/", import.meta.url));
  const canSpawn = Deno.permissions.querySync({ name: "read", path: src }).state === "granted";
  const cores = navigator.hardwareConcurrency ?? 1;
  // Started now, they load while the combinations are validated.
  const spawned = canSpawn
    ? Array.from(
      { length: Math.min(cores, countCombinations(input.axes)) },
      () => spawnBacktestWorker(),
    )
    : [];
  try {
    await runJobs(input, rankBy, spawned);
  } finally {
    for (const worker of spawned) worker.terminate();
  }
}

async function runJobs(
  input: SweepTaskInput,
  rankBy: (typeof METRIC_KEYS)[number],
  spawned: readonly Worker[],
): Promise<void> {
  const text = await readConfigFile(input.configPath);
  // Parsed once; each combination's overrides are applied to a copy and validated. A file that
  // does not parse goes in as text, so every combination reports its problem as before.
  const yaml = parseYaml(text);
  const source = "data" in yaml ? yaml : text;
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
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      skipped.push(error.message);
    }
  }
  if (jobs.length === 0) {
    throw new InputError(`Cannot run --sweep: every combination is invalid; first: ${skipped[0]}`);
  }
  const started = performance.now();
  const workers = spawned.length > 0 ? Math.min(spawned.length, jobs.length) : 0;
  const results = await runSweep(jobs, input.candles, {
    market: input.market,
    workers,
    spawned,
  });
  const seconds = (performance.now() - started) / 1000;
  for (const line of formatSweepTable(rankSweep(results, rankBy as keyof Metrics))) writeLine(line);
  writeLine("");
  writeLine(
    `${jobs.length} combinations on ${input.candles.length} candles in ${
      seconds.toFixed(1)
    } s with ` +
      (workers > 0 ? `${workers} workers` : "no workers (read access to ./src missing)") +
      `, ranked by ${rankBy}` +
      (skipped.length > 0 ? `; ${skipped.length} invalid skipped (first: ${skipped[0]})` : ""),
  );
}
