/** `--walk-forward train=180d,test=30d[,step=30d][,anchored]`: parsing and the fold windows. */
import { InputError } from "../core/errors.ts";
import { formatUtc } from "../core/format_time.ts";

/** The parsed option; lengths in ms. */
export interface WalkForwardSpec {
  readonly trainMs: number;
  readonly testMs: number;
  /** How far each fold moves; default the test length, so test windows tile the range. */
  readonly stepMs: number;
  /** When set, every train window starts at the range's start and grows. */
  readonly anchored: boolean;
}

/** One fold: train on [trainFromMs, trainToMs), then test on [testFromMs, testToMs). */
export interface Fold {
  readonly trainFromMs: number;
  readonly trainToMs: number;
  readonly testFromMs: number;
  readonly testToMs: number;
}

const UNIT_MS: Record<string, number> = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Parses the option text; throws a one-line `InputError` naming the bad part. */
export function parseWalkForward(text: string): WalkForwardSpec {
  const fail = (why: string) =>
    new InputError(
      `Cannot parse --walk-forward "${text}": ${why}; expected train=180d,test=30d[,step=30d][,anchored]`,
    );
  const lengths: Record<string, number> = {};
  let anchored = false;
  for (const part of text.split(",").map((p) => p.trim())) {
    if (part === "anchored") {
      anchored = true;
      continue;
    }
    const match = /^(train|test|step)=(\d+(?:\.\d+)?)([mhdw])$/.exec(part);
    if (match === null) throw fail(`cannot read "${part}"`);
    const [, key, amount, unit] = match;
    if (key in lengths) throw fail(`${key} is given twice`);
    const ms = Number(amount) * UNIT_MS[unit];
    if (!(ms > 0)) throw fail(`${key} must be longer than 0`);
    lengths[key] = ms;
  }
  if (lengths.train === undefined) throw fail("train is missing");
  if (lengths.test === undefined) throw fail("test is missing");
  if (lengths.step !== undefined && lengths.step < lengths.test) {
    throw fail("step must not be shorter than test, or test windows would overlap");
  }
  return {
    trainMs: lengths.train,
    testMs: lengths.test,
    stepMs: lengths.step ?? lengths.test,
    anchored,
  };
}

/**
 * The folds over [fromMs, toMs): the first train window starts at `fromMs`; each fold moves by
 * `stepMs` (rolling) or keeps its start and grows by `stepMs` (anchored); folds whose test
 * window would pass `toMs` are left out. Throws an `InputError` when a window is longer than the
 * data or fewer than 2 folds fit.
 */
export function planFolds(spec: WalkForwardSpec, range: { fromMs: number; toMs: number }): Fold[] {
  const spanMs = range.toMs - range.fromMs;
  const span = `${formatUtc(range.fromMs)} → ${formatUtc(range.toMs)}`;
  const days = (ms: number) => `${+(ms / UNIT_MS.d).toFixed(2)}d`;
  if (spec.trainMs + spec.testMs > spanMs) {
    throw new InputError(
      `Cannot plan --walk-forward: train ${days(spec.trainMs)} + test ${days(spec.testMs)} ` +
        `is longer than the data (${days(spanMs)}, ${span})`,
    );
  }
  const folds: Fold[] = [];
  for (let k = 0;; k++) {
    const trainFromMs = spec.anchored ? range.fromMs : range.fromMs + k * spec.stepMs;
    const trainToMs = range.fromMs + spec.trainMs + k * spec.stepMs;
    const testToMs = trainToMs + spec.testMs;
    if (testToMs > range.toMs) break;
    folds.push({ trainFromMs, trainToMs, testFromMs: trainToMs, testToMs });
  }
  if (folds.length < 2) {
    throw new InputError(
      `Cannot plan --walk-forward: only ${folds.length} fold fits in the data ` +
        `(${days(spanMs)}, ${span}); at least 2 are needed: shorten train, test or step`,
    );
  }
  return folds;
}
