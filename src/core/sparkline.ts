/** One-line charts of a series with the eight block characters. */

const BLOCKS = "▁▂▃▄▅▆▇█";

/** The last `width` finite values as block characters scaled between their min and max. */
export function sparkline(values: ArrayLike<number>, width: number): string {
  const shown = Array.from(values).filter(Number.isFinite).slice(-width);
  if (shown.length === 0 || width <= 0) return "";
  const min = Math.min(...shown);
  const max = Math.max(...shown);
  // A flat series sits in the middle rather than on the floor, so it reads as "flat", not "low".
  if (max === min) return BLOCKS[3].repeat(shown.length);
  return shown
    .map((value) => BLOCKS[Math.round((value - min) / (max - min) * (BLOCKS.length - 1))])
    .join("");
}
