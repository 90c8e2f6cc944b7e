/**
 * `deno task candles import|export|gaps|list|resample|rebuild-chunks`: move candles between files
 * and the DB.
 */
import { Option } from "@commander-js/extra-typings";
import {
  formatCandleCsv,
  formatSeriesTable,
  importCandleFile,
  parseMarketArgs,
  parseTimeframeOption,
  resampleStoredCandles,
} from "../src/candles/mod.ts";
import { parseConfigDate } from "../src/config/mod.ts";
import { readSettings } from "../src/config/env.ts";
import { InputError } from "../src/core/errors.ts";
import { formatUtc } from "../src/core/format_time.ts";
import type { MarketRef } from "../src/core/types.ts";
import { createStore, openDatabase, openStore, type Store } from "../src/storage/mod.ts";
import { rebuildChunks } from "../src/storage/rebuild_chunks.ts";
import { findGaps, parseTimeframe, resampleProblem } from "../src/timeframes/mod.ts";
import { newCommand, runTask, writeLine } from "./_cli.ts";

interface MarketOptions {
  exchange: string;
  symbol: string;
  timeframe: string;
}

function openFromEnv(options: { readOnly?: boolean } = {}): Store {
  return openStore(readSettings(Deno.env.toObject()).databaseUrl, options);
}

function parseDate(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const timeMs = /^\d+$/.test(text) ? Number(text) : parseConfigDate(text);
  if (Number.isNaN(timeMs)) {
    throw new InputError(`Cannot read --${name}: not a date (got "${text}"; use YYYY-MM-DD)`);
  }
  return timeMs;
}

function range(options: { from?: string; to?: string }): [number, number] {
  const fromMs = parseDate("from", options.from) ?? -Infinity;
  const toMs = parseDate("to", options.to) ?? Infinity;
  if (fromMs > toMs) throw new InputError("Cannot read --from/--to: --from is after --to");
  return [fromMs, toMs];
}

async function readInput(file: string): Promise<Uint8Array> {
  try {
    return await Deno.readFile(file);
  } catch (error) {
    const why = error instanceof Deno.errors.NotFound
      ? "no such file"
      : error instanceof Deno.errors.IsADirectory
      ? "is a directory"
      : (error as Error).message;
    throw new InputError(`Cannot import "${file}": ${why}`, { cause: error });
  }
}

async function runImport(
  options: MarketOptions & { file: string; skipInvalid?: boolean; format?: "csv" | "json" },
): Promise<void> {
  const market = parseMarketArgs(options);
  const bytes = await readInput(options.file);
  const store = openFromEnv();
  try {
    const started = performance.now();
    const result = importCandleFile(store.candles, bytes, { ...options, market });
    const seconds = (performance.now() - started) / 1000;
    for (const skipped of result.skipped.slice(0, 10)) writeLine(`skipped ${skipped.message}`);
    writeLine(
      `Imported "${options.file}" into ${label(market)}: ${result.rows} rows, ` +
        `${result.inserted} new, ${result.updated} updated, ${result.unchanged} unchanged, ` +
        `${result.skipped.length} skipped, ${Math.round(result.rows / seconds)} rows/s`,
    );
  } finally {
    store.close();
  }
}

async function runExport(options: MarketOptions & { from?: string; to?: string; out: string }) {
  const market = parseMarketArgs(options);
  const [fromMs, toMs] = range(options);
  const store = openFromEnv({ readOnly: true });
  try {
    const rows = store.candles.loadRange(market, fromMs, toMs);
    if (rows.length === 0) throw new InputError(`Cannot export ${label(market)}: no candles`);
    const text = formatCandleCsv(rows);
    if (options.out === "-") await Deno.stdout.write(new TextEncoder().encode(text));
    else await Deno.writeTextFile(options.out, text);
    if (options.out !== "-") writeLine(`Exported ${rows.length} candles to "${options.out}"`);
  } finally {
    store.close();
  }
}

function runGaps(options: MarketOptions & { from?: string; to?: string }): void {
  const market = parseMarketArgs(options);
  const [fromMs, toMs] = range(options);
  const store = openFromEnv({ readOnly: true });
  try {
    const bounds = store.candles.bounds(market);
    if (!bounds) throw new InputError(`Cannot list gaps of ${label(market)}: no candles stored`);
    const first = Math.max(fromMs, bounds.firstMs);
    const last = Math.min(toMs, bounds.lastMs);
    const times = store.candles.openTimes(market, first, last);
    const gaps = findGaps(times, parseTimeframe(market.timeframe), first, last);
    const recorded = new Map(store.gaps.list(market).map((gap) => [gap.fromMs, gap]));
    writeLine(`${label(market)}: ${gaps.length} gaps, ${sum(gaps)} missing candles`);
    for (const gap of gaps) {
      const known = recorded.get(gap.fromMs);
      const note = known?.confirmedMs != null ? "  (exchange lacks them)" : "";
      writeLine(
        `  ${formatUtc(gap.fromMs)} → ${formatUtc(gap.toMs)}  ${gap.missing} missing${note}`,
      );
    }
  } finally {
    store.close();
  }
}

interface ResampleOptions {
  exchange: string;
  symbol: string;
  fromTimeframe: string;
  toTimeframe: string;
  from?: string;
  to?: string;
}

