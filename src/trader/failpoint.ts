/**
 * TEST HOOK for kill tests: `TRADER_FAILPOINT=<name>` makes the trade task SIGKILL itself the
 * first time the process reaches that point, and `TRADER_FAILPOINT_TRACE=<file>` appends a line
 * `<wall ms> <name>` for every point reached, so a test can tell where a kill from outside landed.
 * The names and what is done at each are in `src/execution/failpoints.ts`. Unset in production:
 * no effect.
 */
import type { Failpoint } from "../execution/failpoints.ts";

export { FAILPOINT_NAMES, FAILPOINTS } from "../execution/failpoints.ts";

/** What a failpoint does when reached. */
export interface FailpointActions {
  /** Kills the process (at the armed point). */
  readonly kill: () => void;
  /** Records a reached point (before any kill), or undefined to record nothing. */
  readonly trace?: (line: string) => void;
  /** Wall time of a trace line. */
  readonly nowMs: () => number;
}

/**
 * A failpoint that traces every point and calls `kill` at `name`; undefined when neither a
 * name nor a trace is set.
 */
export function failpointFor(
  name: string | undefined,
  actions: FailpointActions,
): Failpoint | undefined {
  const armed = name === undefined || name === "" ? null : name;
  const trace = actions.trace;
  if (armed === null && trace === undefined) return undefined;
  return (reached) => {
    trace?.(`${actions.nowMs()} ${reached}\n`);
    if (reached === armed) actions.kill();
  };
}
