/**
 * `deno task optimize --config FILE`: searches a strategy's parameters on stored candles, with
 * walk-forward validation and overfitting statistics (docs/optimize.md).
 */
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { loadBacktestCandles } from "../src/backtest/load_candles.ts";
import { CHART_LIBRARY_PATH } from "../src/backtest/report_html.ts";
import {
  checkCombinations,
  countCombinations,
  parseSweep,
  type SweepAxis,
} from "../src/backtest/sweep_grid.ts";
import { loadConfig } from "../src/app/load_config.ts";
import {
  type InstanceConfig,
  parseInstanceConfig,
  readSettings,
  type StrategyCatalog,
} from "../src/config/mod.ts";
import { ConfigError, InputError } from "../src/core/errors.ts";
import { timeframeMs } from "../src/core/timeframe.ts";
import { EvaluationPool } from "../src/optimize/evaluation_pool.ts";
import { type Objective, parseObjectiveMetric } from "../src/optimize/objective.ts";
import { foldsOf, runOptimization } from "../src/optimize/optimize_run.ts";
import type { OptimizeContext, Trial } from "../src/optimize/optimize_window.ts";
import { DEFAULT_PBO_SLICES } from "../src/optimize/pbo.ts";
import { OptimizeProgress } from "../src/optimize/progress.ts";
import { buildOptimizeReport } from "../src/optimize/report_json.ts";
import { formatOptimizeHtml } from "../src/optimize/report_html.ts";
import { formatOptimizeReport } from "../src/optimize/report_terminal.ts";
import {
  initialCandidates,
  plannedRuns,
  SEARCH_METHODS,
  type SearchSettings,
} from "../src/optimize/search_plan.ts";
import { TrialStore } from "../src/optimize/trial_store.ts";
import { parseWalkForward } from "../src/optimize/walk_forward.ts";
import { openDatabase, openStore } from "../src/storage/mod.ts";
import { openTimeBounds, resolveRange } from "./_backtest_range.ts";
import { newCommand, runTask, writeLine } from "./_cli.ts";

/** Largest space searched without `--max-combinations`. */
const DEFAULT_MAX_COMBINATIONS = 100_000;
const REPORT_DIR = "data/reports";
const PROJECT_ROOT = fileURLToPath(new URL("../", import.meta.url));

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function integer(name: string, min: number) {
  return (text: string): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min) {
      throw new InputError(
        `Cannot read ${name}: must be an integer of at least ${min} (got "${text}")`,
      );
    }
    return value;
  };
}

function command() {
  return newCommand("optimize", "Search a strategy's parameters, with walk-forward validation")
    .requiredOption("--config <file>", "instance config (config/strategies/*.yaml)")
    .option("--from <date>", "first candle, YYYY-MM-DD or ISO 8601 UTC (default: backtest.from)")
    .option("--to <date>", "end of the range, exclusive (default: backtest.to, else all data)")
    .option("--set <key=value>", "override a config key (repeatable)", collect, [] as string[])
    .option(
      "--sweep <key=from..to:step>",
      "a searched key (repeatable; default optimize.space)",
      collect,
      [] as string[],
    )
    .option("--objective <metric>", "report metric to optimise (default optimize.objective)")
    .option("--minimize", "minimise the objective instead of maximising it")
    .option(
      "--min-trades <n>",
      "fewest trades the best may have (default optimize.min_trades)",
      integer("--min-trades", 0),
    )
    .option(
      "--method <name>",
      `search method: ${SEARCH_METHODS.join(", ")} (default optimize.method)`,
    )
    .option(
      "--samples <n>",
      "random/halving: points drawn (default optimize.samples)",
      integer("--samples", 1),
    )
    .option("--seed <n>", "seed of the draws (default optimize.seed)", integer("--seed", 0))
    .option("--walk-forward <spec>", "train=180d,test=30d[,step=30d][,anchored]")
    .option(
      "--max-combinations <n>",
      "largest space allowed (default 100,000)",
      integer("--max-combinations", 1),
    )
    .option(
      "--pbo-slices <n>",
      "slices of the PBO's cross-validation (even, at most 20)",
      integer("--pbo-slices", 2),
      DEFAULT_PBO_SLICES,
    )
    .option("--json <file>", `JSON report (default ${REPORT_DIR}/<name>-optimize.json)`)
    .option("--html <file>", `HTML report (default ${REPORT_DIR}/<name>-optimize.html)`)
    .option("--resume", "continue the interrupted run with the same inputs");
}

