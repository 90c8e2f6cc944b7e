/** Shared pieces of the backfill tests: a recording progress and sample comparisons. */
import assert from "node:assert/strict";
import type { MarketRef } from "../../src/core/types.ts";
import type { Store } from "../../src/storage/mod.ts";
import { sampleRows } from "./sample_candles.ts";
import type { BackfillProgress, MarketProgress } from "../../src/backfill/backfill_progress.ts";
import type { MarketSummary } from "../../src/backfill/market_summary.ts";

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
