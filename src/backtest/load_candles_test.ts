import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import fc from "fast-check";
import { parseInstanceConfig } from "../config/load_instance_config.ts";
import type { CandleRow, MarketRef } from "../core/types.ts";
import { BinanceEmulator } from "../../tests/support/binance_emulator.ts";
import { emulatorClient, followingClock } from "../../tests/support/exchange_harness.ts";
import { sampleRows } from "../../tests/support/sample_candles.ts";
import { tempStore } from "../../tests/support/temp_store.ts";
import { backfillRange } from "../backfill/backfill_range.ts";
import { exchangeBatch } from "../backfill/exchange_batch.ts";
import { runBackfill } from "../backfill/run_backfill.ts";
import { RecordingProgress } from "../../tests/support/backfill_fixtures.ts";
import { createStore, openDatabase } from "../storage/mod.ts";
import { chunkSpanMs } from "../storage/candle_chunk.ts";
import { backtestConfig } from "./backtest_config.ts";
import { loadBacktestCandles } from "./load_candles.ts";
import { formatReportJson } from "./report_json.ts";
import { formatHtmlReport } from "./report_html.ts";
import { toColumns } from "./run_backtest.ts";

const FILE_1H = "binance_BTC-USDT_1h.csv";
const BTC_1H: MarketRef = { exchange: "binance", symbol: "BTC/USDT", timeframe: "1h" };
const config = parseInstanceConfig(
  "name: load-test\nexchange: binance\nsymbol: BTC/USDT\ntimeframe: 1h\n" +
    "strategy:\n  name: sma_cross\n",
);
const SAMPLE = sampleRows(FILE_1H);
const H = 3_600_000;
const OPTIONS = { chartLibrary: "/* chart library */" };

function reports(columns: ReturnType<typeof toColumns>, fromMs: number, toMs: number) {
  const { report } = backtestConfig(config, columns, { market: null, fromMs, toMs });
  return { json: formatReportJson(report), html: formatHtmlReport(report, columns, OPTIONS) };
}

Deno.test("a backtest's reports are byte-identical from packed chunks and from rows, after random corrections and gap fills", () => {
  fc.assert(
    fc.property(
      // Holes left out of the first write, filled later; corrections of single candles.
      fc.array(fc.tuple(fc.nat(SAMPLE.length - 1), fc.integer({ min: 1, max: 400 })), {
        maxLength: 4,
      }),
      fc.array(fc.tuple(fc.nat(SAMPLE.length - 1), fc.double({ min: 0.5, max: 2, noNaN: true })), {
        maxLength: 6,
      }),
      fc.nat(SAMPLE.length - 1),
      fc.nat(SAMPLE.length - 1),
      fc.boolean(),
      (holes, corrections, a, b, fillHoles) => {
        const store = createStore(openDatabase("sqlite::memory:"));
        const left = new Set<number>();
        for (const [at, length] of holes) {
          for (let i = at; i < Math.min(SAMPLE.length, at + length); i++) left.add(i);
        }
        store.candles.upsert(BTC_1H, SAMPLE.filter((_, i) => !left.has(i)));
        const corrected: CandleRow[] = corrections.map(([i, factor]) => {
          const [t, o, h, l, c, v] = SAMPLE[i];
          return [t, o, h * Math.max(1, factor), l * Math.min(1, factor), c * factor, v];
        });
        store.candles.upsert(BTC_1H, corrected.sort((x, y) => x[0] - y[0]));
        if (fillHoles) store.candles.upsert(BTC_1H, SAMPLE.filter((_, i) => left.has(i)));
        // A random range, and the whole year (whole chunks inside it are read packed).
        const whole = [SAMPLE[0][0], SAMPLE[SAMPLE.length - 1][0]];
        for (const [x, y] of [[SAMPLE[Math.min(a, b)][0], SAMPLE[Math.max(a, b)][0]], whole]) {
          const [fromMs, toMs] = [x, y + H - 1];
          const packed = store.candles.loadColumns(BTC_1H, fromMs, toMs);
          const rows = store.candles.loadColumnsFromRows(BTC_1H, fromMs, toMs);
          assert.equal(packed.length, rows.length);
          if (packed.length === 0) continue;
          assert.deepEqual(reports(packed, fromMs, toMs), reports(rows, fromMs, toMs));
        }
        store.close();
      },
    ),
    { numRuns: 8 },
  );
});

Deno.test("a backfill that corrects one candle inside a packed chunk changes the next backtest", async () => {
  await using emulator = new BinanceEmulator({ startMs: Date.UTC(2025, 7, 1) });
  const { store, dir, dispose } = await tempStore();
  try {
    // A year of 1h candles, one of them wrong in the middle of a whole chunk.
    const span = chunkSpanMs("1h");
    const chunkStart = Math.ceil(SAMPLE[0][0] / span) * span;
    const wrong = SAMPLE.findIndex(([t]) => t >= chunkStart + 100 * H);
    const rows = SAMPLE.map((r): CandleRow => [...r]);
    rows[wrong] = [
      rows[wrong][0],
      rows[wrong][1],
      rows[wrong][2] * 3,
      rows[wrong][3],
      rows[wrong][4] * 3,
      0,
    ];
    store.candles.upsert(BTC_1H, rows);
    const raw = new DatabaseSync(`${dir}/trading.db`, { readOnly: true });
    const packed = raw.prepare("SELECT count FROM candle_chunks WHERE start_ms = ?").get(
      chunkStart,
    );
    raw.close();
    assert.equal(packed?.count, 4096, "the wrong candle lies in a packed chunk");
    const all = { fromMs: -Infinity, toMs: Infinity };
    const before = loadBacktestCandles(store.candles, { ...BTC_1H, timeframe: "1h" }, all);
    assert.equal(before.columns.close[wrong], SAMPLE[wrong][4] * 3);
    const wrongReport = backtestConfig(config, before.columns, { market: null }).report;

    const clock = followingClock(emulator);
    const bounds = { sinceMs: SAMPLE[0][0], untilMs: SAMPLE[SAMPLE.length - 1][0] + H };
    const range = backfillRange(BTC_1H, bounds, {
      timeframe: "1h",
      nowMs: clock.nowMs(),
      lastStoredMs: null,
    });
    const batch = exchangeBatch(emulatorClient(emulator), [{ market: BTC_1H, range }], { clock });
    const [summary] = await runBackfill([batch], {
      store,
      clock,
      progress: new RecordingProgress(),
    });
    assert.equal(summary.corrected, 1);

    const after = loadBacktestCandles(store.candles, { ...BTC_1H, timeframe: "1h" }, all);
    assert.equal(after.columns.close[wrong], SAMPLE[wrong][4]);
    const fixed = backtestConfig(config, after.columns, { market: null }).report;
    const truth = backtestConfig(
      config,
      toColumns(SAMPLE.map(([openTimeMs, open, high, low, close, volume]) => ({
        openTimeMs,
        open,
        high,
        low,
        close,
        volume,
      }))),
      { market: null },
    ).report;
    assert.equal(formatReportJson(fixed), formatReportJson(truth));
    assert.notEqual(formatReportJson(wrongReport), formatReportJson(fixed));
  } finally {
    await dispose();
  }
});
