/**
 * Replay: the live loop (order manager, DB writes, heartbeats) over stored candles, with a manual
 * clock at each candle's close and the engine parts' simulated venue. No warm-up before the range
 * and a close at its end, exactly like the backtest, so both produce the same trades.
 */
import { loadBacktestCandles } from "../backtest/load_candles.ts";
import type { InstanceConfig } from "../config/instance_config_schema.ts";
import { isValidClientOrderId } from "../core/client_order_id.ts";
import { ManualClock } from "../core/clock.ts";
import { errorMessage } from "../core/errors.ts";
import type { Clock, Strategy } from "../core/ports.ts";
import type { ClosedTrade } from "../core/types.ts";
import { createEngineParts } from "../engine/engine_parts.ts";
import type { ManagerLogger } from "../execution/order_manager.ts";
import type { MarketFacts } from "../risk/market_rules.ts";
import type { Store } from "../storage/store.ts";
import { closeTime } from "../core/boundaries.ts";
import { registerInstance } from "./instance_row.ts";
import { Trader } from "./trader.ts";

/** Options of `runReplay`. */
export interface ReplayOptions {
  /** First candle (inclusive) and end of the range (exclusive); open ends when absent. */
  readonly fromMs?: number;
  readonly toMs?: number;
  readonly market?: MarketFacts | null;
  /** Instance name; default `<config name>-replay`. */
  readonly instance?: string;
  /** Makes this run's client ids unique (e.g. the wall time of the start). */
  readonly runId: number;
  readonly logger: ManagerLogger;
  /** Heartbeat time (the wall clock, so the dashboard sees a live replay); default candle time. */
  readonly wallClock?: Clock;
  readonly pid?: number;
  readonly signal?: AbortSignal;
  /** Called after each candle, e.g. to sleep for `--pace-ms`. */
  readonly afterCandle?: () => Promise<void> | void;
  /** The strategy instance (a user module's sandbox proxy); default the built-in by name. */
  readonly strategy?: Strategy;
}

/** What a replay did. */
export interface ReplayResult {
  readonly trader: Trader;
  readonly trades: readonly ClosedTrade[];
  readonly candles: number;
  readonly stopped: boolean;
}

/** Runs `config` over its stored candles through the live loop. */
export async function runReplay(
  config: InstanceConfig,
  store: Store,
  options: ReplayOptions,
): Promise<ReplayResult> {
  const { columns } = loadBacktestCandles(store.candles, config, {
    fromMs: options.fromMs ?? -Infinity,
    toMs: options.toMs === undefined ? Infinity : options.toMs - 1,
  });
  const name = options.instance ?? `${config.name}-replay`.slice(0, 64);
  const clock = new ManualClock(columns.openTimeMs[0]);
  const idPrefix = `r${options.runId.toString(36)}`;
  const parts = createEngineParts(config, {
    market: options.market,
    idPrefix,
    strategy: options.strategy,
  });
  registerInstance(store, config, {
    name,
    mode: "replay",
    nowMs: clock.nowMs(),
    pid: options.pid ?? null,
    keepState: false,
  });
  const trader = new Trader({
    name,
    mode: "replay",
    exchange: config.exchange,
    symbol: config.symbol,
    store,
    kernel: parts.kernel,
    venue: parts.venue,
    clock,
    heartbeatClock: options.wallClock,
    state: null,
    logger: options.logger,
    pid: options.pid,
    maxConsecutiveFailures: Infinity,
    manager: { validClientId: (id) => isValidClientOrderId(config.exchange, id) },
  });
  trader.start();
  const beats = replayHeartbeats(trader, {
    wallClock: options.wallClock,
    everyMs: config.trade.heartbeat_seconds * 1000,
  });
  let stopped = false;
  try {
    stopped = await replayCandles(trader, columns, { config, clock, options, beat: beats.due });
  } finally {
    beats.stop();
  }
  if (!stopped) await trader.closeAll();
  trader.stop(stopped ? "replay interrupted" : "replay finished");
  return { trader, trades: trader.kernel.trades, candles: columns.length, stopped };
}

/** Steps every candle at its close time; true when the signal stopped it early. */
async function replayCandles(
  trader: Trader,
  columns: ReturnType<typeof loadBacktestCandles>["columns"],
  at: { config: InstanceConfig; clock: ManualClock; options: ReplayOptions; beat: () => void },
): Promise<boolean> {
  const { config, clock, options } = at;
  for (let i = 0; i < columns.length; i++) {
    if (options.signal?.aborted) return true;
    const candle = {
      openTimeMs: columns.openTimeMs[i],
      open: columns.open[i],
      high: columns.high[i],
      low: columns.low[i],
      close: columns.close[i],
      volume: columns.volume[i],
    };
    clock.set(closeTime(candle.openTimeMs, config.timeframe));
    await trader.step(candle);
    if (i % 500 === 0) trader.heartbeat();
    at.beat();
    await options.afterCandle?.();
  }
  return false;
}

/**
 * Heartbeats on the wall clock, so a paced replay looks live on the dashboard: at least every
 * `everyMs`, from a timer (while `afterCandle` sleeps) and after each candle (an unpaced replay
 * never yields to timers). Without a wall clock, nothing (candle-time beats every 500 candles).
 */
function replayHeartbeats(
  trader: Trader,
  options: { wallClock?: Clock; everyMs: number },
): { due: () => void; stop: () => void } {
  const { wallClock, everyMs } = options;
  if (wallClock === undefined) return { due: () => {}, stop: () => {} };
  let lastMs = wallClock.nowMs();
  const beat = () => {
    lastMs = wallClock.nowMs();
    try {
      trader.heartbeat();
    } catch (error) {
      trader.options.logger.warn("Heartbeat not written: {error}", { error: errorMessage(error) });
    }
  };
  const timer = setInterval(beat, everyMs);
  return {
    due: () => {
      if (wallClock.nowMs() - lastMs >= everyMs) beat();
    },
    stop: () => clearInterval(timer),
  };
}
