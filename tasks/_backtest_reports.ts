/** Writes a backtest's JSON, HTML and optional CSV reports; shared by `backtest` and `demo`. */
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type BacktestReport,
  type CandleColumns,
  CHART_LIBRARY_PATH,
  formatHtmlReport,
  formatReportJson,
  formatTradesCsv,
} from "../src/backtest/mod.ts";

/** Where reports go unless `--json`/`--html` say otherwise (gitignored). */
export const REPORT_DIR = "data/reports";

const PROJECT_ROOT = fileURLToPath(new URL("../", import.meta.url));

async function writeReport(path: string, text: string): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  await Deno.writeTextFile(path, text);
}

/** Writes the reports of one run and returns the paths written, JSON first. */
export async function writeBacktestReports(
  report: BacktestReport,
  columns: CandleColumns,
  paths: { json?: string; html?: string; csv?: string; name: string },
): Promise<string[]> {
  const jsonPath = paths.json ?? `${REPORT_DIR}/${paths.name}.json`;
  const htmlPath = paths.html ?? `${REPORT_DIR}/${paths.name}.html`;
  await writeReport(jsonPath, formatReportJson(report));
  const chartLibrary = await Deno.readTextFile(PROJECT_ROOT + CHART_LIBRARY_PATH);
  await writeReport(htmlPath, formatHtmlReport(report, columns, { chartLibrary }));
  const written = [jsonPath, htmlPath];
  if (paths.csv) {
    await writeReport(paths.csv, formatTradesCsv(report.trades));
    written.push(paths.csv);
  }
  return written;
}
