/**
 * Candle files for the Kraken emulator in tests that run on the wall clock: the bundled real
 * Kraken BTC/USD candles moved in time so that they end at the current candle.
 */
import { parseCandleCsv } from "./candle_source.ts";

const SAMPLES = new URL("../../data/samples/", import.meta.url);
const HEADER = "timestamp,open,high,low,close,volume";

/**
 * Writes `<dir>/kraken_BTC-USD_<timeframe>.csv`: the bundled file of that timeframe shifted so its
 * last candle opens at `lastOpenMs` (values unchanged). Returns the CSV text.
 */
export async function krakenCandlesEndingNow(
  dir: string,
  timeframe: "1h" | "15m",
  lastOpenMs: number,
): Promise<string> {
  const rows = parseCandleCsv(
    await Deno.readTextFile(new URL(`kraken_BTC-USD_${timeframe}.csv`, SAMPLES)),
  );
  const shift = lastOpenMs - rows[rows.length - 1].openTimeMs;
  const lines = rows.map((c) =>
    `${c.openTimeMs + shift},${c.open},${c.high},${c.low},${c.close},${c.volume}`
  );
  const text = [HEADER, ...lines].join("\n") + "\n";
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(`${dir}/kraken_BTC-USD_${timeframe}.csv`, text);
  return text;
}
