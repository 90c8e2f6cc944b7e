/**
 * Where a kill landed, read from the trace the killed process wrote (`TRADER_FAILPOINT_TRACE`:
 * one `<wall ms> <failpoint>` line per point reached) and its status when it died. The last
 * point reached before the kill names the phase of the order path it was in.
 */
import { FAILPOINT_NAMES, type FailpointName } from "../../src/trader/mod.ts";

/** Phases of the order path a kill can land in. */
export const KILL_PHASES = [
  "start-up",
  "before insert",
  "after insert",
  "after send",
  "after response",
  "between orders",
  "idle",
] as const;

/** A phase of `KILL_PHASES`. */
export type KillPhase = typeof KILL_PHASES[number];

/** One line of a trace. */
export interface TracePoint {
  readonly timeMs: number;
  readonly name: FailpointName;
}

const PHASE_AFTER: Readonly<Partial<Record<FailpointName, KillPhase>>> = {
  "step.begin": "before insert",
  "order.before_insert": "before insert",
  "close.begin": "before insert",
  "order.after_insert": "after insert",
  "protect.after_insert": "after insert",
  "protect.trigger": "after insert",
  "order.send_unconfirmed": "after send",
  "order.after_send": "after send",
  "protect.after_send": "after send",
  "cancel.after_send": "after send",
  "order.after_response": "after response",
  "step.end": "idle",
};

const KNOWN: ReadonlySet<string> = new Set(FAILPOINT_NAMES);

/** The trace's points, oldest first (a torn last line is dropped). */
export function parseTrace(text: string): TracePoint[] {
  const points: TracePoint[] = [];
  for (const line of text.split("\n")) {
    const [time, name] = line.split(" ");
    if (name !== undefined && KNOWN.has(name) && /^\d+$/.test(time)) {
      points.push({ timeMs: Number(time), name: name as FailpointName });
    }
  }
  return points;
}

/**
 * The phase a kill landed in: the one after the last point reached; a stored update
 * (`order.after_record`, `close.end`) inside a step is "between orders", outside one it is
 * start-up or idle like a process that reached no point; `starting` tells those two apart.
 */
export function phaseOf(trace: readonly TracePoint[], starting: boolean): KillPhase {
  const last = trace.at(-1);
  const quiet: KillPhase = starting ? "start-up" : "idle";
  if (last === undefined) return quiet;
  const phase = PHASE_AFTER[last.name];
  if (phase !== undefined) return phase;
  return inStep(trace) ? "between orders" : quiet;
}

/** True when the trace's last step began and did not end. */
function inStep(trace: readonly TracePoint[]): boolean {
  for (let i = trace.length - 1; i >= 0; i--) {
    if (trace[i].name === "step.end") return false;
    if (trace[i].name === "step.begin") return true;
  }
  return false;
}

/** Counts by key, for the printed distribution. */
export class Tally<K extends string> {
  readonly counts = new Map<K, number>();

  /** Counts one more of `key`. */
  add(key: K): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** The count of `key` (0 when never added). */
  get(key: K): number {
    return this.counts.get(key) ?? 0;
  }

  /** `key n` pairs in the order of `keys`, then any others, zeros left out. */
  format(keys: readonly K[]): string {
    const order = [...keys, ...[...this.counts.keys()].filter((k) => !keys.includes(k))];
    return order.filter((k) => this.get(k) > 0).map((k) => `${k} ${this.get(k)}`).join(", ");
  }
}
