/**
 * Running the real tasks as processes against a venue emulator: backfill (with a SIGKILL in the
 * middle of a download and a resume), for the per-exchange end-to-end tests.
 */
import assert from "node:assert/strict";
import type { MarketRef } from "../../src/core/types.ts";
import { envPrefix } from "../../src/config/env.ts";
import { openStore } from "../../src/storage/mod.ts";
import { assertStoredEqualsSample } from "./backfill_fixtures.ts";
import { sampleRows } from "./sample_candles.ts";
import { intervalMs } from "./emulator_clock.ts";
import { spawnTrader, waitFor, withStore, writeConfig } from "./trader_process.ts";
import { parseTraderState } from "../../src/trader/trader_state.ts";
import type { VenueEmulator } from "./venue_emulator.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

/** A temp dir with a DB URL, a log dir and `<ID>_API_URL` pointing at the emulator. */
export async function taskEnv(exchange: string, emulator: VenueEmulator) {
  const dir = await Deno.makeTempDir({ prefix: `${exchange}_task_test_` });
  const env: Record<string, string> = {
    DATABASE_URL: `sqlite:${dir}/trading.db`,
    LOG_DIR: `${dir}/logs`,
    NO_COLOR: "1",
    [`${envPrefix(exchange)}_API_URL`]: emulator.url,
  };
  return { dir, env };
}

/** `deno run -A tasks/backfill.ts …args` with `env`. */
export function backfillCommand(args: string[], env: Record<string, string>) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "tasks/backfill.ts", ...args],
    cwd: ROOT,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
}

/** Runs the backfill task to its end. */
export async function runBackfill(args: string[], env: Record<string, string>) {
  const { code, stdout, stderr } = await backfillCommand(args, env).output();
  const text = new TextDecoder();
  return { code, stdout: text.decode(stdout), stderr: text.decode(stderr) };
}

/** Candles plus gaps stored for `market` (0 when the DB does not exist yet). */
export function storedCount(dir: string, market: MarketRef): number {
  try {
    Deno.statSync(`${dir}/trading.db`);
  } catch {
    return 0;
  }
  const store = openStore(`sqlite:${dir}/trading.db`);
  try {
    return store.candles.loadRange(market, -Infinity, Infinity).length +
      store.gaps.list(market).length;
  } finally {
    store.close();
  }
}

/** What a SIGKILL-and-resume backfill run is about. */
export interface KilledBackfill {
  readonly market: MarketRef;
  /** The emulator's OHLCV path, e.g. `/v5/market/kline`. */
  readonly ohlcvPath: string;
  /** Candles per page the exchange serves (and the task asks for). */
  readonly pageSize: number;
  /** Pages to let through before the kill. */
  readonly pagesBeforeKill: number;
  /** `--since` and `--until` of the run. */
  readonly since: string;
  readonly until: string;
  /** The sample the emulator serves, for the final comparison. */
  readonly sample: { file: string; fromMs: number; untilMs: number };
}

/**
 * Runs a backfill, holds the OHLCV requests after some pages and SIGKILLs the task mid-request,
 * then reruns it: the store must end up equal to the sample, with no gap and no duplicate.
 */
export async function backfillKilledAndResumed(emulator: VenueEmulator, run: KilledBackfill) {
  const { dir, env } = await taskEnv(run.market.exchange, emulator);
  const flags = [
    "--exchange",
    run.market.exchange,
    "--symbol",
    run.market.symbol,
    "--timeframe",
    run.market.timeframe,
  ];
  const child = backfillCommand([...flags, "--since", run.since, "--until", run.until], env)
    .spawn();
  const pages = () => emulator.requests().filter((r) => r.path === run.ohlcvPath).length;
  while (pages() < run.pagesBeforeKill) await new Promise((r) => setTimeout(r, 5));
  emulator.addFault({ kind: "hang", path: run.ohlcvPath, times: -1, hangMs: 30_000 });
  while (!emulator.requests().some((r) => r.fault === "hang")) {
    await new Promise((r) => setTimeout(r, 5));
  }
  child.kill("SIGKILL");
  const status = await child.status;
  await child.stdout.cancel();
  await child.stderr.cancel();
  assert.equal(status.signal, "SIGKILL");
  emulator.clearFaults();
  const partial = storedCount(dir, run.market);
  const total = sampleTotal(run.sample);
  assert.ok(
    partial >= run.pageSize && partial < total && partial % run.pageSize === 0,
    `whole pages kept: ${partial}`,
  );
  const resumed = await runBackfill([...flags, "--until", run.until], env);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(
    resumed.stdout,
    new RegExp(`: done: added ${total - partial}, corrected 0,.* gaps remaining 0`),
  );
  const store = openStore(env.DATABASE_URL);
  try {
    assertStoredEqualsSample(store, run.market, run.sample);
  } finally {
    store.close();
  }
  await Deno.remove(dir, { recursive: true });
  return { partial, total };
}

