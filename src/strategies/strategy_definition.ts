/** The strategy contract: a name, a params schema with defaults and bounds, and a factory. */
import type { z } from "zod";
import type { Strategy } from "../core/ports.ts";

/** Declares one strategy. `params` is a zod object whose every key has a default and bounds. */
export interface StrategyDefinition<P extends z.ZodObject = z.ZodObject> {
  readonly name: string;
  /** One line for `--help`, errors and the README. */
  readonly description: string;
  readonly params: P;
  /**
   * Cross-field checks on parsed params (e.g. fast period < slow period).
   * Returns one entry per problem: the param key and why; empty when valid.
   */
  check(params: z.infer<P>): readonly { key: string; message: string }[];
  /** Builds a fresh instance; each run gets its own, so state never leaks between runs. */
  create(params: z.infer<P>, options: { timeframe: string }): Strategy;
}
