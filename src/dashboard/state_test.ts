import assert from "node:assert/strict";
import type { DashboardSnapshot, InstanceSummary } from "../storage/dashboard_repo.ts";
import {
  type DashboardState,
  initialState,
  type KeyPress,
  reduce,
  selectedInstance,
  visibleInstances,
} from "./state.ts";

const NOW = 1_720_000_000_000;

function instance(name: string, extra: Partial<InstanceSummary> = {}): InstanceSummary {
  return {
    name,
    exchange: "binance",
    symbol: "BTC/USDT",
    timeframe: "1h",
    strategy: "rsi",
    mode: "paper",
    status: "running",
    statusReason: null,
    heartbeatMs: NOW - 1000,
    equityQuote: 1000,
    positionBase: 0,
    entryPrice: null,
    lastPrice: null,
    realizedPnlQuote: 0,
    lastSignal: null,
    lastSignalMs: null,
    openOrders: 0,
    lastError: null,
    dayStartEquityQuote: 1000,
    config: null,
    equitySpark: [],
    ...extra,
  };
}

const SNAPSHOT: DashboardSnapshot = {
  instances: [
    instance("charlie", { equityQuote: 300, symbol: "ETH/USDT" }),
    instance("alpha", { equityQuote: 100, status: "error", statusReason: "boom" }),
    instance("bravo", { equityQuote: 200, heartbeatMs: NOW - 3_600_000 }),
  ],
};

const key = (input: string, extra: Partial<KeyPress> = {}) =>
  ({ type: "key", key: { input, ...extra } }) as const;
const loaded = (): DashboardState =>
  reduce(initialState(NOW), {
    type: "snapshot",
    snapshot: SNAPSHOT,
    nowMs: NOW,
    tookMs: 2,
    dbSizeBytes: 4096,
  });
const names = (state: DashboardState) => visibleInstances(state).map((v) => v.row.name);
const press = (state: DashboardState, ...keys: ReturnType<typeof key>[]) =>
  keys.reduce(reduce, state);

Deno.test("reduce selects the first row on the first snapshot and clears errors", () => {
  const errored = reduce(initialState(NOW), { type: "error", message: "Cannot open", nowMs: NOW });
  assert.equal(errored.error, "Cannot open");
  const state = reduce(errored, {
    type: "snapshot",
    snapshot: SNAPSHOT,
    nowMs: NOW,
    tookMs: 2,
    dbSizeBytes: 1,
  });
  assert.equal(state.error, null);
  assert.equal(state.selectedName, "alpha");
  assert.equal(state.refreshTookMs, 2);
});

Deno.test("reduce moves the selection within bounds", () => {
  const down = press(loaded(), key("", { downArrow: true }), key("j"), key("j"));
  assert.equal(down.selectedName, "charlie");
  assert.equal(press(down, key("k")).selectedName, "bravo");
  assert.equal(press(down, key("", { pageUp: true })).selectedName, "alpha");
});

Deno.test("reduce cycles sort keys with s and reverses with S", () => {
  const byStatus = press(loaded(), key("s"));
  assert.equal(byStatus.sortKey, "status");
  assert.deepEqual(names(byStatus), ["alpha", "bravo", "charlie"]);
  const byEquity = press(byStatus, key("s"));
  assert.deepEqual(names(byEquity), ["charlie", "bravo", "alpha"]);
  assert.deepEqual(names(press(byEquity, key("S"))), ["alpha", "bravo", "charlie"]);
});