type Options = ReturnType<ReturnType<typeof command>["opts"]>;

async function main(args: string[]): Promise<void> {
  const program = command();
  await program.parseAsync(args, { from: "user" });
  const options = program.opts();
  using loaded = await loadConfig(options.config, { overrides: options.set });
  const config = loaded.config;
  const axes = readSpace(options, config);
  const objective = readObjective(options, config);
  const search = readSearch(options, config);
  if (options.pboSlices % 2 !== 0 || options.pboSlices > 20) {
    throw new InputError(
      `Cannot read --pbo-slices: must be even and at most 20 (got ${options.pboSlices})`,
    );
  }
  const jsonPath = options.json ?? `${REPORT_DIR}/${config.name}-optimize.json`;
  const htmlPath = options.html ?? `${REPORT_DIR}/${config.name}-optimize.html`;
  checkWritable("--json", jsonPath);
  checkWritable("--html", htmlPath);
  const walkForward = options.walkForward === undefined
    ? null
    : parseWalkForward(options.walkForward);
  const requested = resolveRange(config, options);
  const settings = readSettings(Deno.env.toObject());
  const store = openStore(settings.databaseUrl);
  const db = openDatabase(settings.databaseUrl);
  let pool: EvaluationPool | null = null;
  try {
    const market = store.markets.get(config.exchange, config.symbol);
    const { columns } = loadBacktestCandles(store.candles, config, openTimeBounds(requested));
    const n = columns.length;
    const range = {
      fromMs: requested.fromMs ?? columns.openTimeMs[0],
      toMs: requested.toMs ?? columns.openTimeMs[n - 1] + timeframeMs(config.timeframe),
    };
    const folds = foldsOf({ range, walkForward });
    const configFor = configCache(loaded.text, options.config, options.set, loaded.catalog);
    const runKey = await runKeyOf({
      text: loaded.text,
      sets: options.set,
      axes,
      objective,
      search,
      walkForward,
      range,
      slices: options.pboSlices,
      candles: [n, columns.openTimeMs[0], columns.openTimeMs[n - 1]],
    });
    const trials = new TrialStore(db, runKey);
    if (!options.resume) trials.clear();
    const stored = options.resume ? trials.load() : new Map();
    const space = countCombinations(axes);
    pool = new EvaluationPool(columns, { market, workers: workerCount(space) });
    // Every finished combination is already stored: a stop loses at most the running ones.
    const stop = () => {
      Deno.stderr.writeSync(new TextEncoder().encode(
        (Deno.stderr.isTerminal() ? "\r\x1b[2K" : "") +
          "Stopped; the finished combinations are stored: run the same command with --resume to continue\n",
      ));
      Deno.exit(0);
    };
    Deno.addSignalListener("SIGINT", stop);
    Deno.addSignalListener("SIGTERM", stop);
    const valid = initialCandidates(axes, search).filter((o) => configFor(o) !== null).length;
    const total = (1 + folds.length) * plannedRuns(search, valid);
    const write = (text: string) => Deno.stderr.writeSync(new TextEncoder().encode(text));
    const progress = Deno.stderr.isTerminal()
      ? new OptimizeProgress(write, {
        total,
        nowMs: () => performance.now(),
        columns: Deno.consoleSize().columns,
      })
      : null;
    const started = performance.now();
    const context: OptimizeContext = {
      axes,
      objective,
      search,
      pool,
      store: trials,
      stored,
      configFor,
      openTimeMs: columns.openTimeMs,
      pboSlices: options.pboSlices,
      onTrial: (stage, _trial, best) => progress?.advance(stage, bestText(objective, best)),
    };
    const result = await runOptimization(context, {
      range,
      walkForward,
      startBalance: config.account.balance,
      testConfig: (trial: Trial, balance: number) =>
        configFor([...trial.overrides, `account.balance=${balance}`])!,
    });
    progress?.finish();
    const seconds = (performance.now() - started) / 1000;
    for (const line of formatOptimizeReport(result, objective)) writeLine(line);
    const report = buildOptimizeReport({ config, axes, objective, search, result });
    await writeReport(jsonPath, JSON.stringify(report, null, 2) + "\n");
    const chartLibrary = await Deno.readTextFile(PROJECT_ROOT + CHART_LIBRARY_PATH);
    await writeReport(
      htmlPath,
      formatOptimizeHtml(report, result, { chartLibrary, candles: columns }),
    );
    writeLine("");
    writeLine(
      `${result.full.trials.length} combinations on ${n} candles` +
        (folds.length > 0 ? ` and ${folds.length} folds` : "") +
        ` in ${seconds.toFixed(1)} s with ${
          pool.workers > 0 ? `${pool.workers} workers` : "no workers"
        }` +
        `${stored.size > 0 ? ` (${stored.size} reused from the interrupted run)` : ""}; ` +
        `reports: ${jsonPath}, ${htmlPath}`,
    );
  } finally {
    pool?.close();
    db.close();
    store.close();
  }
}

