/**
 * TEST HOOK for kill tests: `TRADER_FAILPOINT=<name>` makes the process SIGKILL itself the first
 * time the order path reaches that point. Names: `order.after_insert` (row written, nothing
 * sent), `order.after_send` (the venue answered, the answer not looked at), `order.after_response`
 * (the kernel applied the answer, the DB not updated). Unset in production: no effect.
 */
import type { Failpoint, FailpointName } from "../execution/order_manager.ts";

/** Every failpoint name. */
export const FAILPOINT_NAMES: readonly FailpointName[] = [
  "order.after_insert",
  "order.after_send",
  "order.after_response",
];

/** A failpoint that calls `kill` at `name`, or undefined when `name` is empty. */
export function failpointFor(name: string | undefined, kill: () => void): Failpoint | undefined {
  if (name === undefined || name === "") return undefined;
  return (reached) => {
    if (reached === name) kill();
  };
}
