/** Loads the bundled real candles in `data/samples/` for tests and benches. */
import { candleToRow } from "../../src/core/candle_row.ts";
import type { Candle, CandleRow } from "../../src/core/types.ts";

const SAMPLES_DIR = new URL("../../data/samples/", import.meta.url);
const cache = new Map<string, readonly Candle[]>();

/**
 * Parses `data/samples/<fileName>` (header `timestamp,open,high,low,close,volume`) into candles,
 * oldest first. Parsed once per file; each call gets its own array of shared frozen candles.
 */
export function loadSampleCandles(fileName: string): Candle[] {
  const cached = cache.get(fileName);
  if (cached) return cached.slice();
  const text = Deno.readTextFileSync(new URL(fileName, SAMPLES_DIR));
  const lines = text.split("\n");
  const candles: Candle[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === "") continue;
    const [openTimeMs, open, high, low, close, volume] = line.split(",").map(Number);
    candles.push(Object.freeze({ openTimeMs, open, high, low, close, volume }));
  }
  cache.set(fileName, candles);
  return candles.slice();
}

/** The sample's candles with `fromMs <= openTimeMs < untilMs` as stored rows, oldest first. */
export function sampleRows(fileName: string, fromMs = -Infinity, untilMs = Infinity): CandleRow[] {
  return loadSampleCandles(fileName)
    .filter((c) => c.openTimeMs >= fromMs && c.openTimeMs < untilMs)
    .map(candleToRow);
}
