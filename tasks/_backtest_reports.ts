/** Writes a backtest's JSON, HTML and optional CSV reports; shared by `backtest` and `demo`. */
import { dirname, urlToPath } from "../src/core/file_paths.ts";
import type { CandleColumns } from "../src/backtest/run_backtest.ts";
import { type BacktestReport, reportJsonPieces } from "../src/backtest/report_json.ts";
import { CHART_LIBRARY_PATH, htmlReportPieces } from "../src/backtest/report_html.ts";
import { formatTradesCsv } from "../src/backtest/report_csv.ts";
import { REPORT_DIR } from "./_backtest_args.ts";

export { REPORT_DIR };

const PROJECT_ROOT = urlToPath(new URL("../", import.meta.url));

async function writeReport(path: string, text: string): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  await Deno.writeTextFile(path, text);
}

/**
 * Writes bytes given in pieces, each as it comes: the whole file is never in memory. Each piece
 * is written on the I/O pool while the next is made, so copying a 64 MB report into the page
 * cache (20-30 ms) overlaps its formatting; a piece is awaited before the one after the next is
 * asked for, which is as long as `reportJsonPieces` keeps a piece valid.
 */
async function writePieces(path: string, pieces: Iterable<Uint8Array>): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const removed = removeInBackground(path);
  {
    using file = Deno.openSync(path, { write: true, create: true, truncate: true });
    let writing: Promise<void> = Promise.resolve();
    for (const bytes of pieces) {
      await writing;
      writing = writeAll(file, bytes);
      // Handled here too, so that a failed write is not an unhandled rejection while the next
      // piece is made; it is still thrown by the await.
      writing.catch(() => {});
    }
    await writing;
  }
  await removed;
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  for (let done = 0; done < bytes.length;) done += await file.write(bytes.subarray(done));
}

/**
 * Moves an earlier report at `path` aside and removes it on the I/O pool while the new one is
 * written: truncating a 64 MB file in place makes the kernel free its pages in the open call,
 * which took up to 40 ms. Only a regular file is moved (never a device or a symlink's target).
 */
function removeInBackground(path: string): Promise<void> {
  try {
    if (!Deno.lstatSync(path).isFile) return Promise.resolve();
  } catch {
    return Promise.resolve(); // nothing there (or nothing we may look at): just write
  }
  const aside = `${path}.old-${Deno.pid}`;
  try {
    Deno.renameSync(path, aside);
  } catch {
    return Promise.resolve(); // not movable: the open truncates it as before
  }
  return Deno.remove(aside).catch(() => {});
}

/** UTF-8 of each piece in turn. */
function* encodeEach(pieces: Iterable<string>): Generator<Uint8Array> {
  const encoder = new TextEncoder();
  for (const piece of pieces) yield encoder.encode(piece);
}

/**
 * Writes the reports of one run and returns the paths written, JSON first. `written`, when
 * given, is called with "json" and then "html" as each of those is done (the backtest's phase
 * timings).
 */
export async function writeBacktestReports(
  report: BacktestReport,
  columns: CandleColumns,
  paths: { json?: string; html?: string; csv?: string; name: string },
  written?: (report: "json" | "html") => void,
): Promise<string[]> {
  const jsonPath = paths.json ?? `${REPORT_DIR}/${paths.name}.json`;
  const htmlPath = paths.html ?? `${REPORT_DIR}/${paths.name}.html`;
  await writePieces(jsonPath, reportJsonPieces(report));
  written?.("json");
  const chartLibrary = await Deno.readTextFile(PROJECT_ROOT + CHART_LIBRARY_PATH);
  await writePieces(htmlPath, encodeEach(htmlReportPieces(report, columns, { chartLibrary })));
  written?.("html");
  const files = [jsonPath, htmlPath];
  if (paths.csv) {
    await writeReport(paths.csv, formatTradesCsv(report.trades));
    files.push(paths.csv);
  }
  return files;
}
