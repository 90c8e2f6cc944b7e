/**
 * The checks of `deno task check-strategy`, on runs already made: determinism (two runs agree),
 * warm-up (runs started later agree with the full run once the declared warm-up has passed, as
 * in freqtrade's recursive analysis), the prefix property (a run cut short agrees with the full
 * run up to its end) and exceptions. Pure: the caller runs the strategy, in its sandbox when it
 * is a user module, with the jobs `signalJobs` plans.
 */
import type { EngineDecision } from "../core/engine_types.ts";
import { InputError } from "../core/errors.ts";
import type {
  DeterminismCheck,
  ExceptionsCheck,
  LookaheadCheck,
  OffsetCheck,
  SignalKind,
  StrategyCheck,
  WarmupCheck,
} from "./check_report.ts";
import type { SignalJob, SignalStream } from "./signal_stream.ts";
import { differingIndices, stopOf } from "./stream_diff.ts";

/** Why a strategy cannot look ahead, whatever its code. */
export const NO_LOOKAHEAD_REASON =
  "a strategy is handed only closed candles, one at a time, oldest first, and cannot reach " +
  "the store, the feed or the network";

/**
 * How far apart two prices in intents may be and still count as the same in the warm-up check:
 * smoothed indicators (EMA, ATR, RSI) started at different candles converge but never become
 * bit-identical, and a billionth is far below any exchange's price step.
 */
export const WARMUP_PRICE_TOLERANCE = 1e-9;

/** Where the runs start and end, for `length` candles and the strategy's declared warm-up. */
export interface CheckPlan {
  readonly length: number;
  readonly warmupCandles: number;
  /** Start indices of the warm-up runs, spread over the candles. */
  readonly offsets: readonly number[];
  /** End indices (exclusive) of the prefix runs. */
  readonly prefixEnds: readonly number[];
}

/** One engine backtest with its recorded decisions, and what the strategy threw, if it did. */
export interface BacktestTrace {
  readonly decisions: readonly EngineDecision[];
  readonly error: { readonly candleTimeMs: number; readonly message: string } | null;
}

/** Everything the checks compare. */
export interface CheckRuns {
  readonly plan: CheckPlan;
  readonly openTimeMs: Float64Array;
  /** The streams of `signalJobs(plan)`. */
  readonly streams: readonly SignalStream[];
  /** The streams of `repeatJobs(plan)`, from a second, separate run. */
  readonly repeat: readonly SignalStream[];
  /** Two backtests of the same config. */
  readonly backtests: readonly [BacktestTrace, BacktestTrace];
}

/** Start offsets and prefix ends for `length` candles; too few candles for the warm-up is bad input. */
export function planChecks(
  length: number,
  warmupCandles: number,
  options: { offsets?: number; prefixes?: number } = {},
): CheckPlan {
  const offsets = spread(length - warmupCandles, options.offsets ?? 5)
    .filter((start) => start + warmupCandles < length);
  if (offsets.length === 0) {
    throw new InputError(
      `Cannot check strategy: ${length} candles are too few to check a warm-up of ` +
        `${warmupCandles} candles; check a longer range`,
    );
  }
  const prefixEnds = spread(length, options.prefixes ?? 3);
  return { length, warmupCandles, offsets, prefixEnds };
}

/** Full runs, then one per offset, then one per prefix; each without and with a position. */
export function signalJobs(plan: CheckPlan): SignalJob[] {
  const ranges = [
    [0, plan.length],
    ...plan.offsets.map((start) => [start, plan.length]),
    ...plan.prefixEnds.map((end) => [0, end]),
  ];
  return ranges.flatMap(([start, end]) =>
    [false, true].map((holding) => ({ start, end, holding }))
  );
}

/** The full runs again, for the determinism check. */
export function repeatJobs(plan: CheckPlan): SignalJob[] {
  return signalJobs(plan).slice(0, 2);
}

/** Every check, in table order; warm-up and lookahead are skipped when runs do not repeat. */
export function checkStrategyRuns(runs: CheckRuns): StrategyCheck[] {
  const determinism = checkDeterminism(runs);
  const skip = determinism.status === "fail";
  const warmup = checkWarmup(runs);
  const lookahead = checkLookahead(runs);
  return [
    determinism,
    skip ? { ...warmup, status: "skip" } : warmup,
    skip ? { ...lookahead, status: "skip" } : lookahead,
    checkExceptions(runs),
  ];
}

function checkDeterminism(runs: CheckRuns): DeterminismCheck {
  const [a, b] = runs.backtests;
  const times = [firstDecisionDifference(a, b)];
  for (const holding of [false, true]) {
    const first = differingIndices(
      full(runs.streams, runs.plan, holding),
      full(runs.repeat, runs.plan, holding),
    )[0];
    if (first !== undefined) times.push(runs.openTimeMs[first]);
  }
  const firstDifferenceMs = earliest(times);
  const status = firstDifferenceMs === null ? "pass" : "fail";
  return { check: "determinism", status, firstDifferenceMs, decisions: a.decisions.length };
}

