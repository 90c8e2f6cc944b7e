/** The terminal report: best params, top combinations, folds, out-of-sample and overfitting. */
import { formatMetric } from "../backtest/metric_rows.ts";
import { formatUtc } from "../core/format_time.ts";
import type { Objective } from "./objective.ts";
import type { OptimizeResult } from "./optimize_run.ts";
import { objectiveScore } from "./objective.ts";
import type { Trial } from "./optimize_window.ts";
import { verdict } from "./verdict.ts";

/** The report as lines. */
export function formatOptimizeReport(result: OptimizeResult, objective: Objective): string[] {
  const { full } = result;
  const lines: string[] = [];
  lines.push(
    `Top combinations on the whole range, by ${objective.metric} (${objective.direction}):`,
  );
  const ranked = [...full.trials].sort((a, b) =>
    objectiveScore(objective, b.metrics) - objectiveScore(objective, a.metrics)
  );
  lines.push(...table(
    ["#", ...paramNames(full.best), objective.metric, "return", "max dd", "trades"],
    ranked.slice(0, 10).map((t, i) => [
      String(i + 1),
      ...Object.values(t.params).map(String),
      num(t.metrics[objective.metric]),
      formatMetric(t.metrics.returnPct, "signedPct"),
      formatMetric(t.metrics.maxDrawdownPct, "signedPct"),
      String(t.metrics.trades),
    ]),
  ));
  lines.push("");
  lines.push(`Best: ${full.best.overrides.join(" ")}`);
  if (result.folds !== null && result.outOfSample !== null) {
    lines.push("");
    lines.push(
      "Walk-forward folds (in-sample = train window's best; out-of-sample = its test run):",
    );
    lines.push(...table(
      [
        "fold",
        "train",
        "test",
        "best params",
        `IS ${objective.metric}`,
        "IS return",
        "IS DSR",
        "IS PBO",
        "OOS return",
        "OOS trades",
      ],
      result.folds.map(({ fold, train, test }, k) => [
        String(k + 1),
        `${day(fold.trainFromMs)}→${day(fold.trainToMs)}`,
        `${day(fold.testFromMs)}→${day(fold.testToMs)}`,
        Object.values(train.best.params).join(" "),
        num(train.best.metrics[objective.metric]),
        formatMetric(train.best.metrics.returnPct, "signedPct"),
        num(train.overfitting.deflatedSharpe),
        num(train.overfitting.pbo),
        formatMetric(test.metrics.returnPct, "signedPct"),
        String(test.metrics.trades),
      ]),
    ));
    const oos = result.outOfSample.metrics;
    lines.push("");
    lines.push(
      `Out of sample (stitched): return ${formatMetric(oos.returnPct, "signedPct")}, ` +
        `buy & hold ${formatMetric(oos.buyHoldReturnPct, "signedPct")}, sharpe ${
          num(oos.sharpe)
        }, ` +
        `max dd ${formatMetric(oos.maxDrawdownPct, "signedPct")}, ${oos.trades} trades`,
    );
    lines.push(
      `Walk-forward efficiency ${num(result.walkForwardEfficiency)}; parameter stability ` +
        `${pct(result.parameterStability)} (folds whose best params equal the previous fold's)`,
    );
  }
  const o = full.overfitting;
  lines.push("");
  lines.push(
    `Deflated Sharpe ratio ${num(o.deflatedSharpe, 3)} (daily Sharpe ${num(o.dailySharpe, 4)} ` +
      `against ${
        num(o.benchmarkDailySharpe, 4)
      } expected from the best of ${o.trials} worthless trials)`,
  );
  lines.push(`Probability of backtest overfitting ${num(o.pbo, 3)} (CSCV, ${o.pboSlices} slices)`);
  lines.push("");
  lines.push(verdict(result));
  return lines;
}

function paramNames(trial: Trial): string[] {
  return Object.keys(trial.params).map((k) => k.split(".").at(-1)!);
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => cell.padStart(widths[c])).join("  ");
  return [line(header), ...rows.map(line)];
}

function num(value: number | null, digits = 2): string {
  return value === null || !Number.isFinite(value) ? "—" : value.toFixed(digits);
}

function pct(value: number | null): string {
  return value === null ? "—" : `${Math.round(value * 100)} %`;
}

function day(ms: number): string {
  return formatUtc(ms).slice(0, 10);
}
