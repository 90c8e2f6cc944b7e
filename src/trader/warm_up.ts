/** Warm-up candles for a starting trader: stored candles first, the exchange for the rest. */
import { candleFromRow, candleToRow } from "../core/candle_row.ts";
import type { Candle, CandleRow, MarketRef } from "../core/types.ts";
import type { Store } from "../storage/store.ts";

/** Fetches closed candles with open time in [sinceMs, untilMs) from the exchange. */
export type CandleFetch = (sinceMs: number, untilMs: number) => Promise<readonly Candle[]>;

/** How many candles to warm a strategy up on: several times its own need, so indicators settle. */
export function warmupLength(strategyWarmup: number): number {
  return Math.max(50, strategyWarmup * 3 + 10);
}

/**
 * Candles with open time in [fromMs, toMs], ascending: what the DB holds, then what the
 * exchange has after it. Fetched candles are stored, so the next start reads them locally.
 */
export async function loadWarmupCandles(
  store: Store,
  market: MarketRef,
  range: { fromMs: number; toMs: number; timeframeMs: number },
  fetch: CandleFetch,
): Promise<Candle[]> {
  const rows = store.candles.loadRange(market, range.fromMs, range.toMs);
  const candles: Candle[] = rows.map(candleFromRow);
  const nextMs = candles.length > 0
    ? candles[candles.length - 1].openTimeMs + range.timeframeMs
    : range.fromMs;
  if (nextMs > range.toMs) return candles;
  const fetched = (await fetch(nextMs, range.toMs + 1)).filter((c) => c.openTimeMs >= nextMs);
  if (fetched.length > 0) {
    const upsert: CandleRow[] = fetched.map(candleToRow);
    store.candles.upsert(market, upsert);
  }
  return [...candles, ...fetched];
}