function firstDecisionDifference(a: BacktestTrace, b: BacktestTrace): number | null {
  const count = Math.max(a.decisions.length, b.decisions.length);
  for (let k = 0; k < count; k++) {
    const [x, y] = [a.decisions[k], b.decisions[k]];
    if (JSON.stringify(x) !== JSON.stringify(y)) {
      return Math.min(x?.candleTimeMs ?? Infinity, y?.candleTimeMs ?? Infinity);
    }
  }
  if (a.error?.message === b.error?.message) return null;
  return Math.min(a.error?.candleTimeMs ?? Infinity, b.error?.candleTimeMs ?? Infinity);
}

function checkWarmup(runs: CheckRuns): WarmupCheck {
  const offsets = runs.plan.offsets.map((start) => checkOffset(runs, start));
  const firstDifferenceMs = earliest(offsets.map((offset) => offset.firstDifferenceMs));
  const settles = offsets.every((offset) => offset.settles);
  return {
    check: "warmup",
    status: firstDifferenceMs === null ? "pass" : "fail",
    declaredCandles: runs.plan.warmupCandles,
    firstDifferenceMs,
    suggestedCandles: settles ? Math.max(0, ...offsets.map((o) => o.neededCandles)) : null,
    offsets,
  };
}

/**
 * Compares the run from `start` with the full run. The needed warm-up reaches the last
 * difference; it is trusted ("settles") only when the runs then agree for at least as many
 * candles again, so a difference that lasts to the end of the data is not taken for a warm-up.
 */
function checkOffset(runs: CheckRuns, start: number): OffsetCheck {
  const { plan, openTimeMs } = runs;
  let first: number | null = null;
  let needed = 0;
  let settles = true;
  const signals: SignalKind[] = [];
  for (const holding of [false, true]) {
    const later = find(runs.streams, { start, end: plan.length, holding });
    const whole = full(runs.streams, plan, holding);
    const diffs = differingIndices(later, whole, {
      from: start,
      tolerance: WARMUP_PRICE_TOLERANCE,
    });
    const after = diffs.find((index) => index >= start + plan.warmupCandles);
    if (after !== undefined) {
      signals.push(holding ? "exit" : "entry");
      first = first === null ? after : Math.min(first, after);
    }
    const last = diffs.at(-1);
    if (last === undefined) continue;
    needed = Math.max(needed, last - start + 1);
    const agreeing = Math.min(stopOf(later), stopOf(whole)) - 1 - last;
    if (agreeing < last - start + 1) settles = false;
  }
  return {
    startMs: openTimeMs[start],
    firstDifferenceMs: first === null ? null : openTimeMs[first],
    signals,
    neededCandles: needed,
    settles,
  };
}

function checkLookahead(runs: CheckRuns): LookaheadCheck {
  const { plan, openTimeMs } = runs;
  const prefixes = plan.prefixEnds.map((end) => {
    const firsts = [false, true].map((holding) => {
      const cut = find(runs.streams, { start: 0, end, holding });
      const first = differingIndices(cut, full(runs.streams, plan, holding))[0];
      return first === undefined ? null : openTimeMs[first];
    });
    return { candles: end, lastMs: openTimeMs[end - 1], firstDifferenceMs: earliest(firsts) };
  });
  const firstDifferenceMs = earliest(prefixes.map((prefix) => prefix.firstDifferenceMs));
  const status = firstDifferenceMs === null ? "pass" : "fail";
  return {
    check: "lookahead",
    status,
    byConstruction: NO_LOOKAHEAD_REASON,
    firstDifferenceMs,
    prefixes,
  };
}

function checkExceptions(runs: CheckRuns): ExceptionsCheck {
  const thrown = new Map<number, string>();
  for (const stream of [...runs.streams, ...runs.repeat]) {
    if (stream.error === null || thrown.has(stream.error.candleTimeMs)) continue;
    thrown.set(stream.error.candleTimeMs, stream.error.message);
  }
  for (const { error } of runs.backtests) {
    if (error !== null && !thrown.has(error.candleTimeMs)) {
      thrown.set(error.candleTimeMs, error.message);
    }
  }
  const exceptions = [...thrown].sort(([a], [b]) => a - b)
    .map(([candleTimeMs, message]) => ({ candleTimeMs, message }));
  return { check: "exceptions", status: exceptions.length > 0 ? "fail" : "pass", exceptions };
}

/** `count` distinct indices spread evenly inside `[0, span)`, never 0. */
function spread(span: number, count: number): number[] {
  const points = new Set<number>();
  for (let k = 1; k <= count; k++) points.add(Math.floor((k * span) / (count + 1)));
  return [...points].filter((point) => point > 0);
}

function find(streams: readonly SignalStream[], job: SignalJob): SignalStream {
  const stream = streams.find((s) =>
    s.start === job.start && s.end === job.end && s.holding === job.holding
  );
  if (stream === undefined) throw new Error(`no signal run for ${JSON.stringify(job)}`);
  return stream;
}

function full(streams: readonly SignalStream[], plan: CheckPlan, holding: boolean): SignalStream {
  return find(streams, { start: 0, end: plan.length, holding });
}

function earliest(times: readonly (number | null)[]): number | null {
  const known = times.filter((time): time is number => time !== null);
  return known.length === 0 ? null : Math.min(...known);
}
