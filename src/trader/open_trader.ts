/**
 * Wires one paper or live instance: market check, instance row and resumable state, kernel,
 * venue (simulated for paper, the exchange for live), reconciliation at start and warm-up.
 */
import { createEngineParts } from "../backtest/engine_setup.ts";
import type { InstanceConfig } from "../config/instance_config_schema.ts";
import type { Clock, Strategy, Venue } from "../core/ports.ts";
import { abortableDelay } from "../core/clock.ts";
import { CcxtMarketDataFeed } from "../exchange/ccxt_feed.ts";
import { CcxtExecutionClient } from "../exchange/ccxt_execution_client.ts";
import { isValidClientOrderId } from "../exchange/client_order_id.ts";
import type { ExchangeClient } from "../exchange/exchange_client.ts";
import type { MarketCatalog } from "../exchange/market_catalog.ts";
import { LiveVenue } from "../execution/live_venue.ts";
import type { Failpoint, ManagerLogger } from "../execution/order_manager.ts";
import type { Store } from "../storage/store.ts";
import { registerInstance } from "./instance_row.ts";
import { restoreSimulatedVenue } from "./paper_venue.ts";
import { Trader } from "./trader.ts";
import type { TickerCheck } from "./ticker_watch.ts";
import { reconcileTrader } from "./trader_reconcile.ts";
import { clientIdPrefix, parseTraderState } from "./trader_state.ts";
import { loadWarmupCandles, warmupLength } from "./warm_up.ts";

/** How long an unconfirmed order may still appear at an exchange (recvWindow plus margin). */
export const LIVE_RECONCILE_WINDOW_MS = 15_000;

/** Everything `openTrader` needs; `tasks/trade.ts` builds it from the config and environment. */
export interface OpenTraderOptions {
  readonly config: InstanceConfig;
  readonly mode: "paper" | "live";
  readonly store: Store;
  readonly client: ExchangeClient;
  readonly catalog: MarketCatalog;
  /** Market time: decides when candles close (the wall clock, or the emulator's in tests). */
  readonly clock: Clock;
  /** Row times, heartbeats and reconciliation windows. */
  readonly wallClock: Clock;
  readonly logger: ManagerLogger;
  readonly pid: number;
  readonly failpoint?: Failpoint;
  readonly signal?: AbortSignal;
  /** The strategy instance (a user module's sandbox proxy); default the built-in by name. */
  readonly strategy?: Strategy;
}

/** A trader ready to run: reconciled and warmed up. */
export interface OpenedTrader {
  readonly trader: Trader;
  readonly feed: CcxtMarketDataFeed;
  /** Open time of the first candle to trade. */
  readonly sinceMs: number;
  readonly reconcile: () => Promise<number>;
  readonly live: LiveVenue | null;
  /** Ticker checks between closes, when `trade.stop_check` is `ticker`; else null. */
  readonly ticker: TickerCheck | null;
}

