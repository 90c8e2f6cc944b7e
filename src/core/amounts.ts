/** Amount rounding shared by risk (sizing) and the simulated venue (fills). */

let lastStep = Number.NaN;
let lastScale = 1;

/** Decimal places of a step such as 1e-8 (8), 0.001 (3) or 5 (0). */
export function stepDecimals(step: number): number {
  if (step >= 1) return 0;
  return Math.min(20, Math.max(0, Math.ceil(-Math.log10(step) - 1e-9)));
}

/**
 * The largest multiple of `step` that does not exceed `amount`, as the nearest double to that
 * decimal (so 0.3 stays 0.3 at step 0.1, although 0.3 / 0.1 is 2.9999999999999996 in binary).
 * Grid values are built as integer / 10^decimals, which is exact below 2^53 units.
 */
export function floorToStep(amount: number, step: number): number {
  if (!(amount > 0) || !(step > 0)) return 0;
  // One market's step repeats on every fill: remember its scale instead of a log10 each time.
  if (step !== lastStep) {
    lastScale = 10 ** stepDecimals(step);
    lastStep = step;
  }
  const scale = lastScale;
  const units = Math.round(step * scale);
  let steps = Math.floor(amount / step);
  // The binary quotient can land a hair off an exact grid value; the decimal comparison decides.
  if (gridValue(steps + 1, units, scale) <= amount) steps++;
  else if (steps > 0 && gridValue(steps, units, scale) > amount) steps--;
  return gridValue(steps, units, scale);
}

/** `steps` steps of `units / scale` (a plain function: a closure here was allocated per call). */
function gridValue(steps: number, units: number, scale: number): number {
  return (steps * units) / scale;
}
