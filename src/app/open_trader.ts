/**
 * The composition root of paper and live trading, called only by `tasks/trade.ts`. It picks the
 * adapters — the CCXT feed; the simulated venue (paper) or the exchange's venue over a
 * `CcxtExecutionClient` (live) — builds the engine parts and the trader from them, and starts the
 * trader (reconciled and warmed up). `src/trader` receives only ports.
 */
import type { Notifier } from "../notify/notifier.ts";
import type { InstanceConfig } from "../config/instance_config_schema.ts";
import { clientOrderIdScheme, isValidClientOrderId } from "../core/client_order_id.ts";
import { TradingError } from "../core/errors.ts";
import type { Clock, Strategy, Venue } from "../core/ports.ts";
import { createEngineParts, type EngineParts } from "../engine/engine_parts.ts";
import { CcxtMarketDataFeed } from "../exchange/ccxt_feed.ts";
import { CcxtExecutionClient } from "../exchange/ccxt_execution_client.ts";
import type { ExchangeClient } from "../exchange/exchange_client.ts";
import type { MarketCatalog } from "../exchange/market_catalog.ts";
import { LiveVenue } from "../execution/live_venue.ts";
import type { Failpoint } from "../execution/failpoints.ts";
import type { ManagerLogger } from "../execution/order_manager.ts";
import { resumeSimulatedExchange } from "../execution/resume_simulated_exchange.ts";
import type { Store } from "../storage/store.ts";
import { registerInstance } from "../trader/instance_row.ts";
import type { RunTraderOptions } from "../trader/run_trader.ts";
import { LIVE_RECONCILE_WINDOW_MS, startTrader } from "../trader/start_trader.ts";
import type { TickerCheck } from "../trader/ticker_watch.ts";
import { Trader } from "../trader/trader.ts";
import { withLateOrders } from "../trader/late_orders.ts";
import { ForeignOrderWatch, watchForeignOrders } from "../trader/foreign_orders.ts";
import { reconcileTrader } from "../trader/trader_reconcile.ts";
import { clientIdPrefix, parseTraderState, type TraderState } from "../trader/trader_state.ts";

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
  /** Queues the instance's notifications; none when absent. */
  readonly notifier?: Notifier;
}

/** A trader ready to run: reconciled, warmed up, and the ports of its loop. */
export interface OpenedTrader {
  readonly trader: Trader;
  /** What `runTrader` needs besides the stop signal. */
  readonly loop: Omit<RunTraderOptions, "signal">;
}

/** Builds, reconciles and warms up the instance described by `options.config`. */
export async function openTrader(options: OpenTraderOptions): Promise<OpenedTrader> {
  const { config } = options;
  assertPaperCannotSign(options);
  const { trader, live, parts, state, market, timeframeMs } = buildTrader(options);
  // Live: orders on the account that this instance did not make pause it. Trades before the last
  // candle the previous run handled were looked at by that run.
  const foreign = live === null
    ? null
    : new ForeignOrderWatch(state?.kernel.lastCandleMs || options.wallClock.nowMs());
  const pass = () =>
    reconcileTrader(trader, {
      windowMs: live !== null ? LIVE_RECONCILE_WINDOW_MS : 0,
      balanceTolerance: live !== null
        ? { baseDust: market.amountStep ?? 1e-8, quoteDust: 0.05 }
        : null,
      live,
      foreign,
    });
  // Live: orders marked failed that the exchange shows after all are adopted (the simulated
  // venue knows every order, so paper has none).
  const reconcile = live === null ? pass : withLateOrders(trader, live, pass);
  const feed = new CcxtMarketDataFeed(options.client, config, {
    clock: options.clock,
    closeDelayMs: config.trade.close_delay_ms,
    pollRetryMs: Math.min(5_000, Math.max(200, timeframeMs / 10)),
    // Missing candles show on the dashboard at the next heartbeat; recovery clears only our own.
    onTrouble: (message) => trader.feedTrouble(message),
  });
  const sinceMs = await startTrader(trader, {
    market: config,
    timeframeMs,
    warmupCandles: parts.strategy.warmupCandles,
    clock: options.clock,
    adoptVenueBalances: live !== null && state === null,
    reconcile,
    fetchCandles: async (fromMs, untilMs) => (await feed.fetchCandles(fromMs, untilMs)).candles,
    signal: options.signal,
  });
  const loop = {
    feed,
    sinceMs,
    heartbeatMs: config.trade.heartbeat_seconds * 1000,
    reconcile,
    venueNeedsReconcile: () => live?.needsReconcile ?? false,
    ticker: tickerCheck(options),
    watchAccount: foreign === null ? undefined : () => watchForeignOrders(trader, foreign),
  };
  return { trader, loop };
}

