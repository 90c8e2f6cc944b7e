/**
 * A paper trader process on the Binance emulator's market clock, for tests that drive it candle
 * by candle: its config and waits on its instance row.
 */
import type { BinanceEmulator } from "./binance_emulator.ts";
import { type TraderProcess, waitFor, withStore } from "./trader_process.ts";
import { parseTraderState } from "../../src/trader/trader_state.ts";

const HOUR_MS = 3_600_000;

/** sma_cross 2/3 on 1h candles, no stops, heartbeat every second: it trades within a day. */
export const PAPER_SMA_CONFIG = `exchange: binance
symbol: BTC/USDT
timeframe: 1h
strategy:
  name: sma_cross
  params: { fast: 2, slow: 3 }
risk:
  stake_pct: 50
  stop_loss_pct: null
  take_profit_pct: null
trade:
  heartbeat_seconds: 1
  close_delay_ms: 0
`;

/** The last candle `name` handled (0 before its first). */
export function lastCandleMs(url: string, name: string): number {
  return withStore(
    url,
    (s) => parseTraderState(s.instances.get(name)?.state, "paper")?.kernel.lastCandleMs ?? 0,
  );
}

/** Waits until the row of `name` shows `status`; fails at once if the process exits. */
export async function waitStatus(
  trader: TraderProcess,
  at: { url: string; name: string },
  status: string,
): Promise<void> {
  let exited = false;
  trader.status.then(() => exited = true);
  await waitFor(`${at.name} ${status}`, async () => {
    if (exited) throw new Error(`${at.name} exited: ${await trader.stderr}`);
    return withStore(at.url, (s) => s.instances.get(at.name)?.status === status);
  });
}

/** One 1h candle closes on the emulator; resolves true once handled, false if the process exited. */
export async function nextCandle(
  emulator: BinanceEmulator,
  trader: TraderProcess,
  at: { url: string; name: string },
): Promise<boolean> {
  let exited = false;
  trader.status.then(() => exited = true);
  emulator.advanceCandles(1, "1h");
  const expected = Math.floor(emulator.clock.nowMs() / HOUR_MS) * HOUR_MS - HOUR_MS;
  await waitFor("candle handled", () => exited || lastCandleMs(at.url, at.name) >= expected);
  return !exited;
}
