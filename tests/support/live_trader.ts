/**
 * A live trader in-process against the emulator, stepped candle by candle on synthetic hourly
 * candles at the emulator's price: the real `LiveVenue` over `CcxtExecutionClient`, the real
 * `Trader` and its reconciliation, and a scripted strategy.
 */
import { parseInstanceConfig } from "../../src/config/load_instance_config.ts";
import type { Strategy } from "../../src/core/ports.ts";
import type { Candle, OrderIntent } from "../../src/core/types.ts";
import { createEngineParts } from "../../src/engine/engine_parts.ts";
import { CcxtExecutionClient } from "../../src/exchange/ccxt_execution_client.ts";
import { loadMarketCatalog } from "../../src/exchange/market_catalog.ts";
import { LiveVenue } from "../../src/execution/live_venue.ts";
import { ForeignOrderWatch, watchForeignOrders } from "../../src/trader/foreign_orders.ts";
import { registerInstance } from "../../src/trader/instance_row.ts";
import { Trader } from "../../src/trader/trader.ts";
import { reconcileTrader } from "../../src/trader/trader_reconcile.ts";
import { BinanceEmulator, type EmulatorOptions } from "./binance_emulator.ts";
import { emulatorClient, followingClock } from "./exchange_harness.ts";
import { tempStore } from "./temp_store.ts";
import { MemoryLogger } from "./trader_fixtures.ts";

const H = 3_600_000;
/** Open time of the harness's candle 0. */
export const LIVE_TRADER_START_MS = Date.UTC(2024, 7, 1, 0, 0);
/** The instance name (and client id prefix) of the harness's trader. */
export const LIVE_TRADER_NAME = "fees";

/** A strategy that returns fixed intents on given candle indexes. */
export function scripted(script: Record<number, OrderIntent[]>): Strategy {
  let index = -1;
  return { name: "scripted", warmupCandles: 0, onCandle: () => script[++index] ?? [] };
}

/** A synthetic candle at hour `i` around `price`, far from any protective level. */
function candle(i: number, price: number): Candle {
  return {
    openTimeMs: LIVE_TRADER_START_MS + i * H,
    open: price,
    high: price * 1.001,
    low: price * 0.999,
    close: price,
    volume: 1,
  };
}

/** Options of `liveTrader`. */
export interface LiveTraderOptions {
  /** Keep the stop on the exchange (default true). */
  readonly stopOnExchange?: boolean;
  /** Options of the emulator (its market time starts at candle 0's open + 30 min). */
  readonly emulator?: EmulatorOptions;
}

/** A live trader on the emulator's default account, with `step(i)` and `reconcile()`. */
export async function liveTrader(
  script: Record<number, OrderIntent[]>,
  options: LiveTraderOptions = {},
) {
  const stopOnExchange = options.stopOnExchange ?? true;
  const emulator = new BinanceEmulator({
    startMs: LIVE_TRADER_START_MS + 30 * 60_000,
    ...options.emulator,
  });
  const client = emulatorClient(emulator, { keys: true });
  const clock = followingClock(emulator);
  const catalog = await loadMarketCatalog(client, { nowMs: clock.nowMs() });
  const { store, dispose } = await tempStore();
  const name = LIVE_TRADER_NAME;
  const config = parseInstanceConfig(
    `name: ${name}\nexchange: binance\nsymbol: BTC/USDT\ntimeframe: 1h\nmode: live\n` +
      "strategy:\n  name: scripted\n" +
      "risk:\n  stake_amount: 200\n  stop_loss_pct: 50\n  take_profit_pct: 60\n" +
      `  stop_on_exchange: ${stopOnExchange}\n  max_consecutive_failures: 20\n`,
    { strategies: null },
  );
  const market = catalog.validate(config.symbol, config.timeframe);
  registerInstance(store, config, { name, mode: "live", nowMs: 0, pid: null, keepState: false });
  const parts = createEngineParts(config, { market, strategy: scripted(script), idPrefix: name });
  const logger = new MemoryLogger();
  const venue = new LiveVenue(new CcxtExecutionClient(client, catalog, { clock }), {
    stopOnExchange,
    nowMs: () => clock.nowMs(),
    logger,
    beforeTriggerSend: (cid) =>
      store.orders.update(cid, { status: "submitting", updatedMs: clock.nowMs() }),
  });
  const balances = await venue.balances(config.symbol);
  parts.kernel.restore({
    ...parts.kernel.snapshot(),
    quoteFree: balances.quoteFree,
    baseFree: balances.baseTotal,
  });
  const trader = new Trader({
    name,
    mode: "live",
    exchange: "binance",
    symbol: config.symbol,
    store,
    kernel: parts.kernel,
    venue,
    clock,
    state: null,
    logger,
    maxConsecutiveFailures: 20,
  });
  const foreign = new ForeignOrderWatch(clock.nowMs());
  const reconcile = () =>
    reconcileTrader(trader, {
      windowMs: 0,
      balanceTolerance: { baseDust: market.amountStep ?? 1e-8, quoteDust: 0.05 },
      live: venue,
      foreign,
    });
  /** Moves the market to a minute after candle `i` closed and steps the trader through it. */
  const step = async (i: number) => {
    emulator.clock.set(LIVE_TRADER_START_MS + (i + 1) * H + 60_000);
    await trader.step(candle(i, emulator.book.priceAt("BTCUSDT", emulator.clock.nowMs())));
  };
  return {
    emulator,
    store,
    trader,
    venue,
    logger,
    step,
    reconcile,
    /** What the live loop runs after each candle: the look for orders we did not make. */
    watchAccount: () => watchForeignOrders(trader, foreign),
    amountStep: market.amountStep!,
    async [Symbol.asyncDispose]() {
      await emulator.close();
      await dispose();
    },
  };
}
