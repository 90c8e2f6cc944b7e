import assert from "node:assert/strict";
import { newMarketSummary } from "./market_summary.ts";
import { PlainProgress } from "./plain_progress.ts";
import { TerminalProgress } from "./terminal_progress.ts";
import { formatSummary } from "./format_summary.ts";

const MARKET = { exchange: "binance", symbol: "BTC/USDT", timeframe: "1h" };
const RANGE = { fromMs: Date.UTC(2024, 6, 10), toMs: Date.UTC(2024, 6, 10, 99), expected: 100 };

Deno.test("TerminalProgress draws a bar, counts, rate and ETA, a retry wait, and redraws in place", () => {
  let nowMs = 0;
  let out = "";
  const view = new TerminalProgress((text) => out += text, {
    nowMs: () => nowMs,
    intervalMs: 0,
    columns: 200,
  });
  const market = view.market(MARKET);
  market.started(RANGE);
  nowMs = 2000;
  market.advanced(40);
  view.render();
  assert.match(out, /binance BTC\/USDT 1h \[████████░{12}\] 40\/100 \(40%\), 20\/s, ETA 3s/);
  out = "";
  market.retrying(3000, "Cannot fetch: 429");
  view.render();
  assert.ok(out.startsWith("\x1b[1A\r\x1b[2K"), "moves up one line and clears it");
  // deno-lint-ignore no-control-regex -- the redraw escapes are what is tested
  assert.match(out, /^\x1b\[1A\r\x1b\[2K[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] .*waiting 3 s to retry: Cannot fetch: 429\n$/);
  out = "";
  market.finished({ ...newMarketSummary(MARKET), status: "done" });
  assert.match(out, /✓ binance BTC\/USDT 1h: done\n$/);
  view.close();
});

Deno.test("PlainProgress writes a start line, periodic progress lines, retries and the end", () => {
  let nowMs = 0;
  const lines: string[] = [];
  const view = new PlainProgress((line) => lines.push(line), { nowMs: () => nowMs, everyMs: 5000 });
  const market = view.market(MARKET);
  market.started(RANGE);
  for (let done = 10; done <= 100; done += 10) {
    nowMs += 1000;
    market.advanced(done);
  }
  market.retrying(1500, "429");
  market.finished({ ...newMarketSummary(MARKET), status: "done" });
  assert.deepEqual(lines, [
    "binance BTC/USDT 1h: downloading 100 candles from 2024-07-10 00:00 to 2024-07-14 03:00",
    "binance BTC/USDT 1h: 50/100 (50%), 10/s, ETA 5s",
    "binance BTC/USDT 1h: 100/100 (100%), 10/s, ETA 0s",
    "binance BTC/USDT 1h: retrying in 2 s: 429",
    "binance BTC/USDT 1h: done",
  ]);
});

Deno.test("formatSummary lists added, corrected, gaps found and remaining, and a total", () => {
  const summary = {
    ...newMarketSummary(MARKET),
    status: "done" as const,
    added: 10,
    corrected: 2,
    gapsFound: [{ fromMs: Date.UTC(2024, 6, 10, 3), toMs: Date.UTC(2024, 6, 10, 4), missing: 2 }],
    elapsedMs: 1500,
  };
  summary.gapsRemaining = summary.gapsFound;
  assert.deepEqual(formatSummary([summary], 2000), [
    "binance BTC/USDT 1h: done: added 10, corrected 2, unchanged 0, gaps found 1 (2 candles), " +
    "gaps remaining 1 (2 candles), time 1s",
    "  missing 2024-07-10 03:00 → 2024-07-10 04:00 (2)",
    "Total: 1 markets, added 10, corrected 2, gaps found 1, gaps remaining 1, time 2s",
  ]);
});
