/** A line chart drawn with braille dots (2×4 per cell), with markers and level lines. */

/** One character cell of a chart. */
export interface ChartCell {
  readonly ch: string;
  readonly colour?: string;
}

/** A point to mark on the line: `index` into the series, at `price`. */
export interface ChartMarker {
  readonly index: number;
  readonly price: number;
  readonly kind: "entry" | "exit";
}

/** Size, markers and horizontal levels of a chart. */
export interface ChartOptions {
  readonly width: number;
  readonly height: number;
  readonly markers?: readonly ChartMarker[];
  /** Horizontal lines, e.g. the open position's entry price. */
  readonly levels?: readonly number[];
  readonly lineColour?: string;
}

/** A rendered chart: rows of cells and the value range the rows span. */
export interface Chart {
  readonly rows: ChartCell[][];
  readonly min: number;
  readonly max: number;
}

// Braille dot bits by [dot row][dot column] (Unicode 2800 block layout).
const DOT_BITS = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]];

/** Draws the last `2 × width` values of a series as a braille line chart. */
export function brailleChart(values: readonly number[], options: ChartOptions): Chart {
  const width = Math.max(1, options.width);
  const height = Math.max(1, options.height);
  const offset = Math.max(0, values.length - width * 2);
  const shown = values.slice(offset);
  const prices = [...shown, ...(options.levels ?? [])].filter(Number.isFinite);
  const min = prices.length > 0 ? Math.min(...prices) : 0;
  const max = prices.length > 0 ? Math.max(...prices) : 0;
  const dotsY = height * 4;
  const toY = (value: number) =>
    max === min ? Math.floor(dotsY / 2) : Math.round((max - value) / (max - min) * (dotsY - 1));
  const toX = (index: number) =>
    shown.length <= 1 ? 0 : Math.round(index * (width * 2 - 1) / Math.max(shown.length - 1, 1));
  const bits = Array.from({ length: height }, () => new Array<number>(width).fill(0));
  const plot = (x: number, y: number) => {
    bits[Math.floor(y / 4)][Math.floor(x / 2)] |= DOT_BITS[y % 4][x % 2];
  };
  drawLine(shown.map((value, index) => [toX(index), toY(value)] as const), plot);
  const rows = bits.map((row) =>
    row.map((b): ChartCell =>
      b === 0 ? { ch: " " } : { ch: braille(b), colour: options.lineColour }
    )
  );
  for (const level of options.levels ?? []) {
    const row = rows[Math.floor(toY(level) / 4)];
    row.forEach((cell, x) => {
      if (cell.ch === " ") row[x] = { ch: "┄", colour: "yellow" };
    });
  }
  for (const marker of options.markers ?? []) {
    const index = marker.index - offset;
    if (index < 0 || index >= shown.length || !Number.isFinite(marker.price)) continue;
    const y = Math.min(dotsY - 1, Math.max(0, toY(marker.price)));
    rows[Math.floor(y / 4)][Math.floor(toX(index) / 2)] = marker.kind === "entry"
      ? { ch: "▲", colour: "green" }
      : { ch: "▼", colour: "red" };
  }
  return { rows, min, max };
}

// Joins consecutive points with vertical runs so the line has no gaps.
function drawLine(
  points: readonly (readonly [number, number])[],
  plot: (x: number, y: number) => void,
) {
  points.forEach(([x, y], i) => {
    const previous = points[i - 1];
    if (!previous) return plot(x, y);
    const [px, py] = previous;
    for (let cx = px + 1; cx <= x; cx++) {
      const t = (cx - px) / (x - px);
      const from = Math.round(py + (y - py) * (t - 1 / (x - px)));
      const to = Math.round(py + (y - py) * t);
      for (let cy = Math.min(from, to); cy <= Math.max(from, to); cy++) plot(cx, cy);
    }
    if (x === px) plot(x, y);
  });
}

function braille(bits: number): string {
  return String.fromCharCode(0x2800 + bits);
}

/** Index of the candle containing `timeMs` (last open time ≤ it), or -1 before the first. */
export function candleIndexAt(openTimesMs: readonly number[], timeMs: number): number {
  let low = 0;
  let high = openTimesMs.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (openTimesMs[mid] <= timeMs) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  return found;
}
