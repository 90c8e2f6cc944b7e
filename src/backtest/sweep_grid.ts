/** `--sweep key=from..to:step` parsing and the parameter grid it spans. */
import { parseOverride } from "../config/apply_overrides.ts";
import { InputError } from "../core/errors.ts";
import { stepDecimals } from "../core/amounts.ts";
import { formatNumber } from "./format.ts";

/** Default cap on combinations; `--max-combinations` raises it. */
export const DEFAULT_MAX_COMBINATIONS = 10_000;

/** One swept key and its values, ascending. */
export interface SweepAxis {
  readonly key: string;
  readonly values: readonly number[];
}

const NUMBER = String.raw`[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?`;
const PATTERN = new RegExp(
  String.raw`^\s*([^=\s]+)\s*=\s*(${NUMBER})\s*\.\.\s*(${NUMBER})\s*:\s*(${NUMBER})\s*$`,
);
const MAX_VALUES_PER_AXIS = 1_000_000;

/** Parses one `--sweep` argument; throws a one-line `InputError` when malformed. */
export function parseSweep(text: string): SweepAxis {
  const fail = (why: string) => new InputError(`Cannot parse --sweep "${text}": ${why}`);
  const match = PATTERN.exec(text);
  if (match === null) throw fail("expected key=from..to:step, e.g. strategy.params.fast=5..20:5");
  const [, key, fromText, toText, stepText] = match;
  const from = Number(fromText);
  const to = Number(toText);
  const step = Number(stepText);
  if (!(step > 0)) throw fail(`step must be greater than 0 (got ${stepText})`);
  if (from > to) throw fail(`from (${fromText}) must not exceed to (${toText})`);
  const count = Math.floor((to - from) / step + 1e-9) + 1;
  if (count > MAX_VALUES_PER_AXIS) {
    throw fail(`${formatNumber(count, 0)} values on one key is too many`);
  }
  try {
    parseOverride(`${key}=${from}`);
  } catch (error) {
    throw fail(
      error instanceof Error
        ? error.message.replace(/^Cannot apply --set "[^"]*": /, "")
        : String(error),
    );
  }
  const decimals = Math.max(stepDecimals(step), decimalsOf(fromText));
  const values: number[] = [];
  for (let k = 0; k < count; k++) values.push(Number((from + k * step).toFixed(decimals)));
  return { key, values };
}

/** How many combinations the axes span. */
export function countCombinations(axes: readonly SweepAxis[]): number {
  return axes.reduce((product, axis) => product * axis.values.length, 1);
}

/** Throws a one-line `InputError` when the grid exceeds `max`. */
export function checkCombinations(axes: readonly SweepAxis[], max: number): void {
  const count = countCombinations(axes);
  if (count > max) {
    throw new InputError(
      `Cannot run --sweep: ${formatNumber(count, 0)} combinations exceed the limit of ` +
        `${formatNumber(max, 0)}; narrow the ranges or raise --max-combinations`,
    );
  }
}

/** Every combination as `key=value` overrides, the first axis varying slowest. */
export function combinations(axes: readonly SweepAxis[]): string[][] {
  let grid: string[][] = [[]];
  for (const axis of axes) {
    grid = grid.flatMap((prefix) =>
      axis.values.map((value) => [...prefix, `${axis.key}=${value}`])
    );
  }
  return grid;
}

function decimalsOf(text: string): number {
  const dot = text.indexOf(".");
  if (dot < 0 || /e/i.test(text)) return 0;
  return text.length - dot - 1;
}