/**
 * Backfills `market` from 2025-06-01 to 2025-07-10 17:00 (953 hours) while the OHLCV endpoint
 * answers 4 rate-limit refusals and a 502: the task must wait them out and store every candle.
 */
export async function backfillThroughStorm(
  emulator: VenueEmulator,
  market: MarketRef,
  ohlcvPath: string,
): Promise<void> {
  const { dir, env } = await taskEnv(market.exchange, emulator);
  emulator.addFault({ kind: "rate_limit", path: ohlcvPath, times: 4 });
  emulator.addFault({ kind: "http_error", status: 502, path: ohlcvPath, times: 1 });
  const result = await runBackfill([
    "--exchange",
    market.exchange,
    "--symbol",
    market.symbol,
    "--timeframe",
    market.timeframe,
    "--since",
    "2025-06-01",
    "--until",
    "2025-07-10T17:00",
  ], env);
  assert.equal(result.code, 0, result.stderr);
  const label = `${market.exchange} ${market.symbol} ${market.timeframe}`;
  assert.ok(
    new RegExp(`^${label}: done: added 953, corrected 0,.* gaps remaining 0`, "m")
      .test(result.stdout),
    result.stdout,
  );
  assert.equal(emulator.requests().filter((r) => r.fault === "rate_limit").length, 4);
  assert.equal(storedCount(dir, market), 953);
  await Deno.remove(dir, { recursive: true });
}

function sampleTotal(sample: { file: string; fromMs: number; untilMs: number }): number {
  return sampleRows(sample.file, sample.fromMs, sample.untilMs).length;
}

/** A paper config for `exchange` and `symbol` on 1h candles that trades often. */
export function paperConfig(exchange: string, symbol: string): string {
  return `exchange: ${exchange}
symbol: ${symbol}
timeframe: 1h
strategy:
  name: sma_cross
  params: { fast: 2, slow: 3 }
risk:
  stake_pct: 50
  stop_loss_pct: 1
  take_profit_pct: 1.5
execution:
  slippage_bps: 5
trade:
  heartbeat_seconds: 1
  close_delay_ms: 0
`;
}

/**
 * Runs `tasks/trade.ts` in paper mode on the emulator's market clock, with the account's keys in
 * the environment, for `candles` hourly candles; stops it with SIGTERM. Returns what it stored and
 * every request the emulator saw.
 */
export async function paperRun(
  emulator: VenueEmulator,
  run: {
    exchange: string;
    symbol: string;
    keys: { apiKey: string; secret: string };
    candles: number;
    /** A config body (without `name:`) instead of `paperConfig`'s, e.g. a seed config. */
    configBody?: string;
    /** Its timeframe (default `1h`). */
    timeframe?: string;
  },
) {
  const { dir, env } = await taskEnv(run.exchange, emulator);
  const prefix = envPrefix(run.exchange);
  const name = `paper-${run.exchange}`;
  const config = await writeConfig(
    dir,
    name,
    run.configBody ?? paperConfig(run.exchange, run.symbol),
  );
  const timeframe = run.timeframe ?? "1h";
  const tfMs = intervalMs(timeframe)!;
  const url = env.DATABASE_URL;
  const trader = spawnTrader(config, {
    ...env,
    [`${prefix}_API_KEY`]: run.keys.apiKey,
    [`${prefix}_API_SECRET`]: run.keys.secret,
  }, ["--test-clock", `emulator:${emulator.url}`]);
  try {
    let exited = false;
    trader.status.then(() => exited = true);
    await waitFor(`${name} running`, async () => {
      if (exited) throw new Error(`${name} exited while starting: ${await trader.stderr}`);
      return withStore(url, (s) => s.instances.get(name)?.status === "running");
    });
    for (let i = 0; i < run.candles; i++) {
      emulator.advanceCandles(1, timeframe);
      emulator.advance(60_000); // past any close_delay_ms (at most 60 s)
      const expected = Math.floor(emulator.clock.nowMs() / tfMs) * tfMs - tfMs;
      await waitFor(`candle ${i + 1} handled`, () =>
        withStore(url, (s) => {
          const state = parseTraderState(s.instances.get(name)?.state, "paper");
          return (state?.kernel.lastCandleMs ?? 0) >= expected;
        }), 20_000);
    }
    trader.child.kill("SIGTERM");
    const status = await trader.status;
    assert.equal(status.code, 0, await trader.stderr);
    const stored = withStore(url, (s) => ({
      trades: s.trades.recent(name),
      orders: s.orders.recent(name, 1000),
      fills: s.fills.byInstance(name),
      row: s.instances.get(name)!,
    }));
    return { name, ...stored, requests: emulator.requests() };
  } finally {
    try {
      trader.child.kill("SIGKILL");
    } catch { /* already exited */ }
    await trader.status;
    await trader.stdout;
    await trader.stderr;
    await Deno.remove(dir, { recursive: true });
  }
}
