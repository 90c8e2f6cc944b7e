/**
 * The demo's last step: the latest candles of one config through the live loop (order manager,
 * DB writes) at a pace a dashboard can watch (the replay heartbeats on the wall clock).
 * The instance ends `stopped`; it is named `<config>-demo` so it never touches a user's replay.
 */
import type { InstanceConfig } from "../config/instance_config_schema.ts";
import { abortableDelay } from "../core/clock.ts";
import type { Clock } from "../core/ports.ts";
import type { ManagerLogger } from "../execution/order_manager.ts";
import type { Store } from "../storage/mod.ts";
import { addCandles } from "../core/boundaries.ts";
import { runReplay } from "../trader/replay.ts";

/** Options of `runDemoReplay`. */
export interface DemoReplayOptions {
  /** How many of the latest stored candles to replay. */
  readonly candles: number;
  /** Wall ms to sleep after each candle (0: as fast as possible). */
  readonly paceMs: number;
  readonly wallClock: Clock;
  readonly logger: ManagerLogger;
  readonly pid?: number;
  readonly signal?: AbortSignal;
}

/** What the demo replay did. */
export interface DemoReplayResult {
  readonly instance: string;
  readonly candles: number;
  readonly trades: number;
  readonly pnlQuote: number;
  readonly stopped: boolean;
}

/** The instance name the demo replays `config` under. */
export function demoInstanceName(config: InstanceConfig): string {
  return `${config.name}-demo`.slice(0, 64);
}

/** Replays the latest `options.candles` candles of `config`; null when none are stored. */
export async function runDemoReplay(
  config: InstanceConfig,
  store: Store,
  options: DemoReplayOptions,
): Promise<DemoReplayResult | null> {
  const bounds = store.candles.bounds(config);
  if (bounds === null) return null;
  const instance = demoInstanceName(config);
  const fromMs = Math.max(
    bounds.firstMs,
    addCandles(bounds.lastMs, config.timeframe, 1 - options.candles),
  );
  const { wallClock, signal, paceMs } = options;
  const result = await runReplay(config, store, {
    fromMs,
    market: store.markets.get(config.exchange, config.symbol),
    instance,
    runId: wallClock.nowMs(),
    wallClock,
    logger: options.logger,
    pid: options.pid,
    signal,
    afterCandle: async () => {
      if (paceMs > 0) await abortableDelay(paceMs, signal).catch(() => {});
    },
  });
  return {
    instance,
    candles: result.candles,
    trades: result.trades.length,
    pnlQuote: result.trades.reduce((sum, trade) => sum + trade.pnl, 0),
    stopped: result.stopped,
  };
}
