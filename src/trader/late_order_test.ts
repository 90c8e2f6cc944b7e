/**
 * A live trader in-process against the emulator, on its market clock, when an order's create
 * gets no answer: one that turns up at the exchange only after the reconciliation window (the
 * `visible_after` fault) is adopted with its real fills instead of staying `failed`, and one
 * executed behind a 5xx is found by client id after a crash before the lookup. Never a second send.
 */
import assert from "node:assert/strict";
import { createEngineParts } from "../engine/engine_parts.ts";
import { parseInstanceConfig } from "../config/load_instance_config.ts";
import type { Strategy } from "../core/ports.ts";
import type { Candle, OrderIntent } from "../core/types.ts";
import { CcxtExecutionClient } from "../exchange/ccxt_execution_client.ts";
import { loadMarketCatalog } from "../exchange/market_catalog.ts";
import { LiveVenue } from "../execution/live_venue.ts";
import { BinanceEmulator } from "../../tests/support/binance_emulator.ts";
import { emulatorClient, followingClock } from "../../tests/support/exchange_harness.ts";
import { MemoryLogger } from "../../tests/support/trader_fixtures.ts";
import { tempStore } from "../../tests/support/temp_store.ts";
import type { Store } from "../storage/store.ts";
import { registerInstance } from "./instance_row.ts";
import { withLateOrders } from "./late_orders.ts";
import { LIVE_RECONCILE_WINDOW_MS } from "./start_trader.ts";
import { Trader } from "./trader.ts";
import { reconcileTrader } from "./trader_reconcile.ts";
import { parseTraderState } from "./trader_state.ts";

const H = 3_600_000;
const START_MS = Date.UTC(2024, 7, 1, 0, 0);
const ENTER: OrderIntent = { kind: "enter", reason: "script" };
const EXIT: OrderIntent = { kind: "exit", reason: "script" };
const CREATE = { method: "POST", path: "/api/v3/order" } as const;

/** A strategy that returns fixed intents on given candle indexes (counted from `first`). */
function scripted(script: Record<number, OrderIntent[]>, first = 0): Strategy {
  let index = first - 1;
  return { name: "scripted", warmupCandles: 0, onCandle: () => script[++index] ?? [] };
}

function candle(i: number, price: number): Candle {
  const [high, low] = [price * 1.001, price * 0.999];
  return { openTimeMs: START_MS + i * H, open: price, high, low, close: price, volume: 1 };
}

/** Live 1h config; with a stop-loss %, the stop rests on the exchange. */
function liveConfig(stopLossPct: number | null) {
  return parseInstanceConfig(
    "name: late\nexchange: binance\nsymbol: BTC/USDT\ntimeframe: 1h\nmode: live\n" +
      "strategy:\n  name: scripted\n" +
      `risk:\n  stake_amount: 200\n  stop_loss_pct: ${stopLossPct}\n  take_profit_pct: null\n` +
      "  stop_on_exchange: true\n",
    { strategies: null },
  );
}

/** The exchange side: emulator (quote commission, so base balances are exact), client, catalog. */
async function exchange() {
  const emulator = new BinanceEmulator({ startMs: START_MS + 30 * 60_000, commissionIn: "quote" });
  const client = emulatorClient(emulator, { keys: true, timeoutMs: 500 });
  const clock = followingClock(emulator);
  const catalog = await loadMarketCatalog(client, { nowMs: clock.nowMs() });
  return { emulator, client, clock, catalog };
}

type Exchange = Awaited<ReturnType<typeof exchange>>;

/** A trader as a process would open it: state from the store, reconciled as open_trader wires it. */
function openLiveTrader(
  ex: Exchange,
  store: Store,
  strategy: Strategy,
  options: { unconfirmed?: () => void; stopLossPct?: number } = {},
) {
  const CONFIG = liveConfig(options.stopLossPct ?? null);
  const market = ex.catalog.validate(CONFIG.symbol, CONFIG.timeframe);
  const stored = registerInstance(store, CONFIG, {
    name: "late",
    mode: "live",
    nowMs: ex.clock.nowMs(),
    pid: null,
    keepState: true,
  });
  const state = parseTraderState(stored, "live");
  const parts = createEngineParts(CONFIG, { market, strategy, idPrefix: "late" });
  if (state !== null) parts.kernel.restore(state.kernel);
  else parts.kernel.restore({ ...parts.kernel.snapshot(), quoteFree: 10_000, baseFree: 0 });
  const logger = new MemoryLogger();
  const execution = new CcxtExecutionClient(ex.client, ex.catalog, {
    clock: ex.clock,
    unconfirmed: options.unconfirmed,
  });
  const venue = new LiveVenue(execution, {
    stopOnExchange: true,
    nowMs: () => ex.clock.nowMs(),
    logger,
    beforeTriggerSend: () => {},
  });
  const trader = new Trader({
    name: "late",
    mode: "live",
    exchange: "binance",
    symbol: CONFIG.symbol,
    store,
    kernel: parts.kernel,
    venue,
    clock: ex.clock,
    state,
    logger,
  });
  const pass = () =>
    reconcileTrader(trader, {
      windowMs: LIVE_RECONCILE_WINDOW_MS,
      balanceTolerance: { baseDust: market.amountStep ?? 1e-8, quoteDust: 0.05 },
      live: venue,
    });
  const step = async (i: number) => {
    ex.emulator.clock.set(START_MS + (i + 1) * H + 1_000);
    await trader.step(candle(i, ex.emulator.book.priceAt("BTCUSDT", ex.emulator.clock.nowMs())));
  };
  return { trader, logger, step, reconcile: withLateOrders(trader, venue, pass) };
}

