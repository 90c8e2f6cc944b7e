/**
 * Child process of the engine bench: the peak resident memory of one backtest of N candles loaded
 * from a real DB, measured alone so that other suites' memory does not count.
 *   seed DB_URL CSV N   stores N tiled candles of the CSV sample
 *   run  DB_URL N       loads them with one query, backtests rsi, prints {"peakRssMb": …} (peak RSS)
 *   case NAME CSV N RUNS one engine figure (`engineCase`) over N tiled candles, printed as JSON
 */
import process from "node:process";
import { backtestConfig, loadBacktestCandles } from "../../src/backtest/mod.ts";
import { parseInstanceConfig } from "../../src/config/load_instance_config.ts";
import type { CandleRow } from "../../src/core/types.ts";
import { openStore } from "../../src/storage/mod.ts";
import {
  ENGINE_CASES,
  type EngineCase,
  engineCase,
  parseSampleCsv,
  tileCandles,
} from "./engine_bench.ts";

const CONFIG = parseInstanceConfig(
  "name: bench-rss\nexchange: bench\nsymbol: BTC/USDT\ntimeframe: 1m\n" +
    "strategy:\n  name: rsi\nrisk:\n  stake_pct: 100\nexecution:\n  fee_pct: 0.1\n",
);

function seed(databaseUrl: string, csvPath: string, count: number): void {
  const candles = tileCandles(parseSampleCsv(Deno.readFileSync(csvPath)), count);
  const store = openStore(databaseUrl);
  const page: CandleRow[] = [];
  for (let i = 0; i < candles.length; i++) {
    page.push([
      candles.openTimeMs[i],
      candles.open[i],
      candles.high[i],
      candles.low[i],
      candles.close[i],
      candles.volume[i],
    ]);
    if (page.length === 50_000 || i === candles.length - 1) {
      store.candles.upsert(CONFIG, page);
      page.length = 0;
    }
  }
  store.close();
}

function run(databaseUrl: string, count: number): void {
  const store = openStore(databaseUrl);
  const loaded = loadBacktestCandles(store.candles, CONFIG, { fromMs: -Infinity, toMs: Infinity });
  if (loaded.columns.length !== count) throw new Error(`expected ${count} candles`);
  const { report } = backtestConfig(CONFIG, loaded.columns, { market: null });
  store.close();
  const peakKb = peakRssKb();
  Deno.stdout.writeSync(
    new TextEncoder().encode(
      JSON.stringify({ peakRssMb: peakKb / 1024, trades: report.trades.length }) + "\n",
    ),
  );
}

if (import.meta.main) {
  const [mode, ...rest] = Deno.args;
  if (mode === "seed") seed(rest[0], rest[1], Number(rest[2]));
  else if (mode === "case") {
    const [name, csvPath, count, runs] = rest;
    if (!(ENGINE_CASES as readonly string[]).includes(name)) {
      throw new Error(`engine bench: unknown case "${name}" (${ENGINE_CASES.join(", ")})`);
    }
    const sample = parseSampleCsv(Deno.readFileSync(csvPath));
    const result = engineCase(name as EngineCase, sample, Number(count), Number(runs));
    Deno.stdout.writeSync(new TextEncoder().encode(JSON.stringify(result) + "\n"));
  } else run(rest[0], Number(rest[1]));
}

/**
 * This process's peak resident set in KiB: VmHWM, which starts afresh at exec. getrusage's
 * ru_maxrss of a child spawned by a large parent (vfork, as Deno.Command does) also counts the
 * parent's peak, so it is only the fallback where /proc is not there.
 */
function peakRssKb(): number {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
    if (match) return Number(match[1]);
  } catch {
    // No /proc (not Linux): fall through.
  }
  return process.resourceUsage().maxRSS;
}
