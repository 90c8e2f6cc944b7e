/**
 * Failpoints: named points of the order path where kill tests make a trader SIGKILL itself
 * (`TRADER_FAILPOINT`, wired in `tasks/trade.ts` through `src/trader/failpoint.ts`). Production
 * passes no failpoint, so they cost one optional call each and do nothing.
 */

/** Every failpoint, in the order a candle's orders meet them, with what is done when it fires. */
export const FAILPOINTS = {
  "step.begin": "a closed candle arrived; nothing of its step done",
  "order.before_insert": "an order made by the kernel; its row not written, nothing sent",
  "order.after_insert": "the row written as submitting; nothing sent",
  "order.send_unconfirmed":
    "the create got no answer (5xx, timeout, cut connection); not looked up by client id yet",
  "order.after_send": "the exchange accepted the order; its answer not looked at",
  "order.after_response": "the kernel applied the answer; the DB not updated",
  "order.after_record": "the update stored; the step's next order not made or sent",
  "protect.after_insert": "a stop or take-profit row written as submitting; nothing sent",
  "protect.after_send": "the venue accepted a stop or take-profit; its answer not looked at",
  "protect.trigger":
    "a held stop or take-profit was crossed: its row submitting, the sell not sent",
  "cancel.after_send": "the venue answered a cancel; the answer not applied or stored",
  "close.begin": "stopping with --close-on-exit: nothing cancelled or sold",
  "close.end": "--close-on-exit cancelled and sold, all stored; final state and status not written",
  "step.end": "the step's orders, decisions and equity stored",
} as const;

/** The name of a failpoint. */
export type FailpointName = keyof typeof FAILPOINTS;

/** Every failpoint name, in the order of `FAILPOINTS`. */
export const FAILPOINT_NAMES = Object.keys(FAILPOINTS) as readonly FailpointName[];

/** Called at each failpoint; production passes nothing. */
export type Failpoint = (name: FailpointName) => void;

const PROTECTIVE = new Set(["stop_loss", "take_profit", "trailing_stop"]);

/** The insert or send failpoint of an order of this purpose: stops and take-profits have their own. */
export function orderFailpoint(
  purpose: string,
  point: "after_insert" | "after_send",
): FailpointName {
  return PROTECTIVE.has(purpose) ? `protect.${point}` : `order.${point}`;
}
