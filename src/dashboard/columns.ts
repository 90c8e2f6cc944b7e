/** Overview table columns, and which of them fit a terminal width (dropped by priority). */
import { sparkline } from "../core/sparkline.ts";
import { formatAge, formatMoney, formatNumber, formatPct } from "./format.ts";
import type { InstanceView } from "./instance_view.ts";
import { STATUS_COLOURS } from "./status.ts";

/** One table cell: its text and an optional colour. */
export interface Cell {
  readonly text: string;
  readonly colour?: string;
}

/** A column: a header, a width, a priority (0 = never dropped) and how to fill a cell. */
export interface Column {
  readonly id: string;
  readonly title: string;
  readonly width: number;
  readonly priority: number;
  readonly align: "left" | "right";
  cell(view: InstanceView, nowMs: number): Cell;
}

const pnlColour = (value: number | null) =>
  value === null || value === 0 ? undefined : value > 0 ? "green" : "red";

function pnlCell(quote: number | null, pct: number | null): Cell {
  const text = quote === null ? "–" : `${formatMoney(quote, true)} ${formatPct(pct)}`;
  return { text, colour: pnlColour(quote) };
}

/** Every column, in display order. */
export const COLUMNS: readonly Column[] = [
  left("name", "NAME", 18, 0, (v) => ({ text: v.row.name })),
  left("mode", "MODE", 6, 0, (v) => modeCell(v.row.mode)),
  left("status", "STATUS", 8, 0, (v) => ({
    text: v.derived.status,
    colour: STATUS_COLOURS[v.derived.status],
  })),
  left("symbol", "SYMBOL", 10, 1, (v) => ({ text: v.row.symbol })),
  right("equity", "EQUITY", 11, 1, (v) => ({ text: formatMoney(v.row.equityQuote) })),
  right("today", "TODAY", 18, 2, (v) => pnlCell(v.todayPnlQuote, v.todayPnlPct)),
  left("tf", "TF", 3, 3, (v) => ({ text: v.row.timeframe })),
  right("position", "POSITION", 10, 3, (v) => ({ text: formatNumber(v.row.positionBase) })),
  right("upnl", "UNREALISED", 18, 4, (v) => pnlCell(v.unrealizedPnlQuote, v.unrealizedPnlPct)),
  left("spark", "EQUITY CURVE", 12, 5, (v) => ({ text: sparkline(v.row.equitySpark, 12) })),
  right("entry", "ENTRY", 10, 6, (v) => ({ text: formatNumber(v.row.entryPrice) })),
  right("rpnl", "REALISED", 18, 6, (v) => pnlCell(v.row.realizedPnlQuote, v.realizedPnlPct)),
  left("exchange", "EXCHANGE", 8, 7, (v) => ({ text: v.row.exchange })),
  left("strategy", "STRATEGY", 15, 7, (v) => ({ text: v.row.strategy })),
  right("orders", "ORD", 3, 8, (v) => ({ text: String(v.row.openOrders) })),
  left("signal", "LAST SIGNAL", 18, 9, (v, nowMs) => ({
    text: v.row.lastSignal === null
      ? "–"
      : `${v.row.lastSignal} ${formatAge(v.row.lastSignalMs, nowMs).replace(" ago", "")}`,
  })),
];

/** Columns that fit `width` cells (one space between columns), keeping display order. */
export function columnsFor(width: number): Column[] {
  const byPriority = [...COLUMNS].sort((a, b) => a.priority - b.priority);
  const chosen = new Set<Column>();
  let used = 0;
  for (const column of byPriority) {
    const needed = column.width + (chosen.size > 0 ? 1 : 0);
    if (column.priority > 0 && used + needed > width) continue;
    chosen.add(column);
    used += needed;
  }
  return COLUMNS.filter((column) => chosen.has(column));
}

/** PAPER / LIVE / REPLAY badge text and colour. */
export function modeCell(mode: string): Cell {
  const text = mode === "live" ? "LIVE" : mode === "replay" ? "REPLAY" : "PAPER";
  return { text, colour: mode === "live" ? "red" : mode === "replay" ? "cyan" : "blue" };
}

type CellFn = Column["cell"];

function left(id: string, title: string, width: number, priority: number, cell: CellFn): Column {
  return { id, title, width, priority, align: "left", cell };
}

function right(id: string, title: string, width: number, priority: number, cell: CellFn): Column {
  return { id, title, width, priority, align: "right", cell };
}
