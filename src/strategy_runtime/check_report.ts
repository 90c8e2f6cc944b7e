/** What `deno task check-strategy` reports: one result per check, and the run they came from. */

/** The strategy, the candles and every check's result. */
export interface StrategyCheckReport {
  /** The name the strategy declares. */
  readonly strategy: string;
  /** The user module's path, or null for a built-in. */
  readonly module: string | null;
  readonly exchange: string;
  readonly symbol: string;
  readonly timeframe: string;
  /** Open times of the first and last candle checked. */
  readonly range: { readonly fromMs: number; readonly toMs: number; readonly candles: number };
  readonly warmupCandles: number;
  readonly checks: readonly StrategyCheck[];
  /** True when every check passed. */
  readonly passed: boolean;
}

/** `skip`: not meaningful because the strategy is not deterministic. */
export type CheckStatus = "pass" | "fail" | "skip";

/** Two runs of the same candles gave the same decisions and signals. */
export interface DeterminismCheck {
  readonly check: "determinism";
  readonly status: CheckStatus;
  readonly firstDifferenceMs: number | null;
  /** Risk decisions in the first backtest. */
  readonly decisions: number;
}

/** Entry signals (run flat) or exit and stop signals (run holding a position). */
export type SignalKind = "entry" | "exit";

/** One later start compared with the full run. */
export interface OffsetCheck {
  readonly startMs: number;
  /** First difference once the declared warm-up has passed. */
  readonly firstDifferenceMs: number | null;
  /** The signals that differ past the declared warm-up. */
  readonly signals: readonly SignalKind[];
  /** Candles after the start until the last difference; 0 when they never differ. */
  readonly neededCandles: number;
  /** False when the differences go on to (nearly) the end of the data. */
  readonly settles: boolean;
}

/** Runs started later agree with the full run after the declared warm-up. */
export interface WarmupCheck {
  readonly check: "warmup";
  readonly status: CheckStatus;
  readonly declaredCandles: number;
  readonly firstDifferenceMs: number | null;
  /** The smallest warm-up that makes every start agree; null when some never agree. */
  readonly suggestedCandles: number | null;
  readonly offsets: readonly OffsetCheck[];
}

/** A run on a prefix of the candles agrees with the full run up to the prefix's end. */
export interface LookaheadCheck {
  readonly check: "lookahead";
  readonly status: CheckStatus;
  /** Why no strategy can look ahead, whatever its code; the prefix runs test it anyway. */
  readonly byConstruction: string;
  readonly firstDifferenceMs: number | null;
  readonly prefixes: readonly {
    readonly candles: number;
    /** Open time of the prefix's last candle. */
    readonly lastMs: number;
    readonly firstDifferenceMs: number | null;
  }[];
}

/** The strategy threw on no candle. */
export interface ExceptionsCheck {
  readonly check: "exceptions";
  readonly status: CheckStatus;
  /** One per candle it threw on, oldest first. */
  readonly exceptions: readonly { readonly candleTimeMs: number; readonly message: string }[];
}

/** The result of one check. */
export type StrategyCheck = DeterminismCheck | WarmupCheck | LookaheadCheck | ExceptionsCheck;
