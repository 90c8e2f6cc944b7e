/** Candles between their object shape, the positional rows storage keeps and the columns. */
import type { Candle, CandleColumns, CandleRow } from "./types.ts";

/** The candle a stored row describes. */
export function candleFromRow([openTimeMs, open, high, low, close, volume]: CandleRow): Candle {
  return { openTimeMs, open, high, low, close, volume };
}

/** The row storage keeps for a candle. */
export function candleToRow(candle: Candle): CandleRow {
  return [candle.openTimeMs, candle.open, candle.high, candle.low, candle.close, candle.volume];
}

/** Candle `index` of a set of columns, as a new object. */
export function candleFromColumns(columns: CandleColumns, index: number): Candle {
  return {
    openTimeMs: columns.openTimeMs[index],
    open: columns.open[index],
    high: columns.high[index],
    low: columns.low[index],
    close: columns.close[index],
    volume: columns.volume[index],
  };
}
