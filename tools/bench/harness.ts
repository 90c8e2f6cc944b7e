/** Bench harness: `bench --json`'s result shape (docs/BENCHMARKS.md), timing, a table printer. */

/** One figure beside its reference measured in the same run; `ratio` = value / reference. */
export interface BenchResult {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly reference: number;
  readonly ratio: number;
  readonly ratioToLoop?: number;
}

/** Inputs a suite may need; suites do no file I/O themselves (tasks/bench.ts reads files). */
export interface BenchContext {
  /** A fresh temporary directory the suite may write to. */
  readonly tempDir: string;
  /** The bundled 1m sample CSV (binance_BTC-USDT_1m.csv). */
  readonly sample1mCsv: Uint8Array;
  /** Smaller sizes for a quick check (`bench --quick`). */
  readonly quick: boolean;
}

/** A named group of figures; tasks/bench.ts runs every suite in its list. */
export interface BenchSuite {
  readonly name: string;
  run(context: BenchContext): Promise<BenchResult[]> | BenchResult[];
}

/** Builds a result for a higher-is-better rate. */
export function rateResult(
  name: string,
  unit: string,
  value: number,
  reference: number,
): BenchResult {
  return { name, value, unit, reference, ratio: value / reference };
}

/** Best (shortest) wall time in ms of `runs` calls of `fn`; `fn` may set up before timing. */
export function bestTimeMs(runs: number, fn: () => void): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    fn();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString("en-US");
  return value.toPrecision(4);
}

/** The results as a fixed-width text table. */
export function formatBenchTable(results: readonly BenchResult[]): string[] {
  const header = ["name", "value", "unit", "reference", "ratio", "ratio to loop"];
  const rows = results.map((r) => [
    r.name,
    formatNumber(r.value),
    r.unit,
    formatNumber(r.reference),
    `${r.ratio.toFixed(2)}x`,
    r.ratioToLoop === undefined ? "" : `${r.ratioToLoop.toFixed(2)}x`,
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (c === 0 || c === 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join("  ").trimEnd();
  return [line(header), ...rows.map(line)];
}
