/** Candles between their object shape and the positional rows storage reads and writes. */
import type { Candle, CandleRow } from "./types.ts";

/** The candle a stored row describes. */
export function candleFromRow([openTimeMs, open, high, low, close, volume]: CandleRow): Candle {
  return { openTimeMs, open, high, low, close, volume };
}

/** The row storage keeps for a candle. */
export function candleToRow(candle: Candle): CandleRow {
  return [candle.openTimeMs, candle.open, candle.high, candle.low, candle.close, candle.volume];
}
