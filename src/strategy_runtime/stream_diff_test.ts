import assert from "node:assert/strict";
import type { SignalStream } from "./signal_stream.ts";
import { differingIndices, stopOf } from "./stream_diff.ts";

function stream(
  signals: [number, unknown][],
  options: { start?: number; end?: number; errorAt?: number } = {},
): SignalStream {
  const { start = 0, end = 100, errorAt } = options;
  return {
    start,
    end,
    holding: false,
    signals: signals.map(([index, intents]) => [index, JSON.stringify(intents)]),
    error: errorAt === undefined
      ? null
      : { index: errorAt, candleTimeMs: errorAt * 1000, message: `boom at ${errorAt}` },
  };
}

const ENTER = [{ kind: "enter", reason: "up" }];
const stop = (price: number) => [{ kind: "adjust_stops", reason: "trail", stopLossPrice: price }];

Deno.test("differingIndices finds missing, extra and different answers, oldest first", () => {
  const a = stream([[3, ENTER], [5, ENTER], [9, ENTER]]);
  const b = stream([[5, ENTER], [7, ENTER], [9, stop(100)]]);
  assert.deepEqual(differingIndices(a, b), [3, 7, 9]);
  assert.deepEqual(differingIndices(b, a), [3, 7, 9]);
  assert.deepEqual(differingIndices(a, a), []);
});

Deno.test("differingIndices ignores indices before from", () => {
  const a = stream([[3, ENTER], [8, ENTER]]);
  assert.deepEqual(differingIndices(a, stream([]), { from: 4 }), [8]);
});

Deno.test("differingIndices compares only candles both streams reached, and counts a throw", () => {
  const full = stream([[3, ENTER], [60, ENTER]]);
  const prefix = stream([[3, ENTER]], { end: 50 });
  assert.deepEqual(differingIndices(prefix, full), []);
  const threw = stream([[3, ENTER]], { errorAt: 40 });
  assert.equal(stopOf(threw), 41);
  assert.deepEqual(differingIndices(threw, full), [40]);
  assert.deepEqual(differingIndices(threw, threw), []);
  assert.deepEqual(differingIndices(threw, stream([[3, ENTER]], { errorAt: 20 })), [20]);
});

Deno.test("differingIndices with a tolerance takes close prices as equal, but not other changes", () => {
  const a = stream([[1, stop(100)], [2, stop(100)], [3, stop(100)]]);
  const b = stream([[1, stop(100 * (1 + 1e-12))], [2, stop(100.001)], [3, ENTER]]);
  assert.deepEqual(differingIndices(a, b), [1, 2, 3]);
  assert.deepEqual(differingIndices(a, b, { tolerance: 1e-9 }), [2, 3]);
  const renamed = stream([[1, [{ kind: "adjust_stops", reason: "other", stopLossPrice: 100 }]]]);
  assert.deepEqual(differingIndices(stream([[1, stop(100)]]), renamed, { tolerance: 1 }), [1]);
});