function runResample(options: ResampleOptions): void {
  const base = parseTimeframeOption("from-timeframe", options.fromTimeframe);
  const target = parseTimeframeOption("to-timeframe", options.toTimeframe);
  const problem = resampleProblem(base, target);
  if (problem !== null) throw new InputError(`Cannot read --to-timeframe: ${problem}`);
  const source = parseMarketArgs({ ...options, timeframe: base });
  const [fromMs, toMs] = range(options);
  const store = openFromEnv();
  try {
    if (store.candles.bounds(source) === null) {
      throw new InputError(`Cannot resample ${label(source)}: no candles stored`);
    }
    const result = resampleStoredCandles(store.candles, {
      source,
      timeframe: target,
      fromMs: Number.isFinite(fromMs) ? fromMs : undefined,
      toMs: Number.isFinite(toMs) ? toMs : undefined,
    });
    if (result.baseCandles === 0) {
      throw new InputError(
        `Cannot resample ${label(source)}: no candles stored between --from and --to`,
      );
    }
    writeLine(
      `Resampled ${label(source)} into ${target}: ${result.baseCandles} candles read, ` +
        `${result.candles} written (${result.inserted} new, ${result.updated} updated, ` +
        `${result.unchanged} unchanged), ${result.incomplete} incomplete`,
    );
  } finally {
    store.close();
  }
}

/**
 * Packs every chunk of one series (or of every stored series) afresh from its rows: a DB whose
 * candles were stored before chunks existed gets them, and its backtests read fast.
 */
function runRebuildChunks(options: Partial<MarketOptions>): void {
  const given = [options.exchange, options.symbol, options.timeframe].filter((v) =>
    v !== undefined
  );
  if (given.length !== 0 && given.length !== 3) {
    throw new InputError(
      "Cannot rebuild chunks: give all of --exchange, --symbol and --timeframe, or none (every series)",
    );
  }
  const db = openDatabase(readSettings(Deno.env.toObject()).databaseUrl);
  try {
    const markets: MarketRef[] = given.length === 3
      ? [parseMarketArgs(options as MarketOptions)]
      : createStore(db).candles.listMarkets();
    if (markets.length === 0) throw new InputError("Cannot rebuild chunks: no candles stored");
    for (const market of markets) {
      const started = performance.now();
      const { before, after } = rebuildChunks(db, market);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      writeLine(`Rebuilt ${label(market)}: ${before} chunks before, ${after} now (${seconds} s)`);
    }
  } finally {
    if (db.isOpen) db.close();
  }
}

function sum(gaps: readonly { missing: number }[]): number {
  return gaps.reduce((total, gap) => total + gap.missing, 0);
}

function runList(): void {
  const store = openFromEnv({ readOnly: true });
  try {
    for (const line of listLines(store)) writeLine(line);
  } finally {
    store.close();
  }
}

/** The `list` table for a store (the demo prints it too). */
export function listLines(store: Store): string[] {
  const series = store.candles.listMarkets();
  const gapCounts = series.map((s) =>
    findGaps(store.candles.openTimes(s), parseTimeframe(s.timeframe)).length
  );
  return formatSeriesTable(series, gapCounts);
}

function label(market: MarketRef): string {
  return `${market.exchange} ${market.symbol} ${market.timeframe}`;
}

function withMarket<T extends ReturnType<typeof newCommand>>(command: T): T {
  command.requiredOption("--exchange <id>", "CCXT exchange id, e.g. binance")
    .requiredOption("--symbol <symbol>", "unified symbol, e.g. BTC/USDT")
    .requiredOption("--timeframe <tf>", "1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M");
  return command;
}

function buildProgram() {
  const program = newCommand("candles", "Import, export, inspect stored candles");
  withMarket(program.command("import").description("import a CSV or freqtrade JSON file"))
    .requiredOption("--file <path>", "timestamp,open,high,low,close,volume CSV or [[ms,o,h,l,c,v]]")
    .option("--skip-invalid", "skip and count bad rows instead of importing nothing")
    .addOption(new Option("--format <format>", "file format").choices(["csv", "json"]))
    .action((options) => runImport(options as never));
  withMarket(program.command("export").description("write stored candles as CSV"))
    .option("--from <date>", "first open time (YYYY-MM-DD or ms)")
    .option("--to <date>", "last open time, inclusive")
    .requiredOption("--out <path>", "output CSV file, - for stdout")
    .action((options) => runExport(options as never));
  withMarket(program.command("gaps").description("list missing ranges of stored candles"))
    .option("--from <date>", "start of the range")
    .option("--to <date>", "end of the range, inclusive")
    .action((options) => runGaps(options as never));
  program.command("list").description("list stored series").action(runList);
  program.command("resample").description("store a longer timeframe built from stored candles")
    .requiredOption("--exchange <id>", "CCXT exchange id, e.g. binance")
    .requiredOption("--symbol <symbol>", "unified symbol, e.g. BTC/USDT")
    .requiredOption("--from-timeframe <tf>", "stored timeframe to read, e.g. 1h")
    .requiredOption("--to-timeframe <tf>", "longer timeframe to write, e.g. 4h")
    .option("--from <date>", "first open time to write (YYYY-MM-DD or ms)")
    .option("--to <date>", "last open time to write, inclusive")
    .action((options) => runResample(options as never));
  program.command("rebuild-chunks")
    .description("pack stored candles into chunks afresh (a DB from before chunks gets them)")
    .option("--exchange <id>", "one series only: CCXT exchange id (default: every series)")
    .option("--symbol <symbol>", "one series only: unified symbol")
    .option("--timeframe <tf>", "one series only: timeframe")
    .action((options) => runRebuildChunks(options));
  return program;
}

if (import.meta.main) {
  await runTask("candles", async (args) => {
    await buildProgram().parseAsync(args, { from: "user" });
  });
}
