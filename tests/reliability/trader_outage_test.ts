/**
 * A running paper trader (real process, `--test-clock=emulator:URL`, emulator at ×30) meets a
 * 5-minute (market time) outage of every exchange endpoint: REST answers 503 with an HTML page
 * and the kline stream is cut and refused. The process keeps running and beating, handles no
 * candle it has not got, and after recovery handles every missed candle exactly once: one
 * decision per candle, one equity row per close, no gap, nothing doubled, no order sent blind.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { BinanceEmulator } from "../support/binance_emulator.ts";
import { waitFor, withStore } from "../support/trader_process.ts";
import { parseTraderState } from "../../src/trader/trader_state.ts";
import { spawnTask, stopTask, type TaskProcess, zigzagCsv } from "../../tools/soak/mod.ts";

const NAME = "outage-paper";
const MINUTE_MS = 60_000;
const SPEED = 30;
const OUTAGE_MARKET_MS = 5 * MINUTE_MS;
const START_MS = Date.UTC(2025, 0, 6, 12, 0, 30);
const CONFIG = `name: ${NAME}
exchange: binance
symbol: BTC/USDT
timeframe: 1m
mode: paper
strategy:
  name: sma_cross
  params: { fast: 2, slow: 3 }
risk:
  stake_amount: 200
  stop_loss_pct: null
  take_profit_pct: null
  max_drawdown_pct: null
  daily_loss_limit_pct: null
account:
  balance: 10000
execution:
  slippage_bps: 0
trade:
  heartbeat_seconds: 1
  close_delay_ms: 500
`;

interface Sample {
  readonly alive: boolean;
  readonly status: string;
  readonly heartbeatMs: number;
  readonly lastError: string | null;
  readonly lastCandleMs: number;
}

function sample(url: string, task: TaskProcess): Sample {
  return withStore(url, (store) => {
    const row = store.instances.get(NAME)!;
    const state = parseTraderState(row.state, "paper");
    return {
      alive: task.alive(),
      status: row.status,
      heartbeatMs: row.heartbeatMs,
      lastError: row.lastError,
      lastCandleMs: state?.kernel.lastCandleMs ?? 0,
    };
  });
}

function lastCandleMs(url: string): number {
  return withStore(url, (s) => parseTraderState(s.instances.get(NAME)?.state, "paper"))
    ?.kernel.lastCandleMs ?? 0;
}

function rows<T>(path: string, sql: string): T[] {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return db.prepare(sql).all(NAME) as unknown as T[];
  } finally {
    db.close();
  }
}

/** Times from `times` (ascending) that are missing or doubled on the minute grid. */
function gridProblems(times: readonly number[]): string[] {
  const problems: string[] = [];
  for (let i = 1; i < times.length; i++) {
    const step = times[i] - times[i - 1];
    if (step === 0) problems.push(`doubled ${new Date(times[i]).toISOString()}`);
    else if (step !== MINUTE_MS) problems.push(`gap after ${new Date(times[i - 1]).toISOString()}`);
  }
  return problems;
}

