/**
 * The public strategy API: the one module a strategy imports, whether it ships with the system
 * (`src/strategies/`) or is a user's file under `strategies/`. Everything a strategy needs is
 * here: the contract, every indicator, the intent helpers and `zod` for its params.
 *
 * A strategy sees only closed candles, its own position and the candle's close time, and answers
 * with intents; risk sizes them and the venue fills them. It never sees keys, a venue or the
 * network. See docs/strategies.md.
 */
import type { z } from "zod";
import type { Strategy } from "./core/ports.ts";
import type { OrderIntent } from "./core/types.ts";

/**
 * Version of this API. A module built for another major version is refused when it loads;
 * minor versions only add.
 */
export const API_VERSION = "1.1.0";

export { z } from "zod";
export { closeMatches } from "./core/close_matches.ts";
export type { Candle, OrderIntent, Position } from "./core/types.ts";
export type { Strategy, StrategyContext } from "./core/ports.ts";
export type { Bar, Indicator, MacdOptions, VolumeBar } from "./indicators/mod.ts";
export {
  Atr,
  BollingerBands,
  Cross,
  Donchian,
  Ema,
  Macd,
  RollingMax,
  RollingMin,
  RollingVwap,
  Rsi,
  Sma,
  SmaPairCross,
  Stochastic,
} from "./indicators/mod.ts";

/** One problem found by a definition's cross-field `check`: the param key and why. */
export interface ParamProblem {
  readonly key: string;
  readonly message: string;
}

/** Declares one strategy. `params` is a zod object whose every key has a default and bounds. */
export interface StrategyDefinition<P extends z.ZodObject = z.ZodObject> {
  /** The API version the module was written for; `defineStrategy` stamps it. */
  readonly apiVersion: string;
  /** Lower-case letters, digits and underscores; shown in reports and on the dashboard. */
  readonly name: string;
  /** One line for `--help`, errors and the docs. */
  readonly description: string;
  readonly params: P;
  /**
   * Longer timeframes the strategy wants besides its own (e.g. `["4h", "1d"]`). On each candle,
   * `context.higher[tf]` holds the last candle of `tf` that has closed by this candle's close,
   * built from the base candles (null until one has closed).
   */
  readonly timeframes: readonly string[];
  /** Cross-field checks on parsed params (e.g. fast < slow); empty when valid. */
  check(params: z.infer<P>): readonly ParamProblem[];
  /** Builds a fresh instance; each run gets its own, so state never leaks between runs. */
  create(params: z.infer<P>, options: { timeframe: string }): Strategy;
}

/** What `defineStrategy` takes: a definition without the stamp, `check` and `timeframes` optional. */
export type StrategySpec<P extends z.ZodObject> =
  & Omit<StrategyDefinition<P>, "apiVersion" | "check" | "timeframes">
  & Partial<Pick<StrategyDefinition<P>, "check" | "timeframes">>;

/** Stamps a definition with this API's version and fills the optional parts. */
export function defineStrategy<P extends z.ZodObject>(
  spec: StrategySpec<P>,
): StrategyDefinition<P> {
  return Object.freeze({
    apiVersion: API_VERSION,
    timeframes: [],
    check: () => [],
    ...spec,
  });
}

/** The empty decision: nothing to do on this candle. Shared, so the hot path never allocates. */
export const NO_INTENTS: readonly OrderIntent[] = Object.freeze([]);

/** A frozen one-element list with an `enter` intent carrying `reason`; build it once, reuse it. */
export function enterOnce(reason: string): readonly OrderIntent[] {
  return Object.freeze([Object.freeze({ kind: "enter", reason } as const)]);
}

/** A frozen one-element list with an `exit` intent carrying `reason`; build it once, reuse it. */
export function exitOnce(reason: string): readonly OrderIntent[] {
  return Object.freeze([Object.freeze({ kind: "exit", reason } as const)]);
}

/** An `enter` intent with optional absolute stop and take-profit prices. */
export function enter(
  reason: string,
  prices: { stopLossPrice?: number; takeProfitPrice?: number } = {},
): readonly OrderIntent[] {
  return [{ kind: "enter", reason, ...prices }];
}

/** An `exit` intent: sell the whole position at the next open. */
export function exit(reason: string): readonly OrderIntent[] {
  return [{ kind: "exit", reason }];
}

/** Moves the stop or the take-profit of the open position; `null` removes it. */
export function adjustStops(
  reason: string,
  prices: { stopLossPrice?: number | null; takeProfitPrice?: number | null },
): readonly OrderIntent[] {
  return [{ kind: "adjust_stops", reason, ...prices }];
}
