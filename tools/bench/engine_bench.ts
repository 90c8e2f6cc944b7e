/**
 * Engine throughput on 1M candles (`rsi`, `sma_cross`) beside a hand-written inline loop of the
 * same strategy, `sma_cross` written as `rules` beside the built-in, and the resident memory of a
 * 1M-candle backtest. Candles are the bundled real
 * 1m sample tiled end to end (each copy rescaled to continue from the last close).
 * Each case runs in a process of its own (tools/bench/backtest_rss_main.ts `case`), as a backtest
 * does: one strategy per process. In one process, the strategy run first left the engine's calls
 * polymorphic for the next (`sma_cross` took 31 ms per 1M candles after `rsi`, 23 ms alone).
 */
import { createEngineParts } from "../../src/engine/engine_parts.ts";
import type { CandleColumns } from "../../src/core/types.ts";
import { runBacktest } from "../../src/backtest/run_backtest.ts";
import { parseInstanceConfig } from "../../src/config/load_instance_config.ts";
import { type BenchContext, type BenchResult, bestTimeMs, rateResult } from "./harness.ts";
import { type LoopResult, loopRsi, loopSmaCross } from "./_engine_loops.ts";

const FEE_PCT = 0.1;
const CONTAINER_LIMIT_MB = 512;

/** The engine cases, each measured in a child process of its own. */
export const ENGINE_CASES = ["rsi", "sma_cross", "rules_sma_cross"] as const;
/** One of `ENGINE_CASES`. */
export type EngineCase = typeof ENGINE_CASES[number];

/** The engine suite for `tasks/bench.ts`. */
export const engineSuite = {
  name: "engine",
  run: async (context: BenchContext): Promise<BenchResult[]> => {
    const csvPath = `${context.tempDir}/sample_1m.csv`;
    await Deno.writeFile(csvPath, context.sample1mCsv);
    const count = context.quick ? 100_000 : 1_000_000;
    const runs = context.quick ? 2 : 5;
    const results: BenchResult[] = [];
    for (const name of ENGINE_CASES) {
      results.push(JSON.parse(await child(["case", name, csvPath, String(count), String(runs)])));
    }
    results.push(await backtestPeakRss(context));
    return results;
  },
};

const RSS_MAIN = new URL("./backtest_rss_main.ts", import.meta.url).pathname;

async function child(args: string[]): Promise<string> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-q", "--allow-read", "--allow-write", "--allow-env", RSS_MAIN, ...args],
    stderr: "inherit",
  }).output();
  if (!output.success) throw new Error(`engine bench: ${RSS_MAIN} ${args[0]} failed`);
  return new TextDecoder().decode(output.stdout);
}

/**
 * Peak RSS (VmHWM) of a process that loads N candles from a real DB with one query and backtests
 * them: measured in a child of its own, so the other suites' memory does not count.
 */
async function backtestPeakRss(context: BenchContext): Promise<BenchResult> {
  const count = context.quick ? 100_000 : 1_000_000;
  const databaseUrl = `sqlite:${context.tempDir}/rss.db`;
  const csvPath = `${context.tempDir}/sample_1m.csv`;
  await Deno.writeFile(csvPath, context.sample1mCsv);
  await child(["seed", databaseUrl, csvPath, String(count)]);
  const { peakRssMb } = JSON.parse(await child(["run", databaseUrl, String(count)]));
  return {
    name: `engine.backtest_peak_rss_${count / 1_000_000}m`,
    value: peakRssMb,
    unit: "MB",
    reference: CONTAINER_LIMIT_MB,
    ratio: peakRssMb / CONTAINER_LIMIT_MB,
  };
}

/** The `sma_cross` rule written in the config, as `rules` runs it. */
const RULES_SMA_CROSS = "{ fast: 10, slow: 30, " +
  'enter: "crosses_above(sma(close, fast), sma(close, slow))", ' +
  'exit: "crosses_below(sma(close, fast), sma(close, slow))" }';

/**
 * One engine figure over `count` candles of `sample`, best of `runs` (in the process that calls
 * it: the bench calls it in a child of its own). `rules_sma_cross` is `sma_cross` written as
 * rules, against the built-in timed in turn with it; the others are against their hand loop.
 */
export function engineCase(
  name: EngineCase,
  sample: CandleColumns,
  count: number,
  runs: number,
): BenchResult {
  const candles = tileCandles(sample, count);
  if (name === "rsi") {
    return strategyCase(
      candles,
      "rsi",
      "{ period: 14, oversold: 30, overbought: 70 }",
      runs,
      () => loopRsi(candles, 14, 30, 70, FEE_PCT / 100),
    ).result;
  }
  if (name === "sma_cross") {
    return strategyCase(
      candles,
      "sma_cross",
      "{ fast: 10, slow: 30 }",
      runs,
      () => loopSmaCross(candles, 10, 30, FEE_PCT / 100),
    ).result;
  }
  // The rule and the built-in in turn, as the engine and its loop.
  const rulesConfig = benchConfig("rules", RULES_SMA_CROSS);
  const smaConfig = benchConfig("sma_cross", "{ fast: 10, slow: 30 }");
  let rules = { trades: 0, equity: NaN };
  let sma = { trades: 0, equity: NaN };
  const [rulesMs, builtinMs] = alternateBestMs(
    runs,
    () => rules = backtestOnce(rulesConfig, candles),
    () => sma = backtestOnce(smaConfig, candles),
  );
  if (rules.trades !== sma.trades || sma.trades === 0) {
    throw new Error(`engine bench: rules made ${rules.trades} trades, sma_cross ${sma.trades}`);
  }
  return rateResult(
    "engine.rules_sma_cross",
    "candles/s",
    candles.length / (rulesMs / 1000),
    candles.length / (builtinMs / 1000),
  );
}

