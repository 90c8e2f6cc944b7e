/**
 * The cost of the strategy sandbox. `strategy.user_module`: a 1M-candle backtest of the shipped
 * user module `strategies/example.ts` (a copy of `sma_cross`) run whole inside its sandboxed
 * worker, including the worker's start and the module's load, beside the
 * built-in `sma_cross` in this thread. `strategy.sandbox_call`: one candle through a sandboxed
 * strategy as the live loop calls it (a synchronous call into its worker), beside the same call
 * in this thread. `strategy.user_module_task`: the whole `backtest` task on 1M stored candles
 * (read, run, reports) for the user module beside the built-in, each a process of its own.
 */
import { backtestConfig } from "../../src/backtest/backtest_config.ts";
import { createStrategy } from "../../src/engine/create_strategy.ts";
import { candleFromColumns } from "../../src/core/candle_row.ts";
import type { CandleColumns } from "../../src/core/types.ts";
import { parseInstanceConfig } from "../../src/config/load_instance_config.ts";
import { catalogWith } from "../../src/app/load_config.ts";
import { runSandboxedBacktest, sharedColumns } from "../../src/sandbox/run_sweep.ts";
import { StrategyHost } from "../../src/sandbox/strategy_host.ts";
import type { Strategy } from "../../src/core/ports.ts";
import { parseSampleCsv, tileCandles } from "./engine_bench.ts";
import type { BenchContext, BenchResult } from "./harness.ts";

const MODULE = "strategies/example.ts";

function configText(strategy: string): string {
  return `name: bench\nexchange: binance\nsymbol: BTC/USDT\ntimeframe: 1m\nstrategy:\n  ${strategy}\n` +
    "  params: { fast: 10, slow: 30 }\nrisk:\n  stake_pct: 100\n" +
    "execution:\n  fee_pct: 0.1\n  slippage_bps: 0\n";
}

/** The strategy suite for `tasks/bench.ts`. */
export const strategySuite = {
  name: "strategy",
  run: async (context: BenchContext): Promise<BenchResult[]> => {
    const host = await StrategyHost.open(MODULE);
    try {
      const count = context.quick ? 100_000 : 1_000_000;
      // In shared memory, as the candle store returns them.
      const candles = sharedColumns(tileCandles(parseSampleCsv(context.sample1mCsv), count));
      return [
        await userModuleBacktest(candles, host, context.quick ? 2 : 3),
        await userModuleTask(context, count, context.quick ? 1 : 2),
        sandboxCall(candles, host, context.quick ? 5_000 : 50_000),
      ];
    } finally {
      host.close();
    }
  },
};

async function userModuleBacktest(
  candles: CandleColumns,
  host: StrategyHost,
  runs: number,
): Promise<BenchResult> {
  const builtin = parseInstanceConfig(configText("name: sma_cross"));
  const module = parseInstanceConfig(configText(`module: ${MODULE}`), {
    strategies: catalogWith(host),
  });
  let builtinMs = Infinity;
  let moduleMs = Infinity;
  let trades = [0, 0];
  for (let i = 0; i < runs; i++) {
    let started = performance.now();
    trades[0] = backtestConfig(builtin, candles).report.trades.length;
    builtinMs = Math.min(builtinMs, performance.now() - started);
    started = performance.now();
    trades[1] = (await runSandboxedBacktest(module, candles)).report.trades.length;
    moduleMs = Math.min(moduleMs, performance.now() - started);
  }
  if (trades[0] === 0 || trades[0] !== trades[1]) {
    throw new Error(`strategy bench: trades differ (${trades.join(" vs ")})`);
  }
  trades = [];
  const rate = (ms: number) => candles.length / (ms / 1000);
  return {
    name: "strategy.user_module",
    value: rate(moduleMs),
    unit: "candles/s",
    reference: rate(builtinMs),
    ratio: builtinMs / moduleMs,
  };
}

const ROOT = new URL("../../", import.meta.url).pathname;

async function deno(args: string[], env: Record<string, string> = {}): Promise<number> {
  const started = performance.now();
  const output = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    env,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!output.success) {
    throw new Error(
      `strategy bench: ${args.join(" ")}: ${new TextDecoder().decode(output.stderr)}`,
    );
  }
  return performance.now() - started;
}

/** Best wall time of whole `backtest` processes, built-in then module, alternating. */
async function userModuleTask(
  context: BenchContext,
  count: number,
  runs: number,
): Promise<BenchResult> {
  const dir = context.tempDir;
  const databaseUrl = `sqlite:${dir}/strategy.db`;
  await Deno.writeFile(`${dir}/sample_1m.csv`, context.sample1mCsv);
  await deno([
    "run",
    "-q",
    "-A",
    "tools/bench/backtest_rss_main.ts",
    "seed",
    databaseUrl,
    `${dir}/sample_1m.csv`,
    String(count),
  ]);
  const times = { builtin: Infinity, module: Infinity };
  for (
    const [kind, strategy] of [["builtin", "name: sma_cross"], ["module", `module: ${MODULE}`]]
  ) {
    await Deno.writeTextFile(
      `${dir}/${kind}.yaml`,
      configText(strategy).replace("exchange: binance", "exchange: bench"),
    );
  }
  for (let i = 0; i < runs; i++) {
    for (const kind of ["builtin", "module"] as const) {
      const ms = await deno([
        "run",
        "-q",
        "-A",
        "tasks/backtest.ts",
        "--config",
        `${dir}/${kind}.yaml`,
        "--no-save",
        "--json",
        `${dir}/${kind}.json`,
        "--html",
        `${dir}/${kind}.html`,
      ], { DATABASE_URL: databaseUrl, NO_COLOR: "1" });
      times[kind] = Math.min(times[kind], ms);
    }
  }
  const rate = (ms: number) => count / (ms / 1000);
  return {
    name: "strategy.user_module_task",
    value: rate(times.module),
    unit: "candles/s",
    reference: rate(times.builtin),
    ratio: times.builtin / times.module,
  };
}

function sandboxCall(candles: CandleColumns, host: StrategyHost, calls: number): BenchResult {
  const sandboxed = host.createStrategy({ fast: 10, slow: 30 }, "1m");
  const local = createStrategy(parseInstanceConfig(configText("name: sma_cross")));
  const perCallUs = (strategy: Strategy) => {
    const started = performance.now();
    for (let i = 0; i < calls; i++) {
      strategy.onCandle(candleFromColumns(candles, i), {
        position: null,
        closeTimeMs: candles.openTimeMs[i] + 60_000,
      });
    }
    return (performance.now() - started) * 1000 / calls;
  };
  const value = perCallUs(sandboxed);
  const reference = perCallUs(local);
  return {
    name: "strategy.sandbox_call",
    value,
    unit: "µs/candle",
    reference,
    ratio: value / reference,
  };
}
