/**
 * An instance's books against the emulator account it trades: every order of the account on the
 * symbol is either one of the instance's rows, with the same status, filled amount and exchange id
 * and one fill per exchange trade (id, amount, price), or one it did not make and never stored;
 * the balances and the position the instance saved equal the account's, less what the trades of
 * the orders it did not make moved.
 */
import assert from "node:assert/strict";
import type { EmulatorOrder, EmulatorTrade } from "../support/emulator_book.ts";
import type { BinanceEmulator } from "../support/binance_emulator.ts";
import { withStore } from "../support/trader_process.ts";

/** Which instance, account and market to compare. */
export interface BooksCase {
  readonly name: string;
  readonly apiKey: string;
  /** Binance's symbol, e.g. `BTCUSDT`. */
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  /** The id the exchange shows for a book order (default: its number). */
  readonly exchangeOrderId?: (order: EmulatorOrder) => string;
}

/** What the comparison found: the instance's orders and the account's other orders. */
export interface BooksComparison {
  readonly ours: readonly EmulatorOrder[];
  readonly foreign: readonly EmulatorOrder[];
}

const STATUS: Record<string, string> = {
  NEW: "open",
  PARTIALLY_FILLED: "partially_filled",
  FILLED: "filled",
  CANCELED: "canceled",
  EXPIRED: "canceled",
  REJECTED: "rejected",
};

/** Asserts that the instance's DB rows and saved state equal the exchange; see the module doc. */
export function assertBooksMatchExchange(
  emulator: Pick<BinanceEmulator, "orders" | "book" | "balances">,
  databaseUrl: string,
  c: BooksCase,
): BooksComparison {
  emulator.orders(); // matches what the market reached by now
  const orders = emulator.book.orders.filter((o) => o.apiKey === c.apiKey && o.symbol === c.symbol);
  const trades = emulator.book.trades.filter((t) => t.apiKey === c.apiKey);
  return withStore(databaseUrl, (store) => {
    const rows = store.orders.recent(c.name, 10_000);
    const ours: EmulatorOrder[] = [];
    const foreign: EmulatorOrder[] = [];
    for (const order of orders) {
      const row = rows.find((r) => r.clientOrderId === order.clientOrderId);
      const stored = store.orders.findByClientId(order.clientOrderId);
      if (row === undefined) {
        assert.equal(stored, null, `${c.name}: foreign order ${order.clientOrderId} was stored`);
        foreign.push(order);
        continue;
      }
      ours.push(order);
      const what = `${c.name}: ${order.clientOrderId}`;
      assert.deepEqual(
        [row.status, row.filledBaseAmount, row.exchangeOrderId],
        [
          STATUS[order.status],
          r8(order.executedQty),
          c.exchangeOrderId?.(order) ?? String(order.orderId),
        ],
        what,
      );
      assert.deepEqual(
        store.fills.byOrder(order.clientOrderId).map((f) => [f.tradeId, f.baseAmount, f.price]),
        trades.filter((t) => t.orderId === order.orderId)
          .map((t) => [String(t.id), r8(t.qty), r8(t.price)]),
        `${what}: fills are the exchange's trades`,
      );
    }
    for (const row of rows) {
      if (ours.some((o) => o.clientOrderId === row.clientOrderId)) continue;
      assert.ok(
        row.status === "failed" || row.status === "rejected",
        `${c.name}: row ${row.clientOrderId} (${row.status}) is not at the exchange`,
      );
    }
    const kernel = (store.instances.get(c.name)?.state as {
      kernel: { baseFree: number; quoteFree: number; position: { baseAmount: number } | null };
    }).kernel;
    const balances = emulator.balances(c.apiKey);
    const moved = movedBy(trades.filter((t) => foreign.some((o) => o.orderId === t.orderId)), c);
    const total = (asset: string) =>
      (balances[asset]?.free ?? 0) + (balances[asset]?.locked ?? 0) - (moved[asset] ?? 0);
    near(kernel.baseFree, total(c.base), `${c.name}: ${c.base} booked vs held`);
    near(kernel.quoteFree, total(c.quote), `${c.name}: ${c.quote} booked vs held`, 1e-6);
    const step = Number(emulator.book.spec(c.symbol).stepSize);
    const position = kernel.position?.baseAmount ?? 0;
    assert.ok(
      total(c.base) - position < step,
      `${c.name}: position ${position} of ${total(c.base)}`,
    );
    return { ours, foreign };
  });
}

/** What trades added to each asset of the account (negative: took), fees included. */
function movedBy(trades: readonly EmulatorTrade[], c: BooksCase): Record<string, number> {
  const moved: Record<string, number> = { [c.base]: 0, [c.quote]: 0 };
  for (const t of trades) {
    const sign = t.isBuyer ? 1 : -1;
    moved[c.base] += sign * t.qty;
    moved[c.quote] -= sign * t.qty * t.price;
    moved[t.commissionAsset] -= t.commission;
  }
  return moved;
}

function r8(value: number): number {
  return Number(value.toFixed(8));
}

function near(actual: number, expected: number, what: string, tolerance = 1e-9): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} != ${expected}`);
}