/** Builds, reconciles and warms up the instance described by `options.config`. */
export async function openTrader(options: OpenTraderOptions): Promise<OpenedTrader> {
  const { config, store, mode, wallClock } = options;
  const market = options.catalog.validate(config.symbol, config.timeframe);
  const name = config.name;
  const stored = registerInstance(store, config, {
    name,
    mode,
    nowMs: wallClock.nowMs(),
    pid: options.pid,
    keepState: true,
  });
  const state = parseTraderState(stored, mode);
  const parts = createEngineParts(config, {
    market,
    idPrefix: clientIdPrefix(name),
    strategy: options.strategy,
  });
  if (state !== null) parts.kernel.restore(state.kernel);
  let trader: Trader | null = null;
  const live = mode === "live"
    ? new LiveVenue(
      new CcxtExecutionClient(options.client, options.catalog, {
        clock: wallClock,
        lastPrice: () => trader?.lastPrice ?? null,
      }),
      {
        stopOnExchange: config.risk.stop_on_exchange,
        nowMs: () => wallClock.nowMs(),
        logger: options.logger,
        beforeTriggerSend: (cid) =>
          store.orders.update(cid, { status: "submitting", updatedMs: wallClock.nowMs() }),
      },
    )
    : null;
  const venue: Venue = live ??
    restoreSimulatedVenue(parts.venue, state?.kernel ?? null, store.orders.nonTerminal(name));
  if (live !== null && state === null) {
    const balances = await live.balances(config.symbol);
    // Base already held is valued at the first close; until then equity is the quote.
    const equity = balances.quoteFree;
    parts.kernel.restore({
      ...parts.kernel.snapshot(),
      quoteFree: balances.quoteFree,
      baseFree: balances.baseTotal,
      peakEquityQuote: equity,
      dayStartEquityQuote: equity,
      equityQuote: equity,
    });
  }
  const tfMs = options.client.ccxt.parseTimeframe(config.timeframe) * 1000;
  trader = new Trader({
    name,
    mode,
    exchange: config.exchange,
    symbol: config.symbol,
    store,
    kernel: parts.kernel,
    venue,
    clock: wallClock,
    state,
    logger: options.logger,
    pid: options.pid,
    maxEntryAgeMs: mode === "live" ? 2 * tfMs + 60_000 : null,
    maxConsecutiveFailures: config.risk.max_consecutive_failures,
    manager: {
      failpoint: options.failpoint,
      validClientId: (id) => isValidClientOrderId(config.exchange, id),
    },
  });
  const opened = trader;
  const reconcile = () =>
    reconcileTrader(opened, {
      windowMs: mode === "live" ? LIVE_RECONCILE_WINDOW_MS : 0,
      balanceTolerance: mode === "live"
        ? { baseDust: market.amountStep ?? 1e-8, quoteDust: 0.05 }
        : null,
    });
  await reconcileAtStart(opened, reconcile, options.signal);
  let feedTrouble: string | null = null;
  const feed = new CcxtMarketDataFeed(options.client, config, {
    clock: options.clock,
    closeDelayMs: config.trade.close_delay_ms,
    pollRetryMs: Math.min(5_000, Math.max(200, tfMs / 10)),
    // Missing candles show on the dashboard at the next heartbeat; recovery clears only our own.
    onTrouble: (message) => {
      if (message !== null) opened.lastError = message;
      else if (opened.lastError === feedTrouble) opened.lastError = null;
      feedTrouble = message;
    },
  });
  const sinceMs = await warmUp(opened, feed, {
    config,
    tfMs,
    nowMs: options.clock.nowMs(),
    lastCandleMs: state?.kernel.lastCandleMs ?? 0,
    strategyWarmup: parts.strategy.warmupCandles,
  });
  const ticker = config.trade.stop_check === "ticker"
    ? { intervalMs: config.trade.ticker_seconds * 1000, fetchPrice: tickerPrice(options) }
    : null;
  return { trader: opened, feed, sinceMs, reconcile, live, ticker };
}

/** The exchange's last price for the config's symbol (public, retried, rate-budgeted). */
function tickerPrice(options: OpenTraderOptions): TickerCheck["fetchPrice"] {
  const { client, config, clock } = options;
  return async () => {
    const ticker = await client.call(
      `fetch ${config.symbol} ticker`,
      (exchange) => exchange.fetchTicker(config.symbol),
    );
    const price = ticker.last ?? ticker.close;
    if (price === undefined || price === null || !(price > 0)) return null;
    return { price, timeMs: ticker.timestamp ?? clock.nowMs() };
  };
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
async function warmUp(
  trader: Trader,
  feed: CcxtMarketDataFeed,
  at: {
    config: InstanceConfig;
    tfMs: number;
    nowMs: number;
    lastCandleMs: number;
    strategyWarmup: number;
  },
): Promise<number> {
  const { config, tfMs } = at;
  const lastClosedMs = Math.floor(at.nowMs / tfMs) * tfMs - tfMs;
  const throughMs = at.lastCandleMs > 0 ? Math.min(at.lastCandleMs, lastClosedMs) : lastClosedMs;
  const count = warmupLength(at.strategyWarmup);
  const candles = await loadWarmupCandles(
    trader.options.store,
    config,
    { fromMs: throughMs - (count - 1) * tfMs, toMs: throughMs, timeframeMs: tfMs },
    async (sinceMs, untilMs) => (await feed.fetchCandles(sinceMs, untilMs)).candles,
  );
  for (const candle of candles) trader.kernel.warmUp(candle);
  trader.options.logger.info("Warmed up on {count} candles through {time}", {
    count: candles.length,
    time: new Date(throughMs).toISOString(),
  });
  return throughMs + tfMs;
}
