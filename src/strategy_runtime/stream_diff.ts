/** Compares two signal streams candle by candle; a throw counts as the stream's last answer. */
import type { Signal, SignalStream } from "./signal_stream.ts";

/**
 * Indices ≥ `from` where the two streams answer differently (one has intents and the other
 * none, other intents, or a throw), oldest first. Only candles both streams reached count.
 * With `tolerance`, numbers in the intents (stop and take-profit prices) count as equal when
 * they differ by at most that fraction; kinds and reasons must still match exactly.
 */
export function differingIndices(
  a: SignalStream,
  b: SignalStream,
  options: { from?: number; tolerance?: number } = {},
): number[] {
  const from = options.from ?? 0;
  const tolerance = options.tolerance ?? 0;
  const horizon = Math.min(stopOf(a), stopOf(b));
  const x = answers(a);
  const y = answers(b);
  const found: number[] = [];
  let i = 0;
  let j = 0;
  for (;;) {
    const ix = i < x.length ? x[i][0] : Infinity;
    const jy = j < y.length ? y[j][0] : Infinity;
    const index = Math.min(ix, jy);
    if (index >= horizon) return found;
    const same = ix === jy && sameJson(x[i][1], y[j][1], tolerance);
    if (!same && index >= from) found.push(index);
    if (ix <= jy) i++;
    if (jy <= ix) j++;
  }
}

/** The index after the stream's last candle: its end, or just past the candle it threw on. */
export function stopOf(stream: SignalStream): number {
  return stream.error === null ? stream.end : stream.error.index + 1;
}

function answers(stream: SignalStream): readonly Signal[] {
  if (stream.error === null) return stream.signals;
  return [...stream.signals, [
    stream.error.index,
    JSON.stringify(`throws ${stream.error.message}`),
  ]];
}

function sameJson(a: string, b: string, tolerance: number): boolean {
  if (a === b) return true;
  return tolerance > 0 && sameValue(JSON.parse(a), JSON.parse(b), tolerance);
}

function sameValue(a: unknown, b: unknown, tolerance: number): boolean {
  if (typeof a === "number" && typeof b === "number") {
    return Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b));
  }
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return a === b;
  const keys = Object.keys(a);
  if (Array.isArray(a) !== Array.isArray(b) || keys.length !== Object.keys(b).length) return false;
  return keys.every((key) =>
    sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], tolerance)
  );
}
