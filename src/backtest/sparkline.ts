/** A one-line chart of a series with the eight block characters. */

const BLOCKS = "▁▂▃▄▅▆▇█";

/** `values` resampled to `width` points (last value of each bucket) and drawn as blocks. */
export function sparkline(values: ArrayLike<number>, width = 60): string {
  const n = values.length;
  if (n === 0 || width <= 0) return "";
  const points: number[] = [];
  const buckets = Math.min(width, n);
  for (let b = 1; b <= buckets; b++) points.push(values[Math.ceil((b * n) / buckets) - 1]);
  const min = Math.min(...points);
  const max = Math.max(...points);
  const span = max - min;
  return points.map((v) => BLOCKS[span === 0 ? 3 : Math.round(((v - min) / span) * 7)]).join("");
}
