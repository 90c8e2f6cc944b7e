/** The risk policy: sizes entries, checks limits and breakers, and sets protective levels. */
import { floorToStep } from "../core/amounts.ts";
import type { EngineRiskDecision, EngineRiskPolicy, Protection } from "../core/engine_types.ts";
import type { RiskContext } from "../core/ports.ts";
import type { OrderIntent } from "../core/types.ts";

/** Risk settings resolved from the config's `risk` section and the market's rules. */
export interface RiskSettings {
  /** Share of free quote per entry, in %; used when `stakeAmountQuote` is null. */
  readonly stakePct: number | null;
  /** Fixed quote per entry. */
  readonly stakeAmountQuote: number | null;
  readonly stopLossPct: number | null;
  readonly takeProfitPct: number | null;
  readonly trailingStopPct: number | null;
  readonly maxDrawdownPct: number | null;
  readonly dailyLossLimitPct: number | null;
  readonly maxOpenPositions: number;
  /** Fee as a fraction of notional (0.001 = 0.1 %). */
  readonly feeRate: number;
  readonly amountStep: number;
  readonly minAmount: number;
  readonly minNotional: number;
}

/** Reviews intents against `RiskSettings`; every "no" is a returned decision with its reason. */
export class ConfigRiskPolicy implements EngineRiskPolicy {
  readonly settings: RiskSettings;
  /** The fixed parts of the entry reason, built once (an entry's reason is made per review). */
  readonly #stakeText: string;

  constructor(settings: RiskSettings) {
    this.settings = settings;
    this.#stakeText = settings.stakeAmountQuote === null
      ? `stake ${settings.stakePct ?? 100}% of `
      : `stake ${settings.stakeAmountQuote} quote`;
  }

  /** Accept, resize or reject one intent. */
  review(context: RiskContext): EngineRiskDecision {
    const intent = context.intent;
    if (intent.kind === "enter") return this.#reviewEntry(context);
    if (context.position === null) {
      return {
        verdict: "reject",
        reason: `no position to ${intent.kind === "exit" ? "exit" : "adjust"}`,
      };
    }
    const baseAmount = context.position.baseAmount;
    if (intent.kind === "exit") {
      return { verdict: "accept", baseAmount, reason: "exit the whole position" };
    }
    return { verdict: "accept", baseAmount, reason: "adjust protective levels" };
  }

  /** Stop-loss, take-profit and trailing levels for an entry filled at `entryPrice`. */
  protection(entryPrice: number, intent: OrderIntent | null): Protection {
    const s = this.settings;
    const fromIntent = intent?.kind === "enter" ? intent : null;
    return {
      stopLossPrice: fromIntent?.stopLossPrice ??
        (s.stopLossPct === null ? null : entryPrice * (1 - s.stopLossPct / 100)),
      takeProfitPrice: fromIntent?.takeProfitPrice ??
        (s.takeProfitPct === null ? null : entryPrice * (1 + s.takeProfitPct / 100)),
      trailingStopPct: s.trailingStopPct,
    };
  }

  #reviewEntry(context: RiskContext): EngineRiskDecision {
    const breaker = this.#breaker(context);
    if (breaker !== null) return { verdict: "reject", reason: breaker };
    const s = this.settings;
    const quoteFree = context.balances.quoteFree;
    let quoteAmount = s.stakeAmountQuote ?? (quoteFree * (s.stakePct ?? 100)) / 100;
    let verdict: "accept" | "resize" = "accept";
    let reason = s.stakeAmountQuote === null
      ? `${this.#stakeText}${Math.round(quoteFree)} free quote`
      : this.#stakeText;
    if (quoteAmount > quoteFree) {
      verdict = "resize";
      reason = `stake ${s.stakeAmountQuote} quote exceeds free ${round(quoteFree)}; resized to it`;
      quoteAmount = quoteFree;
    }
    const baseAmount = floorToStep(quoteAmount / (context.price * (1 + s.feeRate)), s.amountStep);
    if (!(baseAmount > 0)) {
      return {
        verdict: "reject",
        reason: `stake ${round(quoteAmount)} quote buys nothing at step ${s.amountStep}`,
      };
    }
    if (baseAmount < s.minAmount) {
      return {
        verdict: "reject",
        reason: `amount ${baseAmount} below the exchange minimum ${s.minAmount}`,
      };
    }
    const notional = baseAmount * context.price;
    if (notional < s.minNotional) {
      return {
        verdict: "reject",
        reason: `notional ${round(notional)} below the exchange minimum ${s.minNotional}`,
      };
    }
    return { verdict, baseAmount, quoteAmount, reason };
  }

  /** Why entries are halted now, or null. */
  #breaker(context: RiskContext): string | null {
    const s = this.settings;
    if (context.openPositions >= s.maxOpenPositions) {
      return `max open positions (${s.maxOpenPositions}) reached`;
    }
    if (s.maxDrawdownPct !== null && context.peakEquityQuote > 0) {
      const drawdownPct = (1 - context.equityQuote / context.peakEquityQuote) * 100;
      if (drawdownPct >= s.maxDrawdownPct) {
        return `max drawdown halt: equity ${
          round(drawdownPct)
        }% below peak (limit ${s.maxDrawdownPct}%)`;
      }
    }
    if (s.dailyLossLimitPct !== null && context.dayStartEquityQuote > 0) {
      const lossPct = (1 - context.equityQuote / context.dayStartEquityQuote) * 100;
      if (lossPct >= s.dailyLossLimitPct) {
        return `daily loss limit: down ${round(lossPct)}% today (limit ${s.dailyLossLimitPct}%)`;
      }
    }
    return null;
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
