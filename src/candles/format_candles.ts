/** Writes candles in the CSV format `candles import` reads. */
import type { CandleRow } from "../core/types.ts";
import { CANDLE_CSV_HEADER } from "./parse_candles.ts";

/** The whole CSV text, header first, one line per candle, `\n` line ends. */
export function formatCandleCsv(rows: ArrayLike<CandleRow>): string {
  const lines = new Array<string>(rows.length + 1);
  lines[0] = CANDLE_CSV_HEADER;
  for (let i = 0; i < rows.length; i++) {
    const [t, o, h, l, c, v] = rows[i];
    lines[i + 1] = `${t},${o},${h},${l},${c},${v}`;
  }
  return lines.join("\n") + "\n";
}
