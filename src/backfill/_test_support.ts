/** Shared pieces of the backfill tests: a temp store, a recording progress, sample comparisons. */
import assert from "node:assert/strict";
import type { Candle, CandleRow, MarketRef } from "../core/types.ts";
import { openStore, type Store } from "../storage/mod.ts";
import { loadSampleCandles } from "../../tests/support/sample_candles.ts";
import type { BackfillProgress, MarketProgress } from "./backfill_progress.ts";
import type { MarketSummary } from "./market_summary.ts";

/** A store in a fresh temp directory; `path` is its DATABASE_URL. */
export async function tempStore(): Promise<{ store: Store; url: string; dir: string }> {
  const dir = await Deno.makeTempDir({ prefix: "backfill_test_" });
  const url = `sqlite:${dir}/trading.db`;
  return { store: openStore(url), url, dir };
}

/** One progress event, as recorded. */
export type ProgressEvent =
  | { kind: "started"; expected: number }
  | { kind: "advanced"; done: number }
  | { kind: "retrying"; delayMs: number; reason: string }
  | { kind: "phase"; text: string }
  | { kind: "finished"; status: string };

/** Progress that keeps every event; `onAdvance` lets a test act mid-download. */
export class RecordingProgress implements BackfillProgress {
  readonly events: ProgressEvent[] = [];
  onAdvance: (done: number) => void = () => {};

  market(_market: MarketRef): MarketProgress {
    return {
      started: (range) => this.events.push({ kind: "started", expected: range.expected }),
      advanced: (done) => {
        this.events.push({ kind: "advanced", done });
        this.onAdvance(done);
      },
      retrying: (delayMs, reason) => this.events.push({ kind: "retrying", delayMs, reason }),
      phase: (text) => this.events.push({ kind: "phase", text }),
      finished: (summary: MarketSummary) =>
        this.events.push({ kind: "finished", status: summary.status }),
    };
  }

  close(): void {}
}

/** Sample candles with `fromMs <= openTimeMs < untilMs`, as rows. */
export function sampleRows(fileName: string, fromMs: number, untilMs: number): CandleRow[] {
  return loadSampleCandles(fileName)
    .filter((c: Candle) => c.openTimeMs >= fromMs && c.openTimeMs < untilMs)
    .map((c) => [c.openTimeMs, c.open, c.high, c.low, c.close, c.volume]);
}

/** Asserts the store holds exactly the sample's candles in the range: no gap, no duplicate. */
export function assertStoredEqualsSample(
  store: Store,
  market: MarketRef,
  sample: { file: string; fromMs: number; untilMs: number },
): void {
  const expected = sampleRows(sample.file, sample.fromMs, sample.untilMs);
  const stored = store.candles.loadRange(market, -Infinity, Infinity);
  assert.equal(stored.length, expected.length);
  assert.deepEqual(stored, expected);
}
