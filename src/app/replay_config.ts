/**
 * The composition root of replay, called only by `tasks/replay.ts`: the strategy instance, the
 * market facts cached in the store, a run id from the wall clock (so client ids are new each run),
 * heartbeats on the wall clock (so a dashboard sees a live replay) and the pace between candles.
 * The replay itself (`src/trader/replay.ts`) takes its simulated venue from the engine parts.
 */
import type { InstanceConfig } from "../config/instance_config_schema.ts";
import { abortableDelay } from "../core/clock.ts";
import type { Clock, Strategy } from "../core/ports.ts";
import type { ManagerLogger } from "../execution/order_manager.ts";
import type { Store } from "../storage/store.ts";
import { runReplay } from "../trader/replay.ts";

/** What `replayConfig` needs besides the config. */
export interface ReplayConfigOptions {
  readonly store: Store;
  /** The strategy instance: a built-in, or a user module's sandbox proxy. */
  readonly strategy: Strategy;
  /** First candle (inclusive) and end of the range (exclusive); open ends when absent. */
  readonly fromMs?: number;
  readonly toMs?: number;
  /** Instance name in the DB. */
  readonly instance: string;
  /** Wall ms to sleep after each candle (0: as fast as possible). */
  readonly paceMs: number;
  readonly wallClock: Clock;
  readonly logger: ManagerLogger;
  readonly pid: number;
  readonly signal: AbortSignal;
}

/** What a replay did, for the task's summary line. */
export interface ReplaySummary {
  readonly candles: number;
  readonly trades: number;
  readonly pnlQuote: number;
  /** Equity in the instance row at the end. */
  readonly equityQuote: number | null;
  readonly stopped: boolean;
}

/** Replays `config` over its stored candles through the live loop. */
export async function replayConfig(
  config: InstanceConfig,
  options: ReplayConfigOptions,
): Promise<ReplaySummary> {
  const { store, wallClock, paceMs, signal } = options;
  const result = await runReplay(config, store, {
    fromMs: options.fromMs,
    toMs: options.toMs,
    market: store.markets.get(config.exchange, config.symbol),
    instance: options.instance,
    runId: wallClock.nowMs(),
    wallClock,
    logger: options.logger,
    pid: options.pid,
    signal,
    strategy: options.strategy,
    afterCandle: paceMs > 0 ? () => abortableDelay(paceMs, signal).catch(() => {}) : undefined,
  });
  return {
    candles: result.candles,
    trades: result.trades.length,
    pnlQuote: result.trades.reduce((sum, trade) => sum + trade.pnl, 0),
    equityQuote: store.instances.get(options.instance)!.equityQuote,
    stopped: result.stopped,
  };
}