/** Base the kernel books as the position (0 without one). */
function held(trader: Trader): number {
  return trader.kernel.position?.baseAmount ?? 0;
}

function creates(emulator: BinanceEmulator): number {
  return emulator.requests().filter((r) => r.method === "POST" && r.path === CREATE.path).length;
}

function baseAtExchange(emulator: BinanceEmulator): number {
  const btc = emulator.balances().BTC ?? { free: 0, locked: 0 };
  return btc.free + btc.locked;
}

/** Loses the create's answer and hides its order for `visibleAfterMs` of market time. */
function lateCreate(emulator: BinanceEmulator, visibleAfterMs: number): void {
  emulator.addFault({ kind: "lose_response", ...CREATE });
  emulator.addFault({ kind: "visible_after", visibleAfterMs, ...CREATE });
}

Deno.test("late order: an entry that turns up after the reconciliation window is adopted with its fill, and the position follows", async () => {
  await using ex = await exchange().then((e) => ({
    ...e,
    [Symbol.asyncDispose]: () => e.emulator.close(),
  }));
  const { store, dispose } = await tempStore();
  try {
    const t = openLiveTrader(ex, store, scripted({ 0: [ENTER], 3: [EXIT] }));
    lateCreate(ex.emulator, 60_000);
    await t.step(0);
    const [row] = store.orders.recent("late");
    assert.equal(row.status, "submitting");
    assert.ok(t.trader.manager.needsReconcile);
    // Inside the window it is pending; after it, failed (not resent) and entries pause.
    assert.equal(await t.reconcile(), 1);
    ex.emulator.advance(LIVE_RECONCILE_WINDOW_MS + 5_000);
    assert.equal(await t.reconcile(), 0);
    assert.equal(store.orders.findByClientId(row.clientOrderId)?.status, "failed");
    assert.equal(t.trader.kernel.position, null);
    assert.equal(t.trader.tradingState.kind, "reducing", "paused: the exchange holds base");
    assert.ok(t.trader.manager.needsReconcile, "a failed unconfirmed order is looked for again");
    // Visible now: the next pass adopts it.
    ex.emulator.advance(40_000);
    assert.equal(await t.reconcile(), 0);
    const adopted = store.orders.findByClientId(row.clientOrderId)!;
    const atExchange = ex.emulator.orders()[0];
    assert.equal(adopted.status, "filled");
    assert.equal(adopted.exchangeOrderId, String(atExchange.orderId));
    assert.equal(adopted.filledBaseAmount, atExchange.executedQty);
    assert.equal(store.fills.byOrder(row.clientOrderId).length, 1);
    assert.equal(held(t.trader), baseAtExchange(ex.emulator));
    assert.deepEqual(t.trader.tradingState, { kind: "active", reason: null });
    assert.equal(t.trader.manager.needsReconcile, false);
    assert.equal(await t.reconcile(), 0);
    // The position is the bot's again: its exit sells it.
    for (let i = 1; i <= 3; i++) await t.step(i);
    assert.equal(t.trader.kernel.position, null);
    assert.equal(baseAtExchange(ex.emulator), 0);
    assert.equal(store.trades.recent("late").length, 1);
    assert.equal(creates(ex.emulator), 2, "one buy and one sell were sent");
  } finally {
    await dispose();
  }
});

Deno.test("late order: an exit that turns up after the window closes the trade, and no second sell is sent", async () => {
  await using ex = await exchange().then((e) => ({
    ...e,
    [Symbol.asyncDispose]: () => e.emulator.close(),
  }));
  const { store, dispose } = await tempStore();
  try {
    const t = openLiveTrader(ex, store, scripted({ 0: [ENTER], 1: [EXIT] }));
    await t.step(0);
    const bought = baseAtExchange(ex.emulator);
    assert.ok(bought > 0);
    lateCreate(ex.emulator, 90_000);
    await t.step(1);
    ex.emulator.advance(LIVE_RECONCILE_WINDOW_MS + 5_000);
    assert.equal(await t.reconcile(), 0);
    const exit = store.orders.recent("late").find((o) => o.intent === "exit")!;
    assert.equal(exit.status, "failed");
    assert.equal(held(t.trader), bought, "the books still hold it");
    assert.equal(t.trader.tradingState.kind, "reducing", "paused: the exchange sold it");
    ex.emulator.advance(90_000);
    assert.equal(await t.reconcile(), 0);
    assert.equal(store.orders.findByClientId(exit.clientOrderId)?.status, "filled");
    assert.equal(t.trader.kernel.position, null);
    assert.equal(store.trades.recent("late").length, 1);
    assert.deepEqual(t.trader.tradingState, { kind: "active", reason: null });
    assert.equal(creates(ex.emulator), 2);
  } finally {
    await dispose();
  }
});

