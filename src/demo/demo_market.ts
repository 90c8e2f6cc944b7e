/**
 * Where the demo backtests an example config: its own bundled market when there is one, else
 * the same market resampled from a bundled timeframe, else a stand-in market, so every
 * built-in strategy shows in the table even when its example trades a market we ship no data for.
 */
import { type ResampleResult, resampleStoredCandles } from "../candles/mod.ts";
import type { InstanceConfig } from "../config/instance_config_schema.ts";
import type { MarketRef } from "../core/types.ts";
import type { CandleRepo } from "../storage/mod.ts";
import { resampleProblem, type Timeframe, timeframeMs, TIMEFRAMES } from "../timeframes/mod.ts";

/** The market a config runs on when neither its own market nor a resample of it is bundled. */
export const STAND_IN_MARKET = { exchange: "binance", symbol: "BTC/USDT" } as const;

/** A market whose timeframe is known to be valid. */
export type TimedMarket = MarketRef & { readonly timeframe: Timeframe };

/** Where one config's demo backtest runs. */
export interface DemoMarket {
  /** The market the backtest runs on. */
  readonly market: TimedMarket;
  /** The bundled timeframe `market` is resampled from, or null when it is used as stored. */
  readonly resampledFrom: Timeframe | null;
  /** Why this is not the config's own bundled market, or null when it is. */
  readonly note: string | null;
}

function label(market: { exchange: string; symbol: string }): string {
  return `${market.exchange} ${market.symbol}`;
}

function sameSymbol(a: MarketRef, b: { exchange: string; symbol: string }): boolean {
  return a.exchange === b.exchange && a.symbol === b.symbol;
}

/** The longest bundled timeframe of `market`'s symbol that resamples to `timeframe`, or null. */
function resampleBase(
  bundled: readonly MarketRef[],
  market: { exchange: string; symbol: string },
  timeframe: Timeframe,
): Timeframe | null {
  const bases = bundled.filter((b) => sameSymbol(b, market)).map((b) => b.timeframe as Timeframe)
    .filter((base) => resampleProblem(base, timeframe) === null)
    .sort((a, b) => timeframeMs(b) - timeframeMs(a));
  return bases[0] ?? null;
}

/** Timeframes nearest to `timeframe` first (by length ratio); ties go to the shorter. */
function byNearness(timeframe: Timeframe): Timeframe[] {
  const distance = (tf: Timeframe) => Math.abs(Math.log(timeframeMs(tf) / timeframeMs(timeframe)));
  return [...TIMEFRAMES].sort((a, b) => distance(a) - distance(b));
}

/**
 * Chooses where `config` runs given the bundled series. `stored` says the DB already holds
 * candles of the config's own market (a backfill): they are used when nothing is bundled.
 * Null when even the stand-in market has no bundled candles.
 */
export function chooseDemoMarket(
  config: TimedMarket,
  bundled: readonly MarketRef[],
  options: { stored?: boolean } = {},
): DemoMarket | null {
  const own = { exchange: config.exchange, symbol: config.symbol, timeframe: config.timeframe };
  if (bundled.some((b) => sameSymbol(b, own) && b.timeframe === own.timeframe)) {
    return { market: own, resampledFrom: null, note: null };
  }
  const ownBase = resampleBase(bundled, own, own.timeframe);
  if (ownBase !== null) {
    return { market: own, resampledFrom: ownBase, note: `no bundled ${own.timeframe} candles` };
  }
  if (options.stored) return { market: own, resampledFrom: null, note: null };
  const note = bundled.some((b) => sameSymbol(b, own))
    ? `no bundled ${label(own)} candles resample to ${own.timeframe}`
    : `no bundled candles for ${label(own)}`;
  for (const timeframe of byNearness(own.timeframe)) {
    const market = { ...STAND_IN_MARKET, timeframe };
    if (bundled.some((b) => sameSymbol(b, market) && b.timeframe === timeframe)) {
      return { market, resampledFrom: null, note };
    }
    const base = resampleBase(bundled, market, timeframe);
    if (base !== null) return { market, resampledFrom: base, note };
  }
  return null;
}

/** The footnote of a row marked `*`: `* <config> ran on <market> (resampled from <tf>): <why>`. */
export function demoMarketFootnote(configName: string, demo: DemoMarket): string {
  const { exchange, symbol, timeframe } = demo.market;
  const resampled = demo.resampledFrom === null ? "" : ` (resampled from ${demo.resampledFrom})`;
  return `* ${configName} ran on ${exchange} ${symbol} ${timeframe}${resampled}: ${demo.note}`;
}

/** An example config and where the demo runs it (null: nowhere, not even a stand-in). */
export interface DemoPlan {
  readonly config: InstanceConfig;
  readonly demo: DemoMarket | null;
}

/**
 * Chooses where each config runs and writes every resampled market this needs into the DB,
 * each once, from its whole stored base series. Upserts, so a second run changes nothing.
 */
export function planDemoMarkets(
  repo: CandleRepo,
  configs: readonly InstanceConfig[],
  bundled: readonly MarketRef[],
): { plans: DemoPlan[]; resampled: ResampleResult[] } {
  const plans = configs.map((config) => ({
    config,
    demo: chooseDemoMarket(config, bundled, { stored: repo.bounds(config) !== null }),
  }));
  const resampled = new Map<string, ResampleResult>();
  for (const { demo } of plans) {
    if (demo === null || demo.resampledFrom === null) continue;
    const { market, resampledFrom } = demo;
    const key = `${market.exchange} ${market.symbol} ${market.timeframe}`;
    if (resampled.has(key)) continue;
    const source = { ...market, timeframe: resampledFrom };
    resampled.set(key, resampleStoredCandles(repo, { source, timeframe: market.timeframe }));
  }
  return { plans, resampled: [...resampled.values()] };
}
