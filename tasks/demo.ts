/**
 * `deno task demo`: the offline tour on bundled real candles. It imports every sample, backtests
 * every example config that has data and prints one comparison table, writing HTML reports.
 * Safe to run twice: imports are upserts and reports are overwritten.
 */
import { importCandleFile, marketFromFileName } from "../src/candles/mod.ts";
import { backtestConfig, formatNumber, loadBacktestCandles } from "../src/backtest/mod.ts";
import { type InstanceConfig, loadInstanceConfig, parseConfigDate } from "../src/config/mod.ts";
import { readSettings } from "../src/config/env.ts";
import { openStore, type Store } from "../src/storage/mod.ts";
import { newCommand, runTask, writeLine } from "./_cli.ts";
import { listLines } from "./candles.ts";
import { writeBacktestReports } from "./_backtest_reports.ts";

const SAMPLES_DIR = new URL("../data/samples/", import.meta.url);

/** Imports every `exchange_BASE-QUOTE_tf.csv` in data/samples; re-running adds nothing. */
export async function importBundledSamples(
  store: Store,
): Promise<{ files: number; added: number }> {
  const names = [];
  for await (const entry of Deno.readDir(SAMPLES_DIR)) {
    if (entry.isFile && marketFromFileName(entry.name)) names.push(entry.name);
  }
  names.sort();
  let added = 0;
  for (const name of names) {
    const market = marketFromFileName(name)!;
    const bytes = await Deno.readFile(new URL(name, SAMPLES_DIR));
    const result = importCandleFile(store.candles, bytes, { file: `data/samples/${name}`, market });
    added += result.inserted;
    writeLine(
      `${name}: ${result.rows} candles, ${result.inserted} new, ${result.updated} updated`,
    );
  }
  return { files: names.length, added };
}

const CONFIG_DIR = new URL("../config/strategies/", import.meta.url);

/** One row of the comparison table. */
interface DemoRow {
  readonly name: string;
  readonly cells: readonly string[];
  readonly htmlPath: string;
}

async function exampleConfigs(): Promise<InstanceConfig[]> {
  const paths: string[] = [];
  for await (const entry of Deno.readDir(CONFIG_DIR)) {
    if (entry.isFile && entry.name.endsWith(".yaml")) paths.push(entry.name);
  }
  paths.sort();
  return await Promise.all(paths.map((name) => loadInstanceConfig(`config/strategies/${name}`)));
}

function pct(value: number | null): string {
  return value === null ? "-" : `${formatNumber(value, 2, true)} %`;
}

/** Backtests one config on its configured range; null when the DB has no candles for it. */
async function backtestExample(store: Store, config: InstanceConfig): Promise<DemoRow | null> {
  if (store.candles.bounds(config) === null) return null;
  const fromMs = config.backtest.from === null ? undefined : parseConfigDate(config.backtest.from);
  const toMs = config.backtest.to === null ? undefined : parseConfigDate(config.backtest.to);
  const loaded = loadBacktestCandles(store.candles, config, {
    fromMs: fromMs ?? -Infinity,
    toMs: toMs === undefined ? Infinity : toMs - 1,
  });
  const market = store.markets.get(config.exchange, config.symbol);
  const { report } = backtestConfig(config, loaded.columns, { market, fromMs, toMs });
  const [, htmlPath] = await writeBacktestReports(report, loaded.columns, { name: config.name });
  const m = report.metrics;
  return {
    name: config.name,
    htmlPath,
    cells: [
      config.name,
      config.strategy.name,
      `${config.exchange} ${config.symbol} ${config.timeframe}`,
      formatNumber(report.range.candles, 0),
      pct(m.returnPct),
      pct(m.buyHoldReturnPct),
      pct(m.maxDrawdownPct),
      m.sharpe === null ? "-" : formatNumber(m.sharpe, 2),
      String(m.trades),
    ],
  };
}

/** Left-aligns text columns and right-aligns numeric ones. */
function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const numeric = header.map((_, i) => i >= 3);
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])).join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

async function backtestExamples(store: Store): Promise<void> {
  const rows: DemoRow[] = [];
  const skipped: string[] = [];
  for (const config of await exampleConfigs()) {
    const row = await backtestExample(store, config);
    if (row === null) skipped.push(config.name);
    else rows.push(row);
  }
  const header = [
    "config",
    "strategy",
    "market",
    "candles",
    "return",
    "buy & hold",
    "max drawdown",
    "sharpe",
    "trades",
  ];
  for (const line of formatTable(header, rows.map((row) => row.cells))) writeLine(line);
  writeLine("");
  if (skipped.length > 0) {
    writeLine(`No bundled candles for ${skipped.join(", ")} (deno task backfill fetches them).`);
  }
  writeLine("HTML reports:");
  for (const row of rows) writeLine(`  ${row.htmlPath}`);
}

async function main(args: string[]): Promise<void> {
  const program = newCommand(
    "demo",
    "Offline tour: import the bundled candles, backtest every example config that has data",
  );
  await program.parseAsync(args, { from: "user" });
  const store = openStore(readSettings(Deno.env.toObject()).databaseUrl);
  try {
    const { files, added } = await importBundledSamples(store);
    writeLine(`Imported ${files} sample files (${added} new candles).`);
    writeLine("");
    for (const line of listLines(store)) writeLine(line);
    writeLine("");
    await backtestExamples(store);
  } finally {
    store.close();
  }
}

if (import.meta.main) await runTask("demo", main);