function readSpace(options: Options, config: InstanceConfig): SweepAxis[] {
  let axes: SweepAxis[];
  if (options.sweep.length > 0) axes = options.sweep.map(parseSweep);
  else {
    axes = Object.entries(config.optimize.space).map(([key, value]) => {
      try {
        return parseSweep(`${key}=${value}`);
      } catch (error) {
        throw new InputError(
          `Cannot read config "${options.config}": optimize.space.${key}: ` +
            (error as Error).message.replace(/^Cannot parse --sweep "[^"]*": /, ""),
        );
      }
    });
  }
  if (axes.length === 0) {
    throw new InputError(
      `Cannot optimize "${options.config}": no search space; give --sweep key=from..to:step or optimize.space in the config`,
    );
  }
  if (countCombinations(axes) < 2) {
    throw new InputError(
      `Cannot optimize "${options.config}": the search space has one point (${
        axes.map((a) => `${a.key}=${a.values[0]}`).join(" ")
      }); widen a range`,
    );
  }
  checkCombinations(axes, options.maxCombinations ?? DEFAULT_MAX_COMBINATIONS);
  return axes;
}

function readObjective(options: Options, config: InstanceConfig): Objective {
  const source = options.objective === undefined
    ? `config "${options.config}": optimize.objective`
    : "--objective";
  return {
    metric: parseObjectiveMetric(options.objective ?? config.optimize.objective, source),
    direction: options.minimize ? "minimize" : config.optimize.direction,
    minTrades: options.minTrades ?? config.optimize.min_trades,
  };
}

function readSearch(options: Options, config: InstanceConfig): SearchSettings {
  const name = options.method ?? config.optimize.method;
  const method = SEARCH_METHODS.find((m) => m === name);
  if (method === undefined) {
    throw new InputError(
      `Cannot read --method: unknown method "${name}"; use ${SEARCH_METHODS.join(", ")}`,
    );
  }
  return {
    method,
    samples: options.samples ?? config.optimize.samples,
    seed: options.seed ?? config.optimize.seed,
  };
}

/** Each combination's validated config, parsed once; null when the combination is invalid. */
function configCache(
  text: string,
  path: string,
  sets: readonly string[],
  catalog: StrategyCatalog,
) {
  const cache = new Map<string, InstanceConfig | null>();
  return (overrides: readonly string[]): InstanceConfig | null => {
    const key = overrides.join(" ");
    if (!cache.has(key)) {
      try {
        cache.set(
          key,
          parseInstanceConfig(text, {
            path,
            overrides: [...sets, ...overrides],
            strategies: catalog,
          }),
        );
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        cache.set(key, null);
      }
    }
    return cache.get(key)!;
  };
}

/** One worker per core, when the permission set lets workers load ./src. */
function workerCount(space: number): number {
  const src = fileURLToPath(new URL("../src/", import.meta.url));
  const canSpawn = Deno.permissions.querySync({ name: "read", path: src }).state === "granted";
  return canSpawn ? Math.min(navigator.hardwareConcurrency ?? 1, space) : 0;
}

/** A hash of everything that decides the trials, so `--resume` only reuses matching ones. */
async function runKeyOf(inputs: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(inputs));
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

function bestText(objective: Objective, best: Trial | null): string {
  if (best === null) return "—";
  const value = best.metrics[objective.metric];
  return `${objective.metric} ${value === null ? "—" : value.toFixed(2)} (${
    Object.values(best.params).join(" ")
  })`;
}

/** Refuses a report path the permission set cannot write before any work is done. */
function checkWritable(option: string, path: string): void {
  if (Deno.permissions.querySync({ name: "write", path: dirname(path) }).state === "granted") {
    return;
  }
  throw new InputError(
    `Cannot write ${option} ${path}: the optimize permission set writes only under ./data and ./logs; ` +
      "choose a path there",
  );
}

async function writeReport(path: string, text: string): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  await Deno.writeTextFile(path, text);
}

if (import.meta.main) await runTask("optimize", main);
