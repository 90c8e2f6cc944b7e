/** Shared helpers for the indicator tests: series comparison, streaming and generators. */
import { AssertionError } from "node:assert/strict";
import fc from "fast-check";
import type { Bar, Indicator, VolumeBar } from "./indicator.ts";

/** Feeds every input to `indicator` and collects what `update` returned. */
export function stream<I>(indicator: Indicator<I>, inputs: readonly I[]): number[] {
  return inputs.map((input) => indicator.update(input));
}

/**
 * Asserts two series agree: NaN exactly where the other is NaN, else within
 * `absolute + relative × |expected|`.
 */
export function assertSeriesClose(
  actual: readonly number[],
  expected: readonly number[],
  options: { relative?: number; absolute?: number; label?: string } = {},
): void {
  const { relative = 1e-9, absolute = 1e-9, label = "series" } = options;
  if (actual.length !== expected.length) {
    throw new AssertionError({
      message: `${label}: length ${actual.length} != ${expected.length}`,
    });
  }
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i], e = expected[i];
    const bothNaN = Number.isNaN(a) && Number.isNaN(e);
    if (bothNaN) continue;
    if (!(Math.abs(a - e) <= absolute + relative * Math.abs(e))) {
      throw new AssertionError({ message: `${label}[${i}]: ${a} != ${e}`, actual: a, expected: e });
    }
  }
}

/** Asserts exactly the first `warmup` values are NaN and every later one is finite. */
export function assertWarmup(values: readonly number[], warmup: number): void {
  values.forEach((value, i) => {
    if (i < warmup ? !Number.isNaN(value) : !Number.isFinite(value)) {
      throw new AssertionError({ message: `value[${i}] = ${value} breaks warmup ${warmup}` });
    }
  });
}

/** NaN-padded copy of an oracle's output, which omits the warm-up positions. */
export function padFront(values: readonly number[], length: number): number[] {
  return [...new Array<number>(length - values.length).fill(NaN), ...values];
}

/** Prices in cents between 1.00 and 100,000.00, like real quotes. */
export const priceArbitrary: fc.Arbitrary<number> = fc.integer({ min: 100, max: 10_000_000 })
  .map((cents) => cents / 100);

/** A price series of up to `maxLength` values. */
export function pricesArbitrary(maxLength = 300): fc.Arbitrary<number[]> {
  return fc.array(priceArbitrary, { maxLength });
}

/** Consistent bars: low ≤ close ≤ high; volume 0 or within the range real markets trade. */
export function barsArbitrary(maxLength = 300): fc.Arbitrary<VolumeBar[]> {
  const bar = fc.tuple(
    priceArbitrary,
    fc.integer({ min: 0, max: 100_000 }),
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.oneof(fc.constant(0), fc.double({ min: 1e-3, max: 1e4, noNaN: true })),
  ).map(([low, spreadCents, position, volume]) => {
    const high = low + spreadCents / 100;
    return { high, low, close: low + (high - low) * position, volume };
  });
  return fc.array(bar, { maxLength });
}

/** Column arrays of bars, the input shape technicalindicators wants. */
export function columns(bars: readonly VolumeBar[] | readonly Bar[]): {
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
} {
  return {
    high: bars.map((bar) => bar.high),
    low: bars.map((bar) => bar.low),
    close: bars.map((bar) => bar.close),
    volume: bars.map((bar) => ("volume" in bar ? bar.volume : 0)),
  };
}
