/**
 * Candle CSVs for the soak's emulators: a seeded random walk with slow swings (so the example
 * strategies find signals within hours of market time), and a zigzag for live traders.
 */
import { seededRandom } from "../../src/core/seeded_random.ts";

const MINUTE_MS = 60_000;
const HEADER = "timestamp,open,high,low,close,volume";

/** 1m candles from `fromMs` to `toMs` (exclusive) around `basePrice`, as emulator CSV text. */
export function randomWalkCsv(
  range: { fromMs: number; toMs: number },
  options: { basePrice: number; seed: number },
): string {
  const random = seededRandom(options.seed);
  const lines = [HEADER];
  const first = Math.ceil(range.fromMs / MINUTE_MS);
  let price = options.basePrice;
  for (let m = first; m * MINUTE_MS < range.toMs; m++) {
    // A 6-hour swing of ±3 % plus noise: RSI, MACD, SMA and band strategies all trigger.
    const swing = Math.sin((m / 360) * Math.PI) * 0.0006;
    const open = price;
    const close = round2(open * (1 + swing + (random() - 0.5) * 0.004));
    const high = round2(Math.max(open, close) * (1 + random() * 0.001));
    const low = round2(Math.min(open, close) * (1 - random() * 0.001));
    lines.push(`${m * MINUTE_MS},${open},${high},${low},${close},${round2(1 + random() * 9)}`);
    price = close;
  }
  return lines.join("\n") + "\n";
}

/**
 * 1m candles from 4 h before to `hours` after `nowMs` whose closes zigzag (SMA 2/3 crosses).
 * SMA 2/3 enters on the candle closing at `entryAtMs` (a minute boundary) and every 2 minutes
 * from it, and exits in between; by default entries close on even minutes.
 */
export function zigzagCsv(nowMs: number, hours = 2, options: { entryAtMs?: number } = {}): string {
  const lines = [HEADER];
  const first = Math.floor(nowMs / MINUTE_MS) - 240;
  // The fast SMA crosses above after a down candle; that candle closes on an even minute unless shifted.
  const shift =
    options.entryAtMs !== undefined && Math.floor(options.entryAtMs / MINUTE_MS) % 2 !== 0 ? 1 : 0;
  for (let m = first; m < first + 240 + hours * 60; m++) {
    const up = (m + shift) % 2 === 0;
    const close = 60_000 + (up ? 50 : -50);
    const open = 60_000 + (up ? -50 : 50);
    const high = Math.max(open, close) + 10;
    const low = Math.min(open, close) - 10;
    lines.push(`${m * MINUTE_MS},${open},${high},${low},${close},1`);
  }
  return lines.join("\n") + "\n";
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
