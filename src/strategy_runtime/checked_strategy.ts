/**
 * Wraps a user strategy: each candle it gets is its own frozen copy, what it returns is checked
 * against the intent contract, and anything it throws becomes a `StrategyRuntimeError` that
 * names the strategy, the candle time and the line in its file.
 */
import type { Strategy, StrategyContext } from "../core/ports.ts";
import type { Candle, OrderIntent } from "../core/types.ts";
import { TradingError } from "../core/errors.ts";

/** A user strategy failed while handling a candle. */
export class StrategyRuntimeError extends TradingError {
  /** Open time of the candle being handled. */
  readonly candleTimeMs: number;
  constructor(message: string, candleTimeMs: number, options?: { cause?: unknown }) {
    super(message, options);
    this.candleTimeMs = candleTimeMs;
  }
}

/** `strategy` with its inputs copied and its outputs checked; `path` is its file. */
export function checkedStrategy(strategy: Strategy, path: string): Strategy {
  return {
    name: strategy.name,
    warmupCandles: checkedWarmup(strategy.warmupCandles, path),
    onCandle(candle: Candle, context: StrategyContext): readonly OrderIntent[] {
      const copy = Object.freeze({
        openTimeMs: candle.openTimeMs,
        open: candle.open,
        high: candle.high,
        low: candle.low,
        close: candle.close,
        volume: candle.volume,
      });
      let intents: readonly OrderIntent[];
      try {
        intents = strategy.onCandle(copy, context);
      } catch (error) {
        throw runtimeError(strategy.name, path, candle.openTimeMs, error);
      }
      if (!Array.isArray(intents) || intents.length > 0) checkIntents(intents, strategy, candle);
      return intents;
    },
  };
}

function checkedWarmup(value: unknown, path: string): number {
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) return value;
  throw new StrategyRuntimeError(
    `${path}: warmupCandles must be a whole number ≥ 0 (got ${JSON.stringify(value)})`,
    NaN,
  );
}

/** "strategy x threw on candle 2024-…: message (strategies/x.ts:12)". */
export function runtimeError(
  name: string,
  path: string,
  candleTimeMs: number,
  error: unknown,
): StrategyRuntimeError {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const where = error instanceof Error ? locate(error.stack ?? "", path) : null;
  return new StrategyRuntimeError(
    `strategy ${name} threw on candle ${new Date(candleTimeMs).toISOString()}: ` +
      `${message.split("\n")[0]}${where === null ? "" : ` (${where})`}`,
    candleTimeMs,
    { cause: error },
  );
}

/** `strategies/x.ts:12` from the first stack frame in the strategy's own file. */
function locate(stack: string, path: string): string | null {
  const file = path.replace(/^.*?strategies\//, "strategies/");
  for (const line of stack.split("\n")) {
    const match = /(strategies\/[^\s:()]+):(\d+):\d+/.exec(line);
    if (match !== null && match[1] === file) return `${match[1]}:${match[2]}`;
  }
  return null;
}

const KINDS = new Set(["enter", "exit", "adjust_stops"]);

function checkIntents(intents: unknown, strategy: Strategy, candle: Candle): void {
  const fail = (why: string): never => {
    throw new StrategyRuntimeError(
      `strategy ${strategy.name} returned a bad decision on candle ` +
        `${new Date(candle.openTimeMs).toISOString()}: ${why}`,
      candle.openTimeMs,
    );
  };
  if (!Array.isArray(intents)) {
    return fail("onCandle must return a list of intents (or NO_INTENTS)");
  }
  for (const intent of intents) {
    if (intent === null || typeof intent !== "object" || !KINDS.has(intent.kind)) {
      fail(`unknown intent ${JSON.stringify(intent)}; use enter, exit or adjust_stops`);
    }
    if (typeof intent.reason !== "string") fail(`${intent.kind} needs a reason string`);
    for (const key of ["stopLossPrice", "takeProfitPrice"]) {
      const price = intent[key];
      if (price === undefined || (price === null && intent.kind === "adjust_stops")) continue;
      if (typeof price !== "number" || !Number.isFinite(price) || price <= 0) {
        fail(`${key} must be a positive number (got ${JSON.stringify(price)})`);
      }
    }
  }
}