Deno.test("reduce filters by typed text; Enter keeps it and Esc clears it", () => {
  const typing = press(loaded(), key("/"), key("e"), key("t"), key("h"));
  assert.equal(typing.filterEditing, true);
  assert.equal(press(typing, key("q")).quit, false, "q is text while filtering");
  assert.deepEqual(names(typing), ["charlie"]);
  assert.equal(typing.selectedName, "charlie");
  const kept = press(typing, key("", { return: true }));
  assert.equal(kept.filterEditing, false);
  assert.equal(kept.filterText, "eth");
  const backspaced = press(loaded(), key("/"), key("x"), key("", { backspace: true }));
  assert.equal(backspaced.filterText, "");
  assert.deepEqual(names(press(kept, key("", { escape: true }))), ["alpha", "bravo", "charlie"]);
  assert.deepEqual(names(press(loaded(), key("/"), key("stale"))), ["bravo"]);
  const together = press(loaded(), key("/stale"));
  assert.equal(together.filterEditing, true, '"/" and its text in one read open the filter');
  assert.equal(together.filterText, "stale");
});

Deno.test("reduce opens the detail on Enter and returns on Esc", () => {
  const detail = press(loaded(), key("j"), key("", { return: true }));
  assert.equal(detail.view, "detail");
  assert.equal(selectedInstance(detail)?.row.name, "bravo");
  const withData = reduce(detail, { type: "logs", name: "bravo", lines: ["x"] });
  assert.deepEqual(withData.logLines, ["x"]);
  assert.deepEqual(reduce(detail, { type: "logs", name: "alpha", lines: ["y"] }).logLines, []);
  const back = press(withData, key("", { escape: true }));
  assert.equal(back.view, "overview");
  assert.deepEqual(back.logLines, []);
});

Deno.test("reduce shows help on ? and returns to the view it came from", () => {
  const detail = press(loaded(), key("", { return: true }));
  const help = press(detail, key("?"));
  assert.equal(help.view, "help");
  assert.equal(press(help, key("", { escape: true })).view, "detail");
  assert.equal(press(help, key("?")).view, "detail");
});

Deno.test("reduce sets quit on q", () => {
  assert.equal(press(loaded(), key("q")).quit, true);
  assert.equal(press(loaded(), key("?"), key("q")).quit, true);
});

Deno.test("reduce keeps the selection by name across refreshes", () => {
  const state = press(loaded(), key("j"), key("j"));
  const reordered = { instances: [...SNAPSHOT.instances].reverse() };
  const next = reduce(state, {
    type: "snapshot",
    snapshot: reordered,
    nowMs: NOW + 1000,
    tookMs: 1,
    dbSizeBytes: 1,
  });
  assert.equal(next.selectedName, "charlie");
  const gone = { instances: SNAPSHOT.instances.filter((i) => i.name !== "charlie") };
  assert.equal(
    reduce(next, { type: "snapshot", snapshot: gone, nowMs: NOW, tookMs: 1, dbSizeBytes: 1 })
      .selectedName,
    "alpha",
  );
});

Deno.test("reduce: action keys are read-only without --control and say how to steer", () => {
  const state = press(loaded(), key("p"));
  assert.equal(state.confirm, null);
  assert.equal(state.request, null);
  assert.match(state.controlLine ?? "", /^read-only: deno task dashboard-ctl enables/);
});

Deno.test("reduce: with --control an action key asks to confirm; y sends it, another key cancels", () => {
  const controlled = { ...loaded(), control: true };
  const asked = press(controlled, key("e"));
  assert.deepEqual(asked.confirm, { name: "alpha", action: "exit" });
  const cancelled = press(asked, key("n"));
  assert.equal(cancelled.request, null);
  assert.equal(cancelled.controlLine, "exit alpha: cancelled");
  const confirmed = press(controlled, key("j"), key("p"), key("y"));
  assert.deepEqual(confirmed.request, { name: "bravo", action: "pause" });
  const sent = reduce(confirmed, { type: "sent", id: 7, request: confirmed.request! });
  assert.equal(sent.request, null);
  assert.equal(sent.awaitingId, 7);
  const acked = reduce(sent, { type: "acknowledged", line: "bravo: pause acknowledged" });
  assert.equal(acked.awaitingId, null);
  assert.equal(acked.controlLine, "bravo: pause acknowledged");
});
