/** The strategy check report as a terminal table with notes, or as JSON. */
import { formatUtc } from "../core/format_time.ts";
import type {
  CheckStatus,
  DeterminismCheck,
  ExceptionsCheck,
  LookaheadCheck,
  StrategyCheck,
  StrategyCheckReport,
  WarmupCheck,
} from "./check_report.ts";

const LABELS: Record<StrategyCheck["check"], string> = {
  determinism: "determinism",
  warmup: "warm-up",
  lookahead: "no lookahead",
  exceptions: "exceptions",
};

const COLORS: Record<CheckStatus, string> = { pass: "32", fail: "31", skip: "33" };

/** Most exceptions listed under the table; the JSON has them all. */
const MAX_LISTED = 5;

/** Width the notes under the table wrap at. */
const NOTE_WIDTH = 96;

/** The report as JSON, two-space indented. */
export function formatCheckReportJson(report: StrategyCheckReport): string {
  return JSON.stringify(report, null, 2);
}

/** The report as terminal lines: a heading, one row per check, then notes and the verdict. */
export function formatCheckReport(
  report: StrategyCheckReport,
  options: { color?: boolean } = {},
): string[] {
  const paint = (status: CheckStatus) =>
    options.color ? `\x1b[${COLORS[status]}m${status}\x1b[0m` : status;
  const source = report.module ?? "built-in";
  const { fromMs, toMs, candles } = report.range;
  const knob = warmupKnob(report);
  const rows = report.checks.map((check) => [
    LABELS[check.check],
    check.status,
    detail(check, knob),
  ]);
  const width = Math.max("check".length, ...rows.map((row) => row[0].length));
  const line = (cells: string[], status: string) =>
    `${cells[0].padEnd(width)}  ${status}${" ".repeat(6 - cells[1].length)}  ${cells[2]}`;
  const count = (status: CheckStatus) =>
    report.checks.filter((check) => check.status === status).length;
  return [
    `Strategy check: ${report.strategy} (${source}) on ${report.exchange} ${report.symbol} ` +
    `${report.timeframe}`,
    `${candles} candles ${time(fromMs)} → ${time(toMs)} UTC, declared warm-up ` +
    `${report.warmupCandles} candles`,
    "",
    line(["check", "result", "detail"], "result"),
    ...rows.map((row, i) => line(row, paint(report.checks[i].status))),
    ...notes(report.checks),
    "",
    verdict(count("fail"), count("skip")),
  ];
}

function verdict(failed: number, skipped: number): string {
  if (failed === 0 && skipped === 0) return "All checks passed.";
  const plural = failed === 1 ? "check" : "checks";
  return `${failed} ${plural} failed${skipped > 0 ? `, ${skipped} skipped` : ""}.`;
}

/**
 * What a user can set to lengthen the warm-up: a module's `warmupCandles`, the `rules`
 * strategy's `warmup` param; a built-in's is fixed.
 */
function warmupKnob(report: StrategyCheckReport): string | null {
  if (report.module !== null) return "warmupCandles";
  return report.strategy === "rules" ? "strategy.params.warmup" : null;
}

function detail(check: StrategyCheck, knob: string | null): string {
  if (check.status === "skip") return "skipped: runs of the same candles differ (see determinism)";
  switch (check.check) {
    case "determinism":
      return determinismDetail(check);
    case "warmup":
      return warmupDetail(check, knob);
    case "lookahead":
      return lookaheadDetail(check);
    case "exceptions":
      return exceptionsDetail(check);
  }
}

function determinismDetail(check: DeterminismCheck): string {
  if (check.firstDifferenceMs === null) {
    return `2 backtests (${check.decisions} decisions) and 2 signal runs agree`;
  }
  return `two runs of the same candles differ from ${time(check.firstDifferenceMs)}; ` +
    "does it use Math.random(), the clock, or state shared between instances?";
}

function warmupDetail(check: WarmupCheck, knob: string | null): string {
  const starts = check.offsets.length;
  if (check.firstDifferenceMs === null) {
    const seen = check.suggestedCandles === null || check.suggestedCandles === 0
      ? "never differ"
      : `last differ ${check.suggestedCandles} candles after a start`;
    return `${starts} later starts agree with the full run after the declared ` +
      `${check.declaredCandles} candles (they ${seen})`;
  }
  const advice = check.suggestedCandles === null
    ? "runs from later starts never agree with the full run within the data"
    : knob === null
    ? `it needs at least ${check.suggestedCandles}`
    : `set ${knob} to at least ${check.suggestedCandles}`;
  return `a later start differs at ${time(check.firstDifferenceMs)}, past the declared ` +
    `${check.declaredCandles} candles; ${advice}`;
}

function lookaheadDetail(check: LookaheadCheck): string {
  const failed = check.prefixes.find((prefix) => prefix.firstDifferenceMs !== null);
  if (failed === undefined) {
    return `by construction; ${check.prefixes.length} runs on prefixes agree with the full run`;
  }
  return `the run on the first ${failed.candles} candles differs from the full run at ` +
    `${time(failed.firstDifferenceMs!)}: its decisions depend on later candles or on run order`;
}

function exceptionsDetail(check: ExceptionsCheck): string {
  const [first] = check.exceptions;
  if (first === undefined) return "none";
  const count = check.exceptions.length;
  return `threw on ${count} candle${count === 1 ? "" : "s"}, first ${time(first.candleTimeMs)}`;
}

/** Blocks under the table, each after a blank line. */
function notes(checks: readonly StrategyCheck[]): string[] {
  return checks.flatMap((check) => {
    const block = note(check);
    return block.length === 0 ? [] : ["", ...block];
  });
}

function note(check: StrategyCheck): string[] {
  if (check.check === "lookahead" && check.status === "pass") {
    return wrap(`No lookahead by construction: ${check.byConstruction}.`, NOTE_WIDTH);
  }
  if (check.check === "warmup" && check.status === "fail") {
    return [
      "Warm-up by start: first difference past the declared warm-up, and candles it needed",
      ...check.offsets.map((offset) => {
        const first = offset.firstDifferenceMs === null
          ? "none"
          : `${time(offset.firstDifferenceMs)} in ${offset.signals.join(" and ")} signals`;
        const needed = offset.settles ? `${offset.neededCandles} candles` : "never agrees";
        return `  from ${time(offset.startMs)}: ${first}; ${needed}`;
      }),
    ];
  }
  if (check.check === "exceptions" && check.exceptions.length > 0) {
    const more = check.exceptions.length - MAX_LISTED;
    return [
      "Exceptions:",
      ...check.exceptions.slice(0, MAX_LISTED).map(({ message }) => `  ${message}`),
      ...(more > 0 ? [`  … and ${more} more (--json lists them all)`] : []),
    ];
  }
  return [];
}

function wrap(text: string, width: number): string[] {
  const lines = [""];
  for (const word of text.split(" ")) {
    const last = lines.length - 1;
    if (lines[last] === "") lines[last] = word;
    else if (lines[last].length + 1 + word.length <= width) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines;
}

function time(timeMs: number): string {
  return Number.isFinite(timeMs) ? formatUtc(timeMs) : "an unknown candle";
}
