/** The rows one candle step adds: its risk decisions, the equity at its close, the state. */
import type { EngineStep } from "../core/engine_types.ts";
import type { Store } from "../storage/store.ts";

/** Writes the step's decisions and equity with the resumable state, in one transaction. */
export function recordStep(
  store: Store,
  instance: string,
  step: EngineStep,
  at: { equityQuote: number; persistState: () => void },
): void {
  store.transaction(() => {
    for (const { candleTimeMs, intent, decision } of step.decisions) {
      store.decisions.insert({
        instance,
        candleTimeMs,
        intent: intent.kind,
        verdict: decision.verdict,
        baseAmount: decision.verdict === "reject" ? null : decision.baseAmount,
        reason: decision.reason,
      });
    }
    store.equity.record(instance, step.closeTimeMs, at.equityQuote);
    at.persistState();
  });
}
