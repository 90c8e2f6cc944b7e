/** The candle range of `backtest` and `check-strategy`: `--from`/`--to`, else the config's `backtest` section. */
import { type InstanceConfig, parseConfigDate } from "../src/config/mod.ts";
import { InputError } from "../src/core/errors.ts";

/** Parsed bounds; `toMs` is exclusive, and either is undefined when neither flag nor config sets it. */
export interface BacktestRange {
  readonly fromMs: number | undefined;
  readonly toMs: number | undefined;
}

/** The requested range: `--from`/`--to` win over the config's `backtest` section; `to` is exclusive. */
export function resolveRange(
  config: InstanceConfig,
  options: { from?: string; to?: string },
): BacktestRange {
  const from = options.from ?? config.backtest.from;
  const to = options.to ?? config.backtest.to;
  const fromMs = parseDate("--from", from);
  const toMs = parseDate("--to", to);
  if (fromMs !== undefined && toMs !== undefined && fromMs >= toMs) {
    throw new InputError(`Cannot read the range: --from ${from} is not before --to ${to}`);
  }
  return { fromMs, toMs };
}

function parseDate(option: string, text: string | null | undefined): number | undefined {
  if (text === undefined || text === null) return undefined;
  const timeMs = /^\d+$/.test(text) ? Number(text) : parseConfigDate(text);
  if (Number.isNaN(timeMs)) {
    throw new InputError(
      `Cannot read ${option}: not a date (got "${text}"; use YYYY-MM-DD or ISO 8601)`,
    );
  }
  return timeMs;
}

/** The range as the inclusive open-time bounds `loadBacktestCandles` takes (open ends: ±Infinity). */
export function openTimeBounds(range: BacktestRange): { fromMs: number; toMs: number } {
  return {
    fromMs: range.fromMs ?? -Infinity,
    toMs: range.toMs === undefined ? Infinity : range.toMs - 1,
  };
}