Deno.test("trader outage: a paper trader rides out a 5-minute outage and then handles every missed candle once", async () => {
  const dir = await Deno.makeTempDir({ prefix: "trader_outage_" });
  await Deno.mkdir(`${dir}/data`);
  await Deno.writeTextFile(`${dir}/data/binance_BTC-USDT_1m.csv`, zigzagCsv(START_MS, 1));
  const emulator = new BinanceEmulator({
    startMs: START_MS,
    speed: SPEED,
    dataDir: new URL(`file://${dir}/data/`),
  });
  await Deno.writeTextFile(`${dir}/${NAME}.yaml`, CONFIG);
  const dbPath = `${dir}/trading.db`;
  const url = `sqlite:${dbPath}`;
  const task = spawnTask(NAME, {
    script: "tasks/trade.ts",
    args: ["--config", `${dir}/${NAME}.yaml`, "--test-clock", `emulator:${emulator.url}`],
    env: { DATABASE_URL: url, LOG_DIR: `${dir}/logs`, BINANCE_API_URL: emulator.url },
    outputPath: `${dir}/trader.out`,
  });
  let passed = false;
  try {
    await waitFor("3 candles handled", () => lastCandleMs(url) >= START_MS + 2 * MINUTE_MS, 60_000);
    // The outage: every REST endpoint 503 (HTML body), every kline stream cut and refused.
    const outageFromMs = emulator.clock.nowMs();
    const firstRequest = emulator.requests().at(-1)?.id ?? 0;
    emulator.addFault({ kind: "http_error", status: 503, forMs: OUTAGE_MARKET_MS / SPEED });
    emulator.streams.refuse(true);
    emulator.streams.drop();
    const during: Sample[] = [];
    while (emulator.clock.nowMs() < outageFromMs + OUTAGE_MARKET_MS) {
      during.push(sample(url, task));
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    emulator.streams.refuse(false);
    const outageToMs = outageFromMs + OUTAGE_MARKET_MS;
    const failed = emulator.requests(firstRequest).filter((r) => r.status === 503);

    // Recovery: it catches up on the missed candles, then trades on.
    const through = Math.floor(outageToMs / MINUTE_MS) * MINUTE_MS + 2 * MINUTE_MS;
    await waitFor("caught up", () => lastCandleMs(url) >= through, 60_000);
    const after = sample(url, task);
    const stopped = await stopTask(task);

    assert.ok(during.length >= 10 && during.every((s) => s.alive), "the process died");
    assert.deepEqual(
      during.filter((s) => s.status !== "running").map((s) => s.status),
      [],
      "status left running during the outage",
    );
    const beats = new Set(during.map((s) => s.heartbeatMs));
    assert.ok(beats.size >= 5, `heartbeats stalled during the outage: ${beats.size} distinct`);
    assert.ok(failed.length >= 2, `the trader met the outage: ${failed.length} × 503`);
    // It handled no candle it could not have fetched: the handled candle stalls in the outage.
    const stalledAt = during.at(-1)!.lastCandleMs;
    assert.ok(stalledAt < outageToMs - 2 * MINUTE_MS, "candles were handled during the outage");
    assert.equal(after.status, "running");
    assert.equal(stopped.code, 0);
    // The dashboard shows the outage while candles are missing, and nothing once they flow again.
    const errors = during.map((s) => s.lastError);
    assert.match(
      errors.at(-1) ?? "",
      /candles on binance: .*503|Candle stream from binance failed/,
      `last_error during the outage: ${errors.at(-1)}`,
    );
    assert.ok(errors.filter((e) => e !== null).length >= during.length / 2, errors.join("\n"));
    assert.equal(after.lastError, null);

    const decisions = rows<{ t: number }>(
      dbPath,
      "SELECT candle_time_ms AS t FROM decisions WHERE instance = ? ORDER BY t",
    ).map((r) => r.t);
    const equity = rows<{ t: number }>(
      dbPath,
      "SELECT time_ms AS t FROM equity WHERE instance = ? ORDER BY t",
    ).map((r) => r.t);
    // The zigzag enters and exits on alternate candles: one decision per candle, one equity row per close.
    assert.deepEqual(gridProblems(decisions), []);
    assert.deepEqual(gridProblems(equity), []);
    const missed = decisions.filter((t) => t > stalledAt && t < outageToMs);
    assert.ok(missed.length >= 4, `missed candles handled after recovery: ${missed.length}`);
    assert.ok(decisions.at(-1)! >= through - MINUTE_MS);

    // Paper: nothing reaches the exchange; every order filled once at a real candle's open.
    assert.equal(emulator.orders().length, 0);
    assert.equal(emulator.requests().filter((r) => r.signed || r.hasApiKey).length, 0);
    const orders = rows<{ cid: string; status: string; t: number }>(
      dbPath,
      "SELECT client_order_id AS cid, status, candle_time_ms AS t FROM orders WHERE instance = ? ORDER BY t",
    );
    assert.ok(orders.length >= 6, `orders: ${orders.length}`);
    assert.deepEqual(gridProblems(orders.map((o) => o.t)), []);
    // The last market order may still wait for the next candle's open when the trader stops.
    assert.deepEqual(orders.slice(0, -1).filter((o) => o.status !== "filled"), []);
    const filled = orders.filter((o) => o.status === "filled");
    const fills = rows<{ cid: string; timeMs: number; price: number }>(
      dbPath,
      "SELECT client_order_id AS cid, time_ms AS timeMs, price FROM fills WHERE instance = ?",
    );
    assert.equal(fills.length, filled.length);
    assert.equal(new Set(fills.map((f) => f.cid)).size, fills.length);
    const series = emulator.book.source.series("BTCUSDT", MINUTE_MS)!.candles;
    const openAt = new Map(series.map((c) => [c.openTimeMs, c.open]));
    for (const fill of fills) assert.equal(fill.price, openAt.get(fill.timeMs), fill.cid);
    // deno-lint-ignore no-console
    console.log(
      `trader outage: ${during.length} samples, ${beats.size} heartbeats, ${failed.length} × 503, ` +
        `last error ${JSON.stringify(during.at(-1)!.lastError)}; ${missed.length} missed candles ` +
        `handled after recovery, ${decisions.length} decisions, ${orders.length} orders, 0 gaps`,
    );
    passed = true;
  } finally {
    if (task.alive()) await stopTask(task, 2_000);
    await emulator.close();
    if (passed) await Deno.remove(dir, { recursive: true });
    // deno-lint-ignore no-console
    else console.log(`trader outage: files kept in ${dir}`);
  }
});
