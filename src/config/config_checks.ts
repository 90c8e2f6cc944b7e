/** Cross-field checks on a schema-valid config; each returns its problems, empty when fine. */
import type { InstanceConfig } from "./instance_config_schema.ts";

/** A problem at a key path, before it is given a line. */
export interface KeyProblem {
  readonly path: readonly string[];
  readonly message: string;
}

/** Stake used when neither `stake_pct` nor `stake_amount` is set. */
export const DEFAULT_STAKE_PCT = 95;

/** Take-profit must lie beyond the stop-loss, or the trade's reward is below its risk. */
export function checkTakeProfitAboveStopLoss(config: InstanceConfig): KeyProblem[] {
  const { stop_loss_pct: stop, take_profit_pct: take } = config.risk;
  if (stop === null || take === null || take > stop) return [];
  return [{
    path: ["risk", "take_profit_pct"],
    message: `must be greater than risk.stop_loss_pct (${stop}) (got ${take})`,
  }];
}

/** Exactly one way to size entries: a share of balance or a fixed quote amount. */
export function checkOneStake(config: InstanceConfig): KeyProblem[] {
  if (config.risk.stake_pct === null || config.risk.stake_amount === null) return [];
  return [{
    path: ["risk", "stake_amount"],
    message: "set either stake_pct or stake_amount, not both",
  }];
}

/** Backtest dates must be real calendar dates, and `from` before `to`. */
export function checkBacktestRange(config: InstanceConfig): KeyProblem[] {
  const problems: KeyProblem[] = [];
  const times: Record<string, number> = {};
  for (const key of ["from", "to"] as const) {
    const text = config.backtest[key];
    if (text === null) continue;
    const timeMs = parseConfigDate(text);
    if (Number.isNaN(timeMs)) {
      problems.push({ path: ["backtest", key], message: `is not a real date (got "${text}")` });
    } else times[key] = timeMs;
  }
  if (times.from !== undefined && times.to !== undefined && times.to <= times.from) {
    problems.push({
      path: ["backtest", "to"],
      message: `must be after backtest.from (${config.backtest.from})`,
    });
  }
  return problems;
}

/** Every cross-field check that needs only the config itself, in the order they run. */
export const CROSS_FIELD_CHECKS: readonly ((config: InstanceConfig) => KeyProblem[])[] = [
  checkOneStake,
  checkTakeProfitAboveStopLoss,
  checkBacktestRange,
];

/** Epoch ms of a config date (`YYYY-MM-DD` is UTC midnight, no zone is UTC); NaN when not a real date. */
export function parseConfigDate(text: string): number {
  const [year, month, day] = text.slice(0, 10).split("-").map(Number);
  const midnight = new Date(Date.UTC(year, month - 1, day));
  // Date.parse rolls 2024-02-30 over to March; a real date survives the round trip.
  if (midnight.getUTCMonth() !== month - 1 || midnight.getUTCDate() !== day) return NaN;
  if (text.length === 10) return midnight.getTime();
  return Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(text) ? text : `${text}Z`);
}
