/**
 * The kill campaign's own logic on made-up data: its end checks catch each kind of wrong books,
 * phases follow the trace, and the plan's first cycle arms every failpoint.
 */
import assert from "node:assert/strict";
import { FAILPOINT_NAMES } from "../../src/trader/mod.ts";
import { openStore } from "../../src/storage/mod.ts";
import { seededRandom } from "../../tools/soak/mod.ts";
import { type AccountOrder, intentTwice, liveLaneProblems, unpaired } from "./kill_checks.ts";
import { coveredFailpoints, killPlan, LANE_NAMES } from "./kill_plan.ts";
import { parseTrace, phaseOf } from "./kill_phases.ts";

const NAME = "kill-x";
const BUY = "kill-x-m0-e1";
const SELL = "kill-x-m1-x2";

function order(clientOrderId: string, side: string, executedQty = 0.01): AccountOrder {
  return {
    clientOrderId,
    side,
    type: "MARKET",
    status: "FILLED",
    executedQty,
    orderId: side === "BUY" ? 1 : 2,
    updateTimeMs: side === "BUY" ? 1_000 : 2_000,
  };
}

/** A DB holding a filled buy and sell of 0.01 (or what `rows` says) and the saved base. */
async function books(
  rows: { id: string; side: "buy" | "sell"; status?: string; filled?: number; fills?: false }[],
  baseFree: number,
): Promise<{ path: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "kill_checks_test_" });
  const path = `${dir}/trading.db`;
  const store = openStore(`sqlite:${path}`);
  store.instances.upsert({
    name: NAME,
    exchange: "binance",
    symbol: "BTC/USDT",
    timeframe: "1m",
    strategy: "sma_cross",
    mode: "live",
    status: "stopped",
    statusReason: null,
    pid: null,
    startedMs: 0,
    heartbeatMs: 0,
    equityQuote: null,
    quoteBalance: null,
    positionBase: baseFree,
    entryPrice: null,
    lastPrice: null,
    realizedPnlQuote: 0,
    lastSignal: null,
    lastSignalMs: null,
    openOrders: 0,
    lastError: null,
    state: { kernel: { baseFree } },
    config: { name: NAME },
  });
  for (const row of rows) {
    const filled = row.filled ?? 0.01;
    store.orders.insert({
      clientOrderId: row.id,
      exchangeOrderId: "1",
      instance: NAME,
      exchange: "binance",
      symbol: "BTC/USDT",
      side: row.side,
      type: "market",
      baseAmount: 0.01,
      price: null,
      status: (row.status ?? "filled") as "filled",
      filledBaseAmount: filled,
      averagePrice: 60_000,
      feeQuote: 0,
      feeBaseAmount: 0,
      intent: row.side === "buy" ? "enter" : "exit",
      reason: null,
      candleTimeMs: 0,
      createdMs: 0,
      updatedMs: 0,
      error: null,
    });
    if (filled > 0 && row.fills !== false) {
      store.fills.insert(NAME, {
        clientOrderId: row.id,
        tradeId: `${row.id}-1`,
        timeMs: 0,
        side: row.side,
        price: 60_000,
        baseAmount: filled,
        feeQuote: 0,
        feeBaseAmount: 0,
      });
    }
  }
  store.close();
  return { path, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

const STEP = 0.00001;

Deno.test("kill checks: books equal to the whole account pass", async () => {
  await using db = await books([{ id: BUY, side: "buy" }, { id: SELL, side: "sell" }], 0);
  const orders = [order(BUY, "BUY"), order(SELL, "SELL")];
  assert.deepEqual(
    liveLaneProblems(db.path, { name: NAME, orders, baseAtExchange: 0, amountStep: STEP }),
    [],
  );
});

Deno.test("kill checks: an order on the account the DB does not know is caught, whatever its id", async () => {
  await using db = await books([{ id: BUY, side: "buy" }, { id: SELL, side: "sell" }], 0);
  const orders = [order(BUY, "BUY"), order(SELL, "SELL"), order("web_123", "BUY", 0)];
  const problems = liveLaneProblems(db.path, {
    name: NAME,
    orders: [...orders.slice(0, 2), { ...orders[2], status: "NEW" }],
    baseAtExchange: 0,
    amountStep: STEP,
  });
  assert.deepEqual(problems, ["exchange order web_123 (NEW) not in the DB"]);
});

Deno.test("kill checks: a base balance off the DB position by more than a step is caught", async () => {
  await using db = await books([{ id: BUY, side: "buy" }], 0.01);
  const orders = [order(BUY, "BUY")];
  const lane = { name: NAME, orders, amountStep: STEP };
  assert.deepEqual(liveLaneProblems(db.path, { ...lane, baseAtExchange: 0.01 + STEP / 2 }), []);
  assert.deepEqual(liveLaneProblems(db.path, { ...lane, baseAtExchange: 0.02 }), [
    "base: exchange 0.02, DB state 0.01",
    "base: exchange 0.02, DB fills 0.01",
  ]);
});

Deno.test("kill checks: a filled amount or status that differs, and a lost DB order, are caught", async () => {
  await using db = await books([
    { id: BUY, side: "buy" },
    { id: SELL, side: "sell", status: "submitting", filled: 0 },
  ], 0.01);
  const problems = liveLaneProblems(db.path, {
    name: NAME,
    orders: [order(BUY, "BUY", 0.02)],
    baseAtExchange: 0.01,
    amountStep: STEP,
  });
  assert.deepEqual(problems, [
    `${BUY}: exchange filled 0.02, DB filled 0.01`,
    `${BUY}: exchange filled 0.02, DB fills 0.01`,
    `DB order ${SELL} (submitting) not at the exchange`,
  ]);
});

Deno.test("kill checks: an order whose fills were not stored is caught, even with flat books", async () => {
  await using db = await books([
    { id: BUY, side: "buy", fills: false },
    { id: SELL, side: "sell", fills: false },
  ], 0);
  const orders = [order(BUY, "BUY"), order(SELL, "SELL")];
  assert.deepEqual(
    liveLaneProblems(db.path, { name: NAME, orders, baseAtExchange: 0, amountStep: STEP }),
    [`${BUY}: exchange filled 0.01, DB fills 0`, `${SELL}: exchange filled 0.01, DB fills 0`],
  );
});

Deno.test("kill checks: one candle's entry under two client ids is caught; protective re-issues are not", () => {
  assert.deepEqual(intentTwice(["a-m0-e1", "a-m0-s2", "a-m0-s3", "a-m2-e4"]), []);
  assert.deepEqual(intentTwice(["a-m0-e1", "a-m0-e2", "b-m0-e1"]), [
    "one candle's intent sent twice: a-m0-e1, a-m0-e2",
  ]);
});

Deno.test("kill checks: buys and sells must alternate from a buy", () => {
  assert.deepEqual(unpaired(["BUY", "SELL", "BUY"]), []);
  assert.deepEqual(unpaired(["BUY", "BUY", "SELL"]), [
    "fill 2 of BUY BUY SELL breaks the buy-sell pairs",
  ]);
  assert.equal(unpaired(["SELL"]).length, 1);
});

Deno.test("kill phases: the last point reached names the phase; a stored update counts inside a step only", () => {
  const trace = (names: string[]) => parseTrace(names.map((n, i) => `${i} ${n}`).join("\n"));
  assert.equal(phaseOf(trace([]), true), "start-up");
  assert.equal(phaseOf(trace([]), false), "idle");
  assert.equal(phaseOf(trace(["step.begin"]), false), "before insert");
  assert.equal(phaseOf(trace(["step.begin", "order.after_insert"]), false), "after insert");
  assert.equal(phaseOf(trace(["step.begin", "order.after_send"]), false), "after send");
  assert.equal(phaseOf(trace(["order.after_response"]), true), "after response");
  assert.equal(phaseOf(trace(["step.begin", "order.after_record"]), false), "between orders");
  assert.equal(phaseOf(trace(["order.after_record"]), true), "start-up");
  assert.equal(phaseOf(trace(["step.begin", "order.after_record", "step.end"]), false), "idle");
  assert.deepEqual(parseTrace("12 step.begin\n13 step.e"), [{ timeMs: 12, name: "step.begin" }]);
});

Deno.test("kill plan: the first cycle of the lanes arms every failpoint; more points add cycles", () => {
  assert.deepEqual(FAILPOINT_NAMES.filter((name) => !coveredFailpoints().has(name)), []);
  const one = killPlan({ points: 0, random: seededRandom(7) });
  const armed = new Set(
    LANE_NAMES.flatMap((lane) =>
      one[lane][0].flatMap((s) => s.kind === "failpoint" ? [s.name] : [])
    ),
  );
  assert.equal(armed.size, FAILPOINT_NAMES.length);
  const fifty = killPlan({ points: 50, random: seededRandom(7) });
  const total = LANE_NAMES.reduce((n, lane) => n + fifty[lane].flat().length, 0);
  assert.ok(total >= 50 && fifty["kill-order"].length > 1, `total ${total}`);
});