Deno.test("late order: executed behind a 5xx, then a crash before the lookup: the restart finds it by client id and never sends it again", async () => {
  await using ex = await exchange().then((e) => ({
    ...e,
    [Symbol.asyncDispose]: () => e.emulator.close(),
  }));
  const { store, dispose } = await tempStore();
  try {
    const crash = () => {
      throw new Error("killed before the lookup");
    };
    const first = openLiveTrader(ex, store, scripted({ 0: [ENTER] }), { unconfirmed: crash });
    ex.emulator.addFault({ kind: "executed_http_error", status: 502, ...CREATE });
    await assert.rejects(first.step(0), /killed before the lookup/);
    const [row] = store.orders.recent("late");
    assert.equal(row.status, "submitting");
    // A new process from what the DB holds: its start-up reconciliation finds the order.
    const restarted = openLiveTrader(ex, store, scripted({}, 1));
    assert.equal(await restarted.reconcile(), 0);
    assert.equal(store.orders.findByClientId(row.clientOrderId)?.status, "filled");
    assert.equal(held(restarted.trader), baseAtExchange(ex.emulator));
    await restarted.step(1);
    assert.equal(creates(ex.emulator), 1);
    assert.equal(ex.emulator.orders().length, 1);
  } finally {
    await dispose();
  }
});

/** An entry, then its stop lost and hidden for 3 minutes; reconciled until the stop failed. */
async function lateStop(ex: Exchange, store: Store) {
  const t = openLiveTrader(ex, store, scripted({ 0: [ENTER] }), { stopLossPct: 50 });
  const stop = { ...CREATE, params: { type: "STOP_LOSS" } };
  ex.emulator.addFault({ kind: "lose_response", ...stop });
  ex.emulator.addFault({ kind: "visible_after", visibleAfterMs: 180_000, ...stop });
  await t.step(0);
  const [lost] = store.orders.recent("late").filter((o) => o.intent === "stop_loss");
  assert.equal(lost.status, "submitting");
  ex.emulator.advance(LIVE_RECONCILE_WINDOW_MS + 5_000);
  await t.reconcile();
  assert.equal(store.orders.findByClientId(lost.clientOrderId)?.status, "failed");
  await t.step(1); // the kernel places the missing stop again
  return { t, lost };
}

function restingStops(emulator: BinanceEmulator): string[] {
  return emulator.orders().filter((o) => o.type === "STOP_LOSS" && o.status === "NEW")
    .map((o) => o.clientOrderId);
}

Deno.test("late order: a stop that turns up while its replacement was refused becomes the position's stop", async () => {
  await using ex = await exchange().then((e) => ({
    ...e,
    [Symbol.asyncDispose]: () => e.emulator.close(),
  }));
  const { store, dispose } = await tempStore();
  try {
    const { t, lost } = await lateStop(ex, store);
    // The hidden stop holds the base, so the exchange refuses the replacement.
    assert.equal(store.orders.recent("late")[0].status, "rejected");
    assert.ok(t.trader.kernel.protectionFailures > 0);
    ex.emulator.advance(3 * 60_000);
    await t.reconcile();
    assert.equal(store.orders.findByClientId(lost.clientOrderId)?.status, "open");
    assert.equal(t.trader.kernel.snapshot().stopOrderId, lost.clientOrderId);
    assert.equal(t.trader.kernel.protectionFailures, 0);
    assert.deepEqual(restingStops(ex.emulator), [lost.clientOrderId]);
  } finally {
    await dispose();
  }
});

Deno.test("late order: a stop that turns up after its replacement rests is cancelled, leaving one stop", async () => {
  await using ex = await exchange().then((e) => ({
    ...e,
    [Symbol.asyncDispose]: () => e.emulator.close(),
  }));
  // Base held outside the position lets the exchange accept the replacement.
  ex.emulator.setBalance("BTC", 1);
  const { store, dispose } = await tempStore();
  try {
    const { t, lost } = await lateStop(ex, store);
    const replacement = store.orders.recent("late")[0];
    assert.equal(replacement.status, "open");
    assert.deepEqual(
      restingStops(ex.emulator).sort(),
      [lost.clientOrderId, replacement.clientOrderId].sort(),
    );
    ex.emulator.advance(3 * 60_000);
    await t.reconcile();
    assert.equal(store.orders.findByClientId(lost.clientOrderId)?.status, "canceled");
    assert.deepEqual(restingStops(ex.emulator), [replacement.clientOrderId]);
    assert.equal(t.trader.kernel.snapshot().stopOrderId, replacement.clientOrderId);
    assert.equal(creates(ex.emulator), 3);
  } finally {
    await dispose();
  }
});
