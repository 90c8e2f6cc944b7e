/**
 * The kill campaign's schedule. Each lane (one trader with its own config, emulator and account)
 * runs cycles of two candles: E, whose close enters, and X, whose close exits. A coverage cycle
 * arms the lane's failpoints in an order in which each is reached at once (at the close, or in
 * the reconciliation of the kill before); a window cycle kills at random offsets just after the
 * closes of E and X, when orders are being sent. Random-delay kills before each close land in
 * start-up, reconciliation, warm-up and idle waits. The first cycle of every lane is a coverage
 * cycle, so one cycle of all lanes reaches every failpoint.
 */
import type { FailpointName } from "../../src/trader/mod.ts";
import type { FaultSpec } from "../support/emulator_faults.ts";

const MINUTE_MS = 60_000;

/** Which close a step waits for: the entry candle's or the exit candle's. */
export type CycleClose = "E" | "X";

/** One kill of the campaign. */
export type KillStep =
  /** Kill after a random delay from the start (capped to end well before the next close). */
  | { readonly kind: "delay"; readonly delayMs: number; readonly before: CycleClose }
  /** Kill this long after the close, while that candle's orders are sent. */
  | {
    readonly kind: "window";
    readonly offsetMs: number;
    readonly at: CycleClose;
    /** Injected into the lane's emulator before the process starts. */
    readonly faults?: readonly FaultSpec[];
  }
  /** Armed with a failpoint; the process must SIGKILL itself there. */
  | {
    readonly kind: "failpoint";
    readonly name: FailpointName;
    readonly at: CycleClose;
    /** SIGTERM once running, with `--close-on-exit` (the close path). */
    readonly stop?: boolean;
    /** Injected into the lane's emulator before the process starts. */
    readonly faults?: readonly FaultSpec[];
  };

/** Lanes of the campaign, each a trader with its own config and account. */
export type LaneName = "kill-order" | "kill-send" | "kill-stop" | "kill-close" | "kill-paper";

/** Every lane, in the order they are set up. */
export const LANE_NAMES: readonly LaneName[] = [
  "kill-order",
  "kill-send",
  "kill-stop",
  "kill-close",
  "kill-paper",
];

const CREATE = { method: "POST", path: "/api/v3/order" } as const;

type Coverage = readonly Omit<Extract<KillStep, { kind: "failpoint" }>, "kind">[];

/**
 * The failpoints each lane arms in a coverage cycle, in order. Every point at E comes after the
 * entry's row is written (a fresh instance killed earlier takes E as warm-up when it restarts).
 * `kill-order`: the entry executed behind a 502 and killed before the lookup, then each restart's
 * reconciliation reaches the next point; at X the exit is killed before its row, then after it.
 * `kill-send`: the entry accepted and unread; X is a window kill. `kill-stop` (stop on the
 * exchange, take-profit held and checked on the ticker): the stop row never sent, the take-profit
 * crossed mid-candle, then X's step begins. `kill-close` (stop on the exchange): the stop
 * accepted, then three stops with `--close-on-exit`, then X's step ends.
 */
export const COVERAGE: Readonly<Record<LaneName, Coverage>> = {
  "kill-order": [
    {
      name: "order.send_unconfirmed",
      at: "E",
      faults: [{ kind: "executed_http_error", status: 502, ...CREATE }],
    },
    { name: "order.after_response", at: "E" },
    { name: "order.after_record", at: "E" },
    { name: "order.before_insert", at: "X" },
    { name: "order.after_insert", at: "X" },
  ],
  "kill-send": [{ name: "order.after_send", at: "E" }],
  "kill-stop": [
    { name: "protect.after_insert", at: "E" },
    { name: "protect.trigger", at: "E" },
    { name: "step.begin", at: "X" },
  ],
  "kill-close": [
    { name: "protect.after_send", at: "E" },
    { name: "close.begin", at: "E", stop: true },
    { name: "cancel.after_send", at: "E", stop: true },
    { name: "close.end", at: "E", stop: true },
    { name: "step.end", at: "X" },
  ],
  "kill-paper": [],
};

