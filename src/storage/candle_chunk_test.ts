import assert from "node:assert/strict";
import fc from "fast-check";
import type { CandleColumns, CandleRow, MarketRef } from "../core/types.ts";
import { chunkCount, chunkSpanMs, packChunk } from "./candle_chunk.ts";
import { createStore, openDatabase } from "./mod.ts";

const MARKET: MarketRef = { exchange: "binance", symbol: "BTC/USDT", timeframe: "1m" };
const M = 60_000;
/** Not a multiple of the chunk span, so chunk edges fall between written stretches. */
const T0 = Date.UTC(2024, 0, 3, 5, 17);
const SPAN = chunkSpanMs("1m");
/** Indices 0..LAST cover about five chunk spans. */
const LAST = 20_000;

const row = (i: number, version: number): CandleRow => [
  T0 + i * M,
  100 + version,
  110 + version,
  90 - version,
  100 + version / 7,
  version * 0.5,
];

function asRows(c: CandleColumns): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < c.length; i++) {
    out.push([c.openTimeMs[i], c.open[i], c.high[i], c.low[i], c.close[i], c.volume[i]]);
  }
  return out;
}

type Op =
  | { kind: "fill"; from: number; length: number; version: number }
  | { kind: "scatter"; indices: number[]; version: number }
  | { kind: "forget"; chunk: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant("fill" as const),
    from: fc.integer({ min: 0, max: LAST }),
    length: fc.integer({ min: 1, max: 6_000 }),
    version: fc.integer({ min: 1, max: 50 }),
  }),
  fc.record({
    kind: fc.constant("scatter" as const),
    indices: fc.array(fc.integer({ min: 0, max: LAST }), { minLength: 1, maxLength: 40 }),
    version: fc.integer({ min: 1, max: 50 }),
  }),
  // Drops a chunk, as if its rows had been stored before chunks existed.
  fc.record({ kind: fc.constant("forget" as const), chunk: fc.integer({ min: 0, max: 6 }) }),
);

const bound = fc.oneof(
  fc.integer({ min: -10, max: LAST + 10 }).map((i) => T0 + i * M),
  fc.integer({ min: -10, max: LAST + 10 }).map((i) => T0 + i * M + 1),
  fc.constantFrom(-Infinity, Infinity),
);

Deno.test("packed and row reads give the same candles after random writes, corrections, gap fills and missing chunks", () => {
  fc.assert(
    fc.property(
      fc.array(op, { minLength: 1, maxLength: 8 }),
      fc.array(fc.tuple(bound, bound), { minLength: 1, maxLength: 6 }),
      (ops, ranges) => {
        const db = openDatabase("sqlite::memory:");
        const store = createStore(db);
        const model = new Map<number, number>();
        // Chunk starts that must exist: written since they were last forgotten.
        const chunked = new Set<number>();
        const forget = db.prepare("DELETE FROM candle_chunks WHERE start_ms = ?");
        for (const o of ops) {
          if (o.kind === "forget") {
            const start = Math.floor(T0 / SPAN) * SPAN + o.chunk * SPAN;
            forget.run(start);
            chunked.delete(start);
            continue;
          }
          const indices = o.kind === "fill"
            ? Array.from({ length: Math.min(o.length, LAST + 1 - o.from) }, (_, k) => o.from + k)
            : [...new Set(o.indices)].sort((a, b) => a - b);
          store.candles.upsert(MARKET, indices.map((i) => row(i, o.version)));
          // Model of what the writer packs: the spans written and the span of the newest
          // candle stored before them, except the span of the newest candle of all.
          const spanOf = (i: number) => Math.floor((T0 + i * M) / SPAN) * SPAN;
          const candidates = new Set(indices.map(spanOf));
          const first = Math.min(...candidates);
          const earlier = [...model.keys()].filter((i) => T0 + i * M < first);
          if (earlier.length > 0) candidates.add(spanOf(Math.max(...earlier)));
          for (const i of indices) model.set(i, o.version);
          const open = spanOf(Math.max(...model.keys()));
          for (const start of candidates) if (start < open) chunked.add(start);
        }
        const stored = db.prepare("SELECT start_ms FROM candle_chunks ORDER BY start_ms").all();
        assert.deepEqual(stored.map((r) => r.start_ms), [...chunked].sort((a, b) => a - b));
        for (const [a, b] of ranges) {
          const [fromMs, toMs] = a <= b ? [a, b] : [b, a];
          const expected = [...model].filter(([i]) => T0 + i * M >= fromMs && T0 + i * M <= toMs)
            .sort((x, y) => x[0] - y[0]).map(([i, v]) => row(i, v));
          const packed = store.candles.loadColumns(MARKET, fromMs, toMs);
          const rows = store.candles.loadColumnsFromRows(MARKET, fromMs, toMs);
          assert.equal(packed.length, expected.length);
          assert.equal(packed.openTimeMs.length, packed.length);
          assert.deepEqual(asRows(packed), expected);
          assert.deepEqual(asRows(rows), expected);
          assert.deepEqual(store.candles.loadRange(MARKET, fromMs, toMs), expected);
        }
        store.close();
      },
    ),
    { numRuns: 25 },
  );
});

