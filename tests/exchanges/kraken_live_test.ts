/**
 * `tasks/trade.ts` in live mode as real processes against the Kraken emulator through CCXT's real
 * `kraken` class, on the wall clock (live refuses test clocks): 1m candles generated around now.
 * Three traders run at once, each with its own Kraken account: two SIGKILL themselves in the order
 * path (after the send, after the answer) and are restarted; all suffer the shared faults: a lost
 * AddOrder answer, a refused nonce, Kraken's rate-limit storms (`EOrder:Rate limit exceeded`,
 * `EAPI:Rate limit exceeded`, `EGeneral:Too many requests`) and 5xx pages. At the end no order
 * reached the exchange twice, and each instance's books equal its account.
 */
import assert from "node:assert/strict";
import type { EmulatorOrder } from "../support/emulator_book.ts";
import { KrakenEmulator } from "../support/kraken_emulator.ts";
import { spawnTrader, type TraderProcess, waitFor, withStore } from "../support/trader_process.ts";
import type { FailpointName } from "../../src/trader/mod.ts";
import { zigzagCsv } from "../../tools/soak/mod.ts";

const CONFIG_BODY = `exchange: kraken
symbol: BTC/USD
timeframe: 1m
mode: live
strategy:
  name: sma_cross
  params: { fast: 2, slow: 3 }
risk:
  stake_amount: 200
  stop_loss_pct: null
  take_profit_pct: null
  max_drawdown_pct: null
  daily_loss_limit_pct: null
trade:
  heartbeat_seconds: 1
  close_delay_ms: 300
`;

interface Instance {
  readonly name: string;
  readonly apiKey: string;
  readonly config: string;
  readonly env: Record<string, string>;
  process: TraderProcess;
}

const ORDER_STATUS: Record<string, string> = {
  NEW: "open",
  PARTIALLY_FILLED: "partially_filled",
  FILLED: "filled",
  CANCELED: "canceled",
  EXPIRED: "canceled",
};

Deno.test("kraken live trading: kill -9 in the order path and rate-limit storms never duplicate an order; books equal the account", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kraken_live_test_" });
  await Deno.mkdir(`${dir}/data`);
  await Deno.writeTextFile(`${dir}/data/kraken_BTC-USD_1m.csv`, zigzagCsv(Date.now()));
  const emulator = new KrakenEmulator({
    startMs: Date.now(),
    speed: 1,
    dataDir: new URL(`file://${dir}/data/`),
  });
  const url = `sqlite:${dir}/trading.db`;
  const instances: Instance[] = [];
  let passed = false;
  try {
    const points: (FailpointName | null)[] = ["order.after_send", "order.after_response", null];
    for (const [i, point] of points.entries()) {
      const name = point === null ? "kr-storm" : `kr-kill-${i}`;
      const apiKey = `kraken-key-${i}`;
      const secret = btoa(`kraken-secret-${i}-${crypto.randomUUID()}`);
      emulator.addAccount(apiKey, secret, { ZUSD: 10_000 });
      const env: Record<string, string> = {
        DATABASE_URL: url,
        LOG_DIR: `${dir}/logs`,
        KRAKEN_API_URL: emulator.url,
        KRAKEN_API_KEY: apiKey,
        KRAKEN_API_SECRET: secret,
      };
      const config = `${dir}/${name}.yaml`;
      await Deno.writeTextFile(config, `name: ${name}\n${CONFIG_BODY}`);
      const process = spawnTrader(
        config,
        point === null ? env : { ...env, TRADER_FAILPOINT: point },
      );
      instances.push({ name, apiKey, config, env, process });
    }
    const addOrder = "/0/private/AddOrder";
    emulator.addFault({ kind: "lose_response", method: "POST", path: addOrder, times: 1 });
    emulator.addFault({ kind: "rate_limit", method: "POST", path: addOrder, times: 2 });
    emulator.addFault({ kind: "clock_skew", method: "POST", path: addOrder, times: 1 });
    emulator.addFault({ kind: "rate_limit", path: "/0/private/OpenOrders", times: 3 });
    emulator.addFault({ kind: "rate_limit", path: "/0/private/BalanceEx", times: 2 });
    emulator.addFault({ kind: "rate_limit", path: "/0/public/OHLC", times: 3 });
    emulator.addFault({ kind: "http_error", status: 503, path: "/0/public/OHLC", times: 2 });
    // The failpoint traders die at their first order; restart each without the failpoint.
    for (const instance of instances.slice(0, 2)) {
      const status = await instance.process.status;
      assert.equal(status.signal, "SIGKILL", `${instance.name}: ${await instance.process.stderr}`);
      await instance.process.stdout;
      instance.process = spawnTrader(instance.config, instance.env);
    }
    for (const { name, process } of instances) {
      let exited = false;
      process.status.then(() => exited = true);
      await waitFor(`${name} reconciled with an order behind it`, async () => {
        if (exited) throw new Error(`${name} exited: ${await process.stderr}`);
        return withStore(url, (s) => {
          const orders = s.orders.recent(name, 100);
          // An order that reached the exchange: the storms may refuse a trader's first ones.
          return orders.some((o) => o.exchangeOrderId !== null) &&
            orders.every((o) => o.status !== "submitting") &&
            s.instances.get(name)?.status === "running";
        });
      }, 240_000);
    }
    // Each stops with its orders settled if it gets there within a minute (CCXT paces Kraken's
    // private calls 3 s apart, so a 1m trader is seldom idle); one sent as it stops stays in
    // flight, for the next start to resolve.
    for (const { name, process } of instances) {
      await waitFor(
        `${name} between orders`,
        () =>
          withStore(
            url,
            (s) =>
              s.orders.recent(name, 100).every((o) => !["submitting", "open"].includes(o.status)),
          ),
        60_000,
      ).catch(() => {});
      process.child.kill("SIGTERM");
    }
    for (const { name, process } of instances) {
      assert.equal((await process.status).code, 0, `${name}: ${await process.stderr}`);
    }
    const storms = emulator.requests().filter((r) => r.fault === "rate_limit").map((r) => r.error);
    assert.ok(storms.includes("EOrder:Rate limit exceeded"), "the AddOrder storm was used");
    assert.ok(storms.includes("EAPI:Rate limit exceeded"), "the API counter storm was used");
    const lost = emulator.requests().find((r) => r.fault === "lose_response");
    assert.ok(lost, "the lost-answer fault was used");
    const lostOrders = emulator.orders().filter((o) => o.clientOrderId === lost.params.cl_ord_id);
    assert.equal(lostOrders.length, 1, "the order whose answer was lost exists once");
    for (const instance of instances) assertBooksEqualAccount(emulator, url, instance);
    // Killed after the send or after the answer: the order was sent once and filled.
    for (const name of ["kr-kill-0", "kr-kill-1"]) {
      const first = withStore(url, (s) => s.orders.recent(name, 1000).at(-1)!);
      assert.equal(first.status, "filled", `${name}: ${first.clientOrderId}`);
    }
    passed = true;
  } finally {
    for (const { process } of instances) {
      try {
        process.child.kill("SIGKILL");
      } catch { /* already exited */ }
      await process.status;
    }
    await emulator.close();
    // Keep the logs, the DB and what the emulator saw of a failed run, for diagnosis.
    if (passed) await Deno.remove(dir, { recursive: true });
    else await Deno.writeTextFile(`${dir}/requests.json`, JSON.stringify(emulator.requests()));
  }
});