/** The bench's instance config for `strategy` with `params`: 100 % stake, the fee, no slippage. */
function benchConfig(strategy: string, params: string) {
  return parseInstanceConfig(
    `name: bench\nexchange: binance\nsymbol: BTC/USDT\ntimeframe: 1m\nstrategy:\n  name: ${strategy}\n` +
      `  params: ${params}\nrisk:\n  stake_pct: 100\nexecution:\n  fee_pct: ${FEE_PCT}\n  slippage_bps: 0\n`,
  );
}

/** One whole backtest of `config` over `candles`: its trade count and final equity. */
function backtestOnce(config: ReturnType<typeof benchConfig>, candles: CandleColumns) {
  const run = runBacktest(createEngineParts(config, { retainHistory: false }), candles);
  return { trades: run.trades.length, equity: run.equity[run.equity.length - 1] };
}

/** Best wall times of `first` and `second` over `runs` rounds, one run of each per round. */
function alternateBestMs(runs: number, first: () => void, second: () => void): [number, number] {
  let firstMs = Infinity;
  let secondMs = Infinity;
  for (let i = 0; i < runs; i++) {
    firstMs = Math.min(firstMs, bestTimeMs(1, first));
    secondMs = Math.min(secondMs, bestTimeMs(1, second));
  }
  return [firstMs, secondMs];
}

/**
 * The engine made the hand loop's trades (plus its end-of-run exit when the loop still holds)
 * and ended within a hundred-thousandth of its equity (the loop floors amounts in binary, the
 * engine in decimal, over thousands of trades); throws otherwise, so no figure is printed for a
 * wrong run.
 */
function checkAgainstLoop(
  strategy: string,
  engine: { trades: number; equity: number },
  loop: LoopResult,
  candles: CandleColumns,
): void {
  const lastClose = candles.close[candles.length - 1];
  const trades = loop.trades + (loop.base > 0 ? 1 : 0);
  const equity = loop.quote + loop.base * lastClose * (1 - FEE_PCT / 100);
  const off = Math.abs(engine.equity - equity) / equity;
  if (engine.trades !== trades || !(off < 1e-5)) {
    throw new Error(
      `engine bench: ${strategy} made ${engine.trades} trades ending at ${engine.equity}; ` +
        `the hand loop ${trades} at ${equity}`,
    );
  }
}

/**
 * The engine and the hand loop of one strategy, best of `runs` each, one run of each in turn: both
 * then meet the same load and the same heap. (Each run writes a fresh 8 MB equity array; whether
 * its pages are recycled or faulted in, at 10–100 µs a page on a loaded VM, depends on what the
 * collector freed just before: three engine runs in a row, then three loop runs, gave recycled
 * pages to the loop more often than to the engine.)
 */
function strategyCase(
  candles: CandleColumns,
  strategy: string,
  params: string,
  runs: number,
  loop: () => LoopResult,
) {
  const config = benchConfig(strategy, params);
  let engine = { trades: 0, equity: NaN };
  let reference: LoopResult | undefined;
  const [engineMs, loopMs] = alternateBestMs(
    runs,
    () => engine = backtestOnce(config, candles),
    () => reference = loop(),
  );
  if (engine.trades === 0) throw new Error(`engine bench: ${strategy} made no trades`);
  checkAgainstLoop(strategy, engine, reference!, candles);
  const result = rateResult(
    `engine.${strategy}`,
    "candles/s",
    candles.length / (engineMs / 1000),
    candles.length / (loopMs / 1000),
  );
  return { result, engineMs, trades: engine.trades };
}

/** Parses `timestamp,open,high,low,close,volume` CSV bytes into columns. */
export function parseSampleCsv(bytes: Uint8Array): CandleColumns {
  const lines = new TextDecoder().decode(bytes).trim().split("\n").slice(1);
  const columns = emptyColumns(lines.length);
  lines.forEach((line, i) => {
    const [t, o, h, l, c, v] = line.split(",").map(Number);
    columns.openTimeMs[i] = t;
    columns.open[i] = o;
    columns.high[i] = h;
    columns.low[i] = l;
    columns.close[i] = c;
    columns.volume[i] = v;
  });
  return columns;
}

/** `count` candles: copies of `sample` one after another, each scaled to start at the last close. */
export function tileCandles(sample: CandleColumns, count: number): CandleColumns {
  const out = emptyColumns(count);
  const stepMs = sample.openTimeMs[1] - sample.openTimeMs[0];
  let scale = 1;
  for (let i = 0; i < count; i++) {
    const k = i % sample.length;
    if (k === 0 && i > 0) scale = out.close[i - 1] / sample.open[0];
    out.openTimeMs[i] = sample.openTimeMs[0] + i * stepMs;
    out.open[i] = sample.open[k] * scale;
    out.high[i] = sample.high[k] * scale;
    out.low[i] = sample.low[k] * scale;
    out.close[i] = sample.close[k] * scale;
    out.volume[i] = sample.volume[k];
  }
  return out;
}

function emptyColumns(n: number) {
  return {
    length: n,
    openTimeMs: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
}