Deno.test("every candle write keeps each chunk equal to its rows, in the rows' transaction", () => {
  const db = openDatabase("sqlite::memory:");
  const store = createStore(db);
  const rows = Array.from({ length: 9_000 }, (_, i) => row(i, 1));
  store.candles.upsert(MARKET, rows);
  const chunks = () =>
    db.prepare("SELECT start_ms, count, data FROM candle_chunks ORDER BY start_ms").all() as {
      start_ms: number;
      count: number;
      data: Uint8Array;
    }[];
  const before = chunks();
  // The span of the newest candle stays rows; every earlier row is packed once.
  const open = Math.floor(rows[rows.length - 1][0] / SPAN) * SPAN;
  assert.equal(before.at(-1)!.start_ms + SPAN, open);
  assert.equal(before.reduce((sum, c) => sum + c.count, 0), rows.filter((r) => r[0] < open).length);
  for (const c of before) {
    assert.equal(chunkCount(c.data), c.count);
    const inside = rows.filter((r) => r[0] >= c.start_ms && r[0] < c.start_ms + SPAN);
    assert.deepEqual(c.data, packChunk(inside));
  }
  // A correction inside the second chunk rewrites only that chunk.
  const i = Math.ceil((before[1].start_ms - T0) / M) + 5;
  store.candles.upsert(MARKET, [row(i, 9)]);
  const after = chunks();
  assert.deepEqual(after.map((c) => c.count), before.map((c) => c.count));
  assert.deepEqual(after[0].data, before[0].data);
  assert.notDeepEqual(after[1].data, before[1].data);
  assert.deepEqual(asRows(store.candles.loadColumns(MARKET, row(i, 9)[0], row(i, 9)[0])), [
    row(i, 9),
  ]);
  // A write that fails rolls back rows and chunks together.
  const bad = [row(i, 20), [T0 + (i + 1) * M, 1, 1, 1, null as unknown as number, 1] as CandleRow];
  assert.throws(() => store.candles.upsert(MARKET, bad), /NOT NULL/);
  assert.deepEqual(chunks(), after);
  store.close();
});

Deno.test("a corrupt chunk is a one-line error naming the market and the chunk", () => {
  const db = openDatabase("sqlite::memory:");
  const store = createStore(db);
  store.candles.upsert(MARKET, Array.from({ length: 9_000 }, (_, i) => row(i, 1)));
  db.prepare(
    "UPDATE candle_chunks SET data = ? WHERE start_ms = (SELECT min(start_ms) FROM " +
      "candle_chunks)",
  ).run(new Uint8Array(24));
  assert.throws(
    () => store.candles.loadColumns(MARKET, -Infinity, Infinity),
    /^StorageError: Cannot read candles: the packed chunk of binance BTC\/USDT 1m starting at 20\S+ is corrupt; store any candle of it again/,
  );
  store.close();
});

Deno.test("appending candle by candle packs a span once, when the next span begins", () => {
  const db = openDatabase("sqlite::memory:");
  const store = createStore(db);
  const saves = () =>
    db.prepare("SELECT start_ms, count FROM candle_chunks").all().map((r) => ({ ...r }));
  const firstSpanEnd = Math.ceil(T0 / SPAN) * SPAN;
  const last = (firstSpanEnd - T0) / M; // index of the first candle of the second span
  store.candles.upsert(MARKET, Array.from({ length: last - 3 }, (_, i) => row(i, 1)));
  for (let i = last - 3; i < last; i++) store.candles.upsert(MARKET, [row(i, 1)]);
  assert.deepEqual(saves(), [], "the open span is not packed while it grows");
  store.candles.upsert(MARKET, [row(last, 1)]);
  assert.deepEqual(saves(), [{ start_ms: firstSpanEnd - SPAN, count: last }]);
  const all = store.candles.loadColumns(MARKET, -Infinity, Infinity);
  assert.deepEqual(asRows(all), Array.from({ length: last + 1 }, (_, i) => row(i, 1)));
  store.close();
});