/**
 * Every order of the instance's account is one of its rows (same status, filled amount, Kraken
 * txid, one fill per trade), no cl_ord_id reached the exchange twice, rows not at the exchange
 * failed, and the balances the instance booked equal the account's.
 */
function assertBooksEqualAccount(emulator: KrakenEmulator, url: string, instance: Instance) {
  const { name, apiKey } = instance;
  emulator.orders(); // match up to now
  const orders = emulator.book.orders.filter((o) => o.apiKey === apiKey);
  const trades = emulator.book.trades.filter((t) => t.apiKey === apiKey);
  const clOrdId = (o: EmulatorOrder) => emulator.tags.get(o.orderId)?.clOrdId ?? null;
  const ids = orders.map(clOrdId);
  assert.ok(orders.length > 0, `${name}: orders at the exchange`);
  assert.equal(new Set(ids).size, ids.length, `${name}: an intent reached the exchange twice`);
  withStore(url, (store) => {
    const rows = store.orders.recent(name, 10_000);
    // Only the newest row may still be in flight (sent as the trader stopped); its order, if it
    // reached the exchange, is left out of the comparison with the trades it made.
    const inFlight = rows.filter((r) => r.status === "submitting" || r.status === "open");
    assert.ok(inFlight.every((r) => r === rows[0]), `${name}: only the newest row in flight`);
    const unresolved = new Set(inFlight.map((r) => r.clientOrderId));
    const settled = orders.filter((o) => !unresolved.has(clOrdId(o) ?? ""));
    for (const order of settled) {
      const row = rows.find((r) => r.clientOrderId === clOrdId(order));
      assert.ok(row, `${name}: exchange order ${clOrdId(order)} unknown to the DB`);
      assert.deepEqual(
        [row.status, row.filledBaseAmount, row.exchangeOrderId],
        [ORDER_STATUS[order.status], r8(order.executedQty), emulator.txid(order.orderId)],
        `${name}: ${row.clientOrderId}`,
      );
      assert.deepEqual(
        store.fills.byOrder(row.clientOrderId).map((f) => [f.baseAmount, f.price]),
        trades.filter((t) => t.orderId === order.orderId).map((t) => [r8(t.qty), r8(t.price)]),
        `${name}: ${row.clientOrderId}: fills are the exchange's trades`,
      );
    }
    for (const row of rows) {
      if (ids.includes(row.clientOrderId) || unresolved.has(row.clientOrderId)) continue;
      assert.ok(
        row.status === "failed" || row.status === "rejected",
        `${name}: row ${row.clientOrderId} (${row.status}) is not at the exchange`,
      );
    }
    const kernel = (store.instances.get(name)?.state as {
      kernel: { baseFree: number; quoteFree: number };
    }).kernel;
    const balances = emulator.balances(apiKey);
    const moved: Record<string, number> = { XXBT: 0, ZUSD: 0 };
    for (const t of trades.filter((t) => !settled.some((o) => o.orderId === t.orderId))) {
      const sign = t.isBuyer ? 1 : -1;
      moved.XXBT += sign * t.qty;
      moved.ZUSD -= sign * t.quoteQty + t.commission;
    }
    const total = (asset: string) =>
      (balances[asset]?.free ?? 0) + (balances[asset]?.locked ?? 0) - moved[asset];
    near(kernel.baseFree, total("XXBT"), `${name}: BTC booked vs held`, 1e-9);
    near(kernel.quoteFree, total("ZUSD"), `${name}: USD booked vs held`, 1e-4);
  });
}

function r8(value: number): number {
  return Number(value.toFixed(8));
}

function near(actual: number, expected: number, what: string, tolerance: number): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} != ${expected}`);
}
