/**
 * What a trader may send, as one state with explicit transitions (after nautilus_trader's
 * `TradingState`):
 * - `active`: entries and exits;
 * - `reducing`: exits only. Entries are paused by a reconciliation difference (a clean
 *   reconciliation resumes them), halted for the rest of the run by failed orders in a row or a
 *   position left unprotected, or refused by a risk breaker (until a candle on which it no longer
 *   rejects);
 * - `halted`: the trader has stopped, by a signal or an error, and sends nothing more.
 * The instance row's status, which the dashboard reads, follows from it: `starting` or `running`
 * (active), `paused` or `halted` (reducing), `stopped` or `error` (halted).
 */
import type { EngineStep } from "../core/engine_types.ts";
import type { InstanceStatus } from "../storage/instance_repo.ts";

/** The three trading states. */
export type TradingStateKind = "active" | "reducing" | "halted";

/** The trading state and why it is not `active` (null when it is). */
export interface TradingState {
  readonly kind: TradingStateKind;
  readonly reason: string | null;
}

/** The status and reason the instance row shows for a trading state. */
export interface StatusView {
  readonly status: InstanceStatus;
  readonly reason: string | null;
}

/** A trader's trading state; only its transitions change it. */
export class TradingStateMachine {
  #started = false;
  /** A reconciliation difference: entries wait for a clean reconciliation. */
  #paused: string | null = null;
  /** Entries refused for the rest of the run (the first reason holds). */
  #entriesHalted: string | null = null;
  /** Entries held by an operator (`deno task ctl NAME pause`) until they resume them. */
  #held: string | null = null;
  /** A risk breaker rejected entries on the last candle. */
  #breaker: string | null = null;
  #stopped: { readonly reason: string; readonly error: boolean } | null = null;

  /** Halted once stopped; reducing while entries are refused for any reason; else active. */
  get state(): TradingState {
    if (this.#stopped !== null) return { kind: "halted", reason: this.#stopped.reason };
    const reason = this.#entriesHalted ?? this.#breaker ?? this.#paused ?? this.#held;
    return { kind: reason === null ? "active" : "reducing", reason };
  }

  /** The instance row's status: a halt (for the run, or by a breaker) shows before a pause. */
  get status(): StatusView {
    if (this.#stopped !== null) {
      return { status: this.#stopped.error ? "error" : "stopped", reason: this.#stopped.reason };
    }
    const halted = this.#entriesHalted ?? this.#breaker;
    if (halted !== null) return { status: "halted", reason: halted };
    if (this.#paused !== null) return { status: "paused", reason: this.#paused };
    if (this.#held !== null) return { status: "paused", reason: this.#held };
    return { status: this.#started ? "running" : "starting", reason: null };
  }

  /** Why the trader itself refuses an entry now, or null (a breaker's "no" comes from risk). */
  get entryBlock(): string | null {
    if (this.#entriesHalted !== null) return `entries halted: ${this.#entriesHalted}`;
    if (this.#paused !== null) return `entries paused: ${this.#paused}`;
    if (this.#held !== null) return `entries paused: ${this.#held}`;
    return null;
  }

  /** True once entries are refused for the rest of the run. */
  get entriesHalted(): boolean {
    return this.#entriesHalted !== null;
  }

  /** Start-up is over: the trader takes candles. */
  start(): void {
    this.#started = true;
  }

  /** A candle was handled; `breaker` is why a risk breaker rejected on it, or null. */
  candleHandled(breaker: string | null): void {
    this.#started = true;
    this.#breaker = breaker;
  }

  /** Reconciliation found a difference: no entries until a clean one. */
  pause(reason: string): void {
    this.#paused = reason;
  }

  /** A clean reconciliation; false when nothing was paused. */
  resume(): boolean {
    if (this.#paused === null) return false;
    this.#paused = null;
    return true;
  }

  /** An operator pauses entries (a clean reconciliation does not resume them); false if held. */
  hold(reason: string): boolean {
    if (this.#held !== null) return false;
    this.#held = reason;
    return true;
  }

  /** The operator resumes entries; false when they were not held. */
  release(): boolean {
    if (this.#held === null) return false;
    this.#held = null;
    return true;
  }

  /** No entries for the rest of the run; false when they were halted already. */
  haltEntries(reason: string): boolean {
    if (this.#entriesHalted !== null) return false;
    this.#entriesHalted = reason;
    return true;
  }

  /** Stopped cleanly (signal, end of a replay) or by an error. */
  stop(reason: string, options: { error?: boolean } = {}): void {
    this.#stopped = { reason, error: options.error ?? false };
  }
}

/** Why a risk breaker (max drawdown, daily loss) rejected an intent on this step, or null. */
export function breakerRejection(step: EngineStep): string | null {
  const breaker = step.decisions.find((d) =>
    d.decision.verdict === "reject" && /^(max drawdown|daily loss)/.test(d.decision.reason)
  );
  return breaker?.decision.reason ?? null;
}