/** How many random kills a cycle has, and how many cycles after the first are coverage cycles. */
export interface PlanOptions {
  /** Total kills wanted; cycles are added until the plan has at least this many. */
  readonly points: number;
  readonly random: () => number;
}

/** A lane's cycles; a cycle's steps run in order. */
export type LanePlan = readonly (readonly KillStep[])[];

/**
 * The create at E is executed, its answer lost and the order hidden for 90 s: the trader marks
 * it failed after X and pauses entries (the exchange holds base it did not book), and adopts it
 * at the next candle; window kills at E and X land around it.
 */
const LATE_ENTRY: readonly FaultSpec[] = [
  { kind: "lose_response", ...CREATE },
  { kind: "visible_after", visibleAfterMs: 90_000, ...CREATE },
];

/**
 * The seeded plan of every lane: cycle 0 covers all failpoints with one delay kill before each
 * close; later cycles (added while the total is below `points`) are coverage or window cycles at
 * random (`kill-send`'s are window cycles whose entry at E turns up late), with up to three delay
 * kills before each close.
 */
export function killPlan(options: PlanOptions): Record<LaneName, LanePlan> {
  const plans = Object.fromEntries(LANE_NAMES.map((lane) => [lane, [] as KillStep[][]])) as Record<
    LaneName,
    KillStep[][]
  >;
  let total = 0;
  for (let cycle = 0; cycle === 0 || total < options.points; cycle++) {
    for (const lane of LANE_NAMES) {
      const steps = laneCycle(lane, cycle, options.random);
      plans[lane].push(steps);
      total += steps.length;
    }
  }
  return plans;
}

function laneCycle(lane: LaneName, cycle: number, random: () => number): KillStep[] {
  const delays = (before: CycleClose) => {
    const count = cycle === 0 ? 1 : Math.floor(random() * 4);
    return Array.from({ length: count }, () => delayStep(before, random));
  };
  const coverage = COVERAGE[lane];
  const late = lane === "kill-send" && cycle > 0;
  if (coverage.length === 0 || late || (cycle > 0 && random() < 0.5)) {
    const faults = late ? LATE_ENTRY : undefined;
    return [
      ...delays("E"),
      windowStep("E", random, faults),
      ...delays("X"),
      windowStep("X", random),
    ];
  }
  const atE = coverage.filter((s) => s.at === "E").map((s) =>
    ({ kind: "failpoint", ...s }) as const
  );
  const atX = coverage.filter((s) => s.at === "X").map((s) =>
    ({ kind: "failpoint", ...s }) as const
  );
  return [
    ...delays("E"),
    ...atE,
    ...delays("X"),
    ...(atX.length > 0 ? atX : [windowStep("X", random)]),
  ];
}

/** 0.1–3 s usually (start-up, reconciliation), one in four 3–10 s (warm-up, heartbeats, idle). */
function delayStep(before: CycleClose, random: () => number): KillStep {
  const long = random() < 0.25;
  const delayMs = long ? 3_000 + Math.floor(random() * 7_000) : 100 + Math.floor(random() * 2_900);
  return { kind: "delay", delayMs, before };
}

/**
 * 0–150 ms after the close: the closed candle comes over the kline stream 15–30 ms after it, a
 * live order's row is written a few ms later, and its round trip ends 40–120 ms after that.
 */
function windowStep(
  at: CycleClose,
  random: () => number,
  faults?: readonly FaultSpec[],
): KillStep {
  return { kind: "window", offsetMs: Math.floor(random() * 150), at, faults };
}

/** Every failpoint some lane's coverage cycle arms. */
export function coveredFailpoints(): Set<FailpointName> {
  return new Set(Object.values(COVERAGE).flatMap((steps) => steps.map((s) => s.name)));
}

/** The first minute boundary at least `leadMs` after `nowMs`: the first entry's close. */
export function firstEntryCloseMs(nowMs: number, leadMs: number): number {
  return Math.ceil((nowMs + leadMs) / MINUTE_MS) * MINUTE_MS;
}