/**
 * Paper mode reads public data only, and CCXT never puts a key on a public request, so a paper
 * client holding keys would look harmless from outside until some code path signed with them.
 */
function assertPaperCannotSign({ mode, client, config }: OpenTraderOptions): void {
  if (mode !== "paper" || !client.hasCredentials) return;
  throw new TradingError(
    `Cannot open ${config.name} in paper mode: its exchange client holds API credentials, ` +
      "and paper mode must not be able to sign a request",
  );
}

/** The instance row and stored state, the engine parts, the venue and the trader around them. */
function buildTrader(options: OpenTraderOptions) {
  const { config, store, mode, wallClock } = options;
  const market = options.catalog.validate(config.symbol, config.timeframe);
  const stored = registerInstance(store, config, {
    name: config.name,
    mode,
    nowMs: wallClock.nowMs(),
    pid: options.pid,
    keepState: true,
  });
  const state = parseTraderState(stored, mode);
  const parts = createEngineParts(config, {
    market,
    idPrefix: clientIdPrefix(config.name),
    // Paper makes the same ids as live would, in the exchange's format (Kraken's are shorter).
    clientOrderId: clientOrderIdScheme(config.exchange),
    strategy: options.strategy,
  });
  // `closing` belongs to the run that stopped with --close-on-exit; this run trades again.
  if (state !== null) parts.kernel.restore({ ...state.kernel, closing: false });
  let trader: Trader | null = null;
  const live = mode === "live" ? liveVenue(options, () => trader?.lastPrice ?? null) : null;
  const venue = live ?? paperVenue(options, parts, state);
  const timeframeMs = options.client.ccxt.parseTimeframe(config.timeframe) * 1000;
  trader = newTrader(options, { parts, venue, state, timeframeMs });
  return { trader, live, parts, state, market, timeframeMs };
}

/** The exchange's venue: its `ExecutionClient`, with protective orders held as configured. */
function liveVenue(options: OpenTraderOptions, lastPrice: () => number | null): LiveVenue {
  const { config, store, wallClock } = options;
  const client = new CcxtExecutionClient(options.client, options.catalog, {
    clock: wallClock,
    lastPrice,
    unconfirmed: () => options.failpoint?.("order.send_unconfirmed"),
  });
  return new LiveVenue(client, {
    stopOnExchange: config.risk.stop_on_exchange,
    nowMs: () => wallClock.nowMs(),
    logger: options.logger,
    beforeTriggerSend: (cid) => {
      store.orders.update(cid, { status: "submitting", updatedMs: wallClock.nowMs() });
      options.failpoint?.("protect.trigger");
    },
  });
}

/** The simulated venue, holding again what it held when the last run stopped. */
function paperVenue(
  options: OpenTraderOptions,
  parts: EngineParts,
  state: TraderState | null,
): Venue {
  if (state !== null) {
    const rows = options.store.orders.nonTerminal(options.config.name);
    resumeSimulatedExchange(parts.exchange, state.kernel, rows);
  }
  return parts.venue;
}

function newTrader(
  options: OpenTraderOptions,
  built: { parts: EngineParts; venue: Venue; state: TraderState | null; timeframeMs: number },
): Trader {
  const { config, mode } = options;
  return new Trader({
    name: config.name,
    mode,
    exchange: config.exchange,
    symbol: config.symbol,
    store: options.store,
    kernel: built.parts.kernel,
    venue: built.venue,
    clock: options.wallClock,
    state: built.state,
    logger: options.logger,
    pid: options.pid,
    maxEntryAgeMs: mode === "live" ? 2 * built.timeframeMs + 60_000 : null,
    maxConsecutiveFailures: config.risk.max_consecutive_failures,
    notifier: options.notifier,
    manager: {
      failpoint: options.failpoint,
      validClientId: (id) => isValidClientOrderId(config.exchange, id),
    },
  });
}

/** Ticker checks between closes when `trade.stop_check` is `ticker`; else null. */
function tickerCheck(options: OpenTraderOptions): TickerCheck | null {
  const { client, config, clock } = options;
  if (config.trade.stop_check !== "ticker") return null;
  // The exchange's last price for the config's symbol (public, retried, rate-budgeted).
  const fetchPrice = async () => {
    const ticker = await client.call(
      `fetch ${config.symbol} ticker`,
      (exchange) => exchange.fetchTicker(config.symbol),
    );
    const price = ticker.last ?? ticker.close;
    if (price === undefined || price === null || !(price > 0)) return null;
    return { price, timeMs: ticker.timestamp ?? clock.nowMs() };
  };
  return { intervalMs: config.trade.ticker_seconds * 1000, fetchPrice };
}
