/** The trade list as CSV: one header line, one line per closed trade. */
import type { ClosedTrade } from "../core/types.ts";

const HEADER = [
  "entryTimeMs",
  "exitTimeMs",
  "entryTime",
  "exitTime",
  "entryPrice",
  "exitPrice",
  "amount",
  "pnl",
  "pnlPct",
  "fees",
  "exitReason",
];

/** CSV text of the trades (UTC ISO times beside the epoch ms), ending in a newline. */
export function formatTradesCsv(trades: readonly ClosedTrade[]): string {
  const lines = [HEADER.join(",")];
  for (const t of trades) {
    lines.push([
      t.entryTimeMs,
      t.exitTimeMs,
      new Date(t.entryTimeMs).toISOString(),
      new Date(t.exitTimeMs).toISOString(),
      t.entryPrice,
      t.exitPrice,
      t.amount,
      t.pnl,
      t.pnlPct,
      t.fees,
      t.exitReason,
    ].join(","));
  }
  return lines.join("\n") + "\n";
}
