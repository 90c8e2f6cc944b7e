/** The final summary: one line per market, the gaps that remain, and a total. */
import { formatDuration, formatUtc } from "../core/format_time.ts";
import type { Gap } from "../timeframes/mod.ts";
import { marketLabel, type MarketSummary, missingCandles } from "./market_summary.ts";

const LISTED_GAPS = 10;

function gapCount(gaps: readonly Gap[]): string {
  return `${gaps.length} (${missingCandles(gaps)} candles)`;
}

/** Lines for one market. */
export function formatMarketSummary(summary: MarketSummary): string[] {
  const head = `${marketLabel(summary.market)}: ${summary.status}`;
  const lines = [
    `${head}: added ${summary.added}, corrected ${summary.corrected}, ` +
    `unchanged ${summary.unchanged}, gaps found ${gapCount(summary.gapsFound)}, ` +
    `gaps remaining ${gapCount(summary.gapsRemaining)}, time ${formatDuration(summary.elapsedMs)}`,
  ];
  if (summary.invalid > 0) {
    lines.push(`  ${summary.invalid} invalid rows from the exchange skipped`);
  }
  if (summary.error) lines.push(`  error: ${summary.error}`);
  const { unreachable } = summary;
  if (unreachable !== null) {
    lines.push(
      `  not reachable on ${summary.market.exchange}: ${formatUtc(unreachable.fromMs)} → ` +
        `${formatUtc(unreachable.toMs)} (${unreachable.missing} candles; not gaps)`,
    );
  }
  for (const gap of summary.gapsRemaining.slice(0, LISTED_GAPS)) {
    lines.push(
      `  missing ${formatUtc(gap.fromMs)} → ${formatUtc(gap.toMs)} (${gap.missing})`,
    );
  }
  const more = summary.gapsRemaining.length - LISTED_GAPS;
  if (more > 0) lines.push(`  … ${more} more gaps (deno task candles gaps lists them)`);
  return lines;
}

/** Every market's lines, then the total over all markets. */
export function formatSummary(summaries: readonly MarketSummary[], elapsedMs: number): string[] {
  const lines = summaries.flatMap(formatMarketSummary);
  const sum = (pick: (s: MarketSummary) => number) =>
    summaries.reduce((total, s) => total + pick(s), 0);
  lines.push(
    `Total: ${summaries.length} markets, added ${sum((s) => s.added)}, ` +
      `corrected ${sum((s) => s.corrected)}, gaps found ${sum((s) => s.gapsFound.length)}, ` +
      `gaps remaining ${sum((s) => s.gapsRemaining.length)}, time ${formatDuration(elapsedMs)}`,
  );
  return lines;
}
