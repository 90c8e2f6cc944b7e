/** Frozen intent lists, so the hot path returns shared constants instead of allocating. */
import type { OrderIntent } from "../core/types.ts";

/** The empty decision: nothing to do on this candle. */
export const NO_INTENTS: readonly OrderIntent[] = Object.freeze([]);

/** A frozen one-element list with an `enter` intent carrying `reason`. */
export function enterOnce(reason: string): readonly OrderIntent[] {
  return Object.freeze([Object.freeze({ kind: "enter", reason } as const)]);
}

/** A frozen one-element list with an `exit` intent carrying `reason`. */
export function exitOnce(reason: string): readonly OrderIntent[] {
  return Object.freeze([Object.freeze({ kind: "exit", reason } as const)]);
}
