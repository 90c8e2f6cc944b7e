/**
 * Starting a trader that its composition root has built: a fresh live instance takes the
 * exchange's balances, its orders are reconciled until none is unresolved, and the strategy warms
 * up on the candles before the first one to trade.
 */
import { abortableDelay } from "../core/clock.ts";
import type { Clock } from "../core/ports.ts";
import type { MarketRef } from "../core/types.ts";
import type { Trader } from "./trader.ts";
import { type CandleFetch, loadWarmupCandles, warmupLength } from "./warm_up.ts";

/** How long an unconfirmed order may still appear at an exchange (recvWindow plus margin). */
export const LIVE_RECONCILE_WINDOW_MS = 15_000;

/** What `startTrader` needs besides the trader. */
export interface StartTraderOptions {
  /** The market whose candles are stored and fetched for the warm-up. */
  readonly market: MarketRef;
  readonly timeframeMs: number;
  /** Candles the strategy needs before its first meaningful intent. */
  readonly warmupCandles: number;
  /** Market time: the last candle closed by now is the last one warmed up on. */
  readonly clock: Clock;
  /** True for a live instance with no stored state: its books start from the venue's balances. */
  readonly adoptVenueBalances: boolean;
  /** One reconciliation pass; resolves to how many orders are still unresolved. */
  readonly reconcile: () => Promise<number>;
  /** Candles the store lacks, from the exchange. */
  readonly fetchCandles: CandleFetch;
  readonly signal?: AbortSignal;
}

/** Takes balances (fresh live), reconciles and warms up; returns the first candle to trade. */
export async function startTrader(trader: Trader, options: StartTraderOptions): Promise<number> {
  if (options.adoptVenueBalances) await adoptVenueBalances(trader);
  await reconcileAtStart(trader, options.reconcile, options.signal);
  return await warmUp(trader, options);
}

/** The kernel books what the exchange holds; base already held is valued at the first close. */
async function adoptVenueBalances(trader: Trader): Promise<void> {
  const { kernel, options } = trader;
  const balances = await options.venue.balances(options.symbol);
  const equity = balances.quoteFree;
  kernel.restore({
    ...kernel.snapshot(),
    quoteFree: balances.quoteFree,
    baseFree: balances.baseTotal,
    peakEquityQuote: equity,
    dayStartEquityQuote: equity,
    equityQuote: equity,
  });
}

/** Reconciles until nothing is unresolved or the window has surely passed. */
async function reconcileAtStart(
  trader: Trader,
  reconcile: () => Promise<number>,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = trader.options.clock.nowMs() + LIVE_RECONCILE_WINDOW_MS + 5_000;
  while (await reconcile() > 0 && trader.options.clock.nowMs() < deadline) {
    trader.options.logger.info("Waiting for unconfirmed orders to appear at the venue");
    await abortableDelay(1_000, signal);
  }
}

/** Feeds the strategy the candles up to the last one handled; returns the first to trade. */
async function warmUp(trader: Trader, options: StartTraderOptions): Promise<number> {
  const { timeframeMs: tfMs } = options;
  const lastCandleMs = trader.options.state?.kernel.lastCandleMs ?? 0;
  const lastClosedMs = Math.floor(options.clock.nowMs() / tfMs) * tfMs - tfMs;
  const throughMs = lastCandleMs > 0 ? Math.min(lastCandleMs, lastClosedMs) : lastClosedMs;
  const count = warmupLength(options.warmupCandles);
  const candles = await loadWarmupCandles(
    trader.options.store,
    options.market,
    { fromMs: throughMs - (count - 1) * tfMs, toMs: throughMs, timeframeMs: tfMs },
    options.fetchCandles,
  );
  trader.warmUp(candles);
  trader.options.logger.info("Warmed up on {count} candles through {time}", {
    count: candles.length,
    time: new Date(throughMs).toISOString(),
  });
  return throughMs + tfMs;
}
