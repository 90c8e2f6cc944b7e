/**
 * `deno task backtest`'s options. The usual command lines (each option once or more with its
 * value as the next argument) are read here; anything else (help, a missing or dash-led value,
 * `--opt=value`, an unknown option, `--max-combinations`) goes to commander, which then gives the
 * same options or the same usage error as always. Commander and its Node modules load only then,
 * not before every backtest's first candle.
 */
import { DEFAULT_MAX_COMBINATIONS } from "../src/backtest/sweep_grid.ts";
import { InputError } from "../src/core/errors.ts";

/** Where reports go unless `--json`/`--html` say otherwise (gitignored). */
export const REPORT_DIR = "data/reports";

/** The options of one `backtest` command line, as commander's `opts()` gives them. */
export interface BacktestOptions {
  config: string;
  from?: string;
  to?: string;
  json?: string;
  html?: string;
  csv?: string;
  set: string[];
  sweep: string[];
  maxCombinations: number;
  rankBy: string;
  save: boolean;
}

const VALUE_OPTIONS = {
  "--config": "config",
  "--from": "from",
  "--to": "to",
  "--json": "json",
  "--html": "html",
  "--csv": "csv",
  "--rank-by": "rankBy",
} as const;
const LIST_OPTIONS = { "--set": "set", "--sweep": "sweep" } as const;

/** The options of `args` when they are a plain command line; null: ask commander. */
export function readPlainArgs(args: readonly string[]): BacktestOptions | null {
  const options: Partial<BacktestOptions> & { set: string[]; sweep: string[] } = {
    set: [],
    sweep: [],
    maxCombinations: DEFAULT_MAX_COMBINATIONS,
    rankBy: "returnPct",
    save: true,
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--no-save") {
      options.save = false;
      continue;
    }
    const value = args[i + 1];
    if (value === undefined || value.startsWith("-")) return null;
    if (Object.hasOwn(VALUE_OPTIONS, arg)) {
      options[VALUE_OPTIONS[arg as keyof typeof VALUE_OPTIONS]] = value;
    } else if (Object.hasOwn(LIST_OPTIONS, arg)) {
      options[LIST_OPTIONS[arg as keyof typeof LIST_OPTIONS]].push(value);
    } else {
      return null;
    }
    i++;
  }
  return options.config === undefined ? null : options as BacktestOptions;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function positiveInt(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new InputError(
      `Cannot read --max-combinations: must be a positive integer (got "${text}")`,
    );
  }
  return value;
}

/** The options of `args` through commander: any command line, with its help and usage errors. */
export async function readArgs(args: string[]): Promise<BacktestOptions> {
  const { newCommand } = await import("./_cli.ts");
  const program = newCommand(
    "backtest",
    "Backtest one config on stored candles and write its reports",
  )
    .requiredOption("--config <file>", "instance config (config/strategies/*.yaml)")
    .option("--from <date>", "first candle, YYYY-MM-DD or ISO 8601 UTC (default: backtest.from)")
    .option("--to <date>", "end of the range, exclusive (default: backtest.to, else all data)")
    .option("--json <file>", `JSON report (default ${REPORT_DIR}/<name>.json)`)
    .option("--html <file>", `HTML report (default ${REPORT_DIR}/<name>.html)`)
    .option("--csv <file>", "CSV of the trades")
    .option("--set <key=value>", "override a config key (repeatable)", collect, [] as string[])
    .option(
      "--sweep <key=from..to:step>",
      "sweep a key over a grid (repeatable)",
      collect,
      [] as string[],
    )
    .option(
      "--max-combinations <n>",
      "largest sweep allowed",
      positiveInt,
      DEFAULT_MAX_COMBINATIONS,
    )
    .option("--rank-by <metric>", "sweep ranking metric, higher is better", "returnPct")
    .option("--no-save", "do not store the run in backtest_runs");
  await program.parseAsync(args, { from: "user" });
  return program.opts();
}

/** `readPlainArgs`, else commander. */
export async function readBacktestArgs(args: string[]): Promise<BacktestOptions> {
  return readPlainArgs(args) ?? await readArgs(args);
}
