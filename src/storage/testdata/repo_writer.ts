/**
 * Child process for the repository concurrency test: one instance's order path, N times, through
 * the order, fill and instance repositories, one transaction per step as the trader does:
 * read the instance's state, insert an order, fill it, store the fill, heartbeat the new state.
 * Each step also checks the other writers' last steps, which are whole unless a step could be
 * seen half-written. Waits for `<barrier>/go` before the first step, so that writers overlap.
 *
 * Usage: repo_writer.ts URL WRITER STEPS BARRIER_DIR WRITERS (comma-separated names)
 */
import type { Fill } from "../../core/types.ts";
import type { InstanceRecord } from "../instance_repo.ts";
import type { OrderPatch, OrderRecord } from "../order_repo.ts";
import { openStore, type Store } from "../store.ts";

/** What one writer reports on stdout, as JSON. */
export interface WriterReport {
  readonly writer: string;
  readonly errors: number;
  /** Other writers' steps seen half-written (an order beyond the state, or without its fill). */
  readonly torn: number;
  /** Wall times of the first and the last committed step. */
  readonly firstWriteMs: number;
  readonly lastWriteMs: number;
}

/** The client order id of step `n` of `writer`. */
export function stepOrderId(writer: string, n: number): string {
  return `${writer}-${n}`;
}

/** The order step `n` of `writer` inserts, still `submitting`. */
export function stepOrder(writer: string, n: number): OrderRecord {
  return {
    clientOrderId: stepOrderId(writer, n),
    instance: writer,
    exchange: "binance",
    exchangeOrderId: null,
    symbol: "BTC/USDT",
    side: n % 2 === 0 ? "buy" : "sell",
    type: "market",
    baseAmount: (n + 1) / 1000,
    price: null,
    status: "submitting",
    filledBaseAmount: 0,
    averagePrice: null,
    feeQuote: 0,
    intent: n % 2 === 0 ? "enter" : "exit",
    reason: `step ${n} of ${writer}`,
    candleTimeMs: n * 60_000,
    createdMs: n,
    updatedMs: n,
    error: null,
  };
}

/** The update that fills step `n`'s order. */
export function stepFilled(writer: string, n: number): OrderPatch {
  return {
    status: "filled",
    exchangeOrderId: `x-${writer}-${n}`,
    filledBaseAmount: (n + 1) / 1000,
    averagePrice: 60_000 + n,
    feeQuote: (n + 1) / 100,
    feeBaseAmount: 0,
    updatedMs: n + 1,
  };
}

/** The fill of step `n`'s order. */
export function stepFill(writer: string, n: number): Fill {
  return {
    clientOrderId: stepOrderId(writer, n),
    tradeId: `t-${writer}-${n}`,
    timeMs: n * 60_000 + 1,
    side: n % 2 === 0 ? "buy" : "sell",
    price: 60_000 + n,
    baseAmount: (n + 1) / 1000,
    feeQuote: (n + 1) / 100,
    feeBaseAmount: 0,
  };
}

/** The instance row a writer registers before its first step. */
export function writerInstance(writer: string): InstanceRecord {
  return {
    name: writer,
    exchange: "binance",
    symbol: "BTC/USDT",
    timeframe: "1m",
    strategy: "sma_cross",
    mode: "paper",
    status: "running",
    statusReason: null,
    pid: null,
    startedMs: 0,
    heartbeatMs: 0,
    equityQuote: null,
    quoteBalance: null,
    positionBase: 0,
    entryPrice: null,
    lastPrice: null,
    realizedPnlQuote: 0,
    lastSignal: null,
    lastSignalMs: null,
    openOrders: 0,
    lastError: null,
    state: { steps: 0 },
    config: null,
  };
}

/** Steps `writer` has stored; 0 before it registered. */
function stepsOf(store: Store, writer: string): number {
  return (store.instances.get(writer)?.state as { steps: number } | undefined)?.steps ?? 0;
}

/** Whether `other`'s last step is whole: its order filled with its fill, and no order beyond. */
function wholeStep(store: Store, other: string): boolean {
  const steps = stepsOf(store, other);
  if (store.orders.findByClientId(stepOrderId(other, steps)) !== null) return false;
  if (steps === 0) return true;
  const last = stepOrderId(other, steps - 1);
  return store.orders.findByClientId(last)?.status === "filled" &&
    store.fills.byOrder(last).length === 1;
}

function step(store: Store, writer: string, others: readonly string[]): number {
  return store.transaction(() => {
    // Read then write: the pattern a deferred transaction fails at once under concurrency.
    const n = stepsOf(store, writer);
    store.orders.insert(stepOrder(writer, n));
    store.orders.update(stepOrderId(writer, n), stepFilled(writer, n));
    store.fills.insert(writer, stepFill(writer, n));
    store.instances.heartbeat(writer, Date.now(), { state: { steps: n + 1 } });
    return others.filter((other) => !wholeStep(store, other)).length;
  });
}

async function waitForFile(path: string): Promise<void> {
  for (;;) {
    try {
      await Deno.stat(path);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
}

async function main(): Promise<void> {
  const [url, writer, stepsText, barrier, writersText] = Deno.args;
  const others = writersText.split(",").filter((name) => name !== writer);
  const store = openStore(url);
  store.instances.upsert(writerInstance(writer));
  await Deno.writeTextFile(`${barrier}/ready-${writer}`, "");
  await waitForFile(`${barrier}/go`);
  let [errors, torn, firstWriteMs, lastWriteMs] = [0, 0, 0, 0];
  for (let i = 0; i < Number(stepsText); i++) {
    try {
      torn += step(store, writer, others);
      lastWriteMs = Date.now();
      if (firstWriteMs === 0) firstWriteMs = lastWriteMs;
    } catch {
      errors++;
    }
    // A trader thinks between steps. Without a pause the writer holding the lock takes it again
    // before SQLite's busy handler wakes the others, and the processes end up taking turns.
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  store.close();
  const report: WriterReport = { writer, errors, torn, firstWriteMs, lastWriteMs };
  await Deno.stdout.write(new TextEncoder().encode(JSON.stringify(report)));
}

if (import.meta.main) await main();
