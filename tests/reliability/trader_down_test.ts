/**
 * What happens while a live trader is down, and orders it did not make: real `tasks/trade.ts`
 * processes (wall clock, 1m candles that fall for hours and turn up once, so SMA 2/3 enters once
 * and holds) against the emulator, one account and symbol per trader, all at once. Each enters at
 * the same close and rests its stop on the exchange (`risk.stop_on_exchange`). Then, with the
 * trader stopped (SIGTERM or SIGKILL), the market falls through the stop (it fills), or falls
 * through it in a thin book (two trades, the rest EXPIRED), or the exchange expires or cancels the
 * stop, or a person buys at market and places a limit order on the web. Each restart must end with
 * orders, fills, trades, position and balances equal to the exchange's; the person's orders pause
 * the instance and are never stored nor cancelled. One more trader stays up while a person's order
 * appears and pauses at the next close.
 */
import assert from "node:assert/strict";
import { BinanceEmulator } from "../support/binance_emulator.ts";
import { spawnTrader, type TraderProcess, waitFor, withStore } from "../support/trader_process.ts";
import { assertBooksMatchExchange, type BooksCase } from "./books_vs_exchange.ts";
import { firstEntryCloseMs } from "./kill_plan.ts";

const MINUTE_MS = 60_000;

/** One trader: its market, and what happens to it. */
interface Scenario extends BooksCase {
  readonly price: number;
  /** How it is stopped before the exchange acts; null: it stays up. */
  readonly stop: "SIGTERM" | "SIGKILL" | null;
  process?: TraderProcess;
  stopId?: string;
}

const SCENARIOS: Scenario[] = [
  scenario("down-fill", "BTC", "USDT", 60_000, "SIGTERM"),
  scenario("down-partial", "SOL", "USDT", 150, "SIGKILL"),
  scenario("down-expire", "ETH", "USDT", 3_000, "SIGKILL"),
  scenario("down-cancel", "BNB", "USDT", 500, "SIGTERM"),
  scenario("down-manual", "BTC", "USDC", 60_000, "SIGTERM"),
  scenario("up-manual", "BTC", "USDC", 60_000, null),
];

function scenario(
  name: string,
  base: string,
  quote: string,
  price: number,
  stop: Scenario["stop"],
): Scenario {
  return { name, apiKey: `${name}-key`, symbol: base + quote, base, quote, price, stop };
}

/**
 * 1m candles from 4 h before `nowMs` to 20 minutes after: closes fall by 0.02 % a minute until the
 * candle closing at `entryAtMs`, which jumps up 0.08 %, and rise after, so SMA 2/3 crosses once.
 */
function turnUpCsv(nowMs: number, entryAtMs: number, price: number): string {
  const step = price * 0.0002;
  const entryIndex = entryAtMs / MINUTE_MS - 1;
  const close = (m: number) => {
    const k = m - entryIndex;
    return round2(k < 0 ? price - step * k : price + step * (4 + k));
  };
  const lines = ["timestamp,open,high,low,close,volume"];
  const first = Math.floor(nowMs / MINUTE_MS) - 240;
  for (let m = first; m < first + 260; m++) {
    const [open, last] = [close(m - 1), close(m)];
    const [high, low] = [Math.max(open, last) + step / 2, Math.min(open, last) - step / 2];
    lines.push(`${m * MINUTE_MS},${open},${round2(high)},${round2(low)},${last},1`);
  }
  return lines.join("\n") + "\n";
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function config(s: Scenario): string {
  return `name: ${s.name}
exchange: binance
symbol: ${s.base}/${s.quote}
timeframe: 1m
mode: live
strategy:
  name: sma_cross
  params: { fast: 2, slow: 3 }
risk:
  stake_amount: 200
  stop_loss_pct: 1
  take_profit_pct: null
  stop_on_exchange: true
  max_drawdown_pct: null
  daily_loss_limit_pct: null
trade:
  heartbeat_seconds: 1
  close_delay_ms: 300
`;
}

Deno.test("trader down: a stop that fills, fills in part or is ended by the exchange, and orders the trader did not make, end with the books equal to the exchange", async () => {
  const dir = await Deno.makeTempDir({ prefix: "trader_down_" });
  await Deno.mkdir(`${dir}/data`);
  const entryAtMs = firstEntryCloseMs(Date.now(), 25_000);
  for (const s of SCENARIOS) {
    const file = `${dir}/data/binance_${s.base}-${s.quote}_1m.csv`;
    await Deno.writeTextFile(file, turnUpCsv(Date.now(), entryAtMs, s.price));
  }
  const emulator = new BinanceEmulator({
    startMs: Date.now(),
    speed: 1,
    dataDir: new URL(`file://${dir}/data/`),
  });
  const url = `sqlite:${dir}/trading.db`;
  const spawn = (s: Scenario) =>
    s.process = spawnTrader(`${dir}/${s.name}.yaml`, {
      DATABASE_URL: url,
      LOG_DIR: `${dir}/logs`,
      BINANCE_API_URL: emulator.url,
      BINANCE_API_KEY: s.apiKey,
      BINANCE_API_SECRET: `${s.name}-secret`,
    });
  const byName = (name: string) => SCENARIOS.find((s) => s.name === name)!;
  const row = (name: string) => withStore(url, (store) => store.instances.get(name));
  const orderRow = (cid: string) => withStore(url, (store) => store.orders.findByClientId(cid));
  const stopsAtExchange = (s: Scenario) =>
    emulator.orders().filter((o) =>
      o.clientOrderId.startsWith(`${s.name}-`) && o.type === "STOP_LOSS" && o.status === "NEW"
    );
  let passed = false;
  try {
    for (const s of SCENARIOS) {
      emulator.addAccount(s.apiKey, `${s.name}-secret`, { [s.quote]: 10_000 });
      await Deno.writeTextFile(`${dir}/${s.name}.yaml`, config(s));
      spawn(s);
    }
    for (const s of SCENARIOS) {
      s.stopId = await waitFor(`${s.name} entered and rests its stop on the exchange`, () => {
        const [stop] = stopsAtExchange(s);
        return stop !== undefined && orderRow(stop.clientOrderId)?.status === "open" &&
          stop.clientOrderId;
      }, entryAtMs - Date.now() + 40_000);
    }
    for (const s of SCENARIOS.filter((s) => s.stop !== null)) {
      s.process!.child.kill(s.stop!);
      const status = await s.process!.status;
      if (s.stop === "SIGTERM") assert.equal(status.code, 0, await s.process!.stderr);
      else assert.equal(status.signal, "SIGKILL");
    }
    // While they are down: the exchange ends two stops, a person trades on down-manual's account.
    const expire = byName("down-expire");
    emulator.expireOrder(expire.stopId!, "EXPIRED", expire.apiKey);
    const cancel = byName("down-cancel");
    emulator.expireOrder(cancel.stopId!, "CANCELED", cancel.apiKey);
    const manual = byName("down-manual");
    const bought = emulator.placeOrder(
      { symbol: "BTCUSDC", side: "BUY", type: "MARKET", quantity: 0.001 },
      manual.apiKey,
    );
    const web = emulator.placeOrder({
      symbol: "BTCUSDC",
      side: "BUY",
      type: "LIMIT",
      quantity: 0.001,
      price: 50_000,
      clientOrderId: "web_3fa94c1e",
    }, manual.apiKey);
    for (const s of [expire, cancel, manual]) spawn(s);
    // Noticed at start, not at the next close: the first status after `starting` is `paused`.
    const restarted = await waitFor("down-manual started again", () => {
      const r = row(manual.name);
      return r?.pid === manual.process!.child.pid && r.status !== "starting" && r;
    }, 60_000);
    assert.equal(restarted.status, "paused");
    for (const id of [bought.clientOrderId, "web_3fa94c1e"]) {
      assert.ok(restarted.statusReason?.includes(id), `${restarted.statusReason} names ${id}`);
    }
    // And on the trader that stays up.
    const up = byName("up-manual");
    const upWeb = emulator.placeOrder({
      symbol: "BTCUSDC",
      side: "BUY",
      type: "LIMIT",
      quantity: 0.002,
      price: 55_000,
      clientOrderId: "web_77d0b2a5",
    }, up.apiKey);
    // The market falls through two stops in the next candle, one of them in a thin book.
    const fill = byName("down-fill");
    const partial = byName("down-partial");
    emulator.setDepth(partial.symbol, { levelBaseAmount: 0.4, levels: 2 });
    for (const s of [fill, partial]) {
      emulator.patchCandle(s.symbol, "1m", entryAtMs + MINUTE_MS, { low: s.price / 2 });
    }
    await waitFor(
      "the market fell through both stops",
      () => stopsAtExchange(fill).length === 0 && stopsAtExchange(partial).length === 0,
      90_000,
    );
    for (const s of [fill, partial]) spawn(s);

    const running = (name: string) => row(name)?.status === "running";
    await waitFor(
      "down-fill booked its stop's fill",
      () => running("down-fill") && orderRow(fill.stopId!)?.status === "filled",
      60_000,
    );
    for (const s of [partial, expire, cancel]) {
      await waitFor(`${s.name} booked its old stop and rests a new one`, () => {
        const [again] = stopsAtExchange(s);
        return running(s.name) && orderRow(s.stopId!)?.status === "canceled" &&
          again !== undefined && again.clientOrderId !== s.stopId &&
          orderRow(again.clientOrderId)?.status === "open";
      }, 60_000);
    }
    const paused = (s: Scenario, ...ids: string[]) =>
      waitFor(`${s.name} paused for the orders it did not make`, () => {
        const r = row(s.name);
        return r?.status === "paused" && ids.every((id) => r.lastError?.includes(id)) && r;
      }, 90_000);
    const manualRow = await paused(manual, bought.clientOrderId, "web_3fa94c1e");
    assert.match(
      manualRow.lastError!,
      /not made by this instance: .*left alone, new entries paused/,
    );
    assert.equal(manualRow.statusReason, manualRow.lastError);
    const upRow = await paused(up, "web_77d0b2a5");
    assert.ok(upRow.heartbeatMs >= entryAtMs + MINUTE_MS, "noticed at the next close");

    for (const s of SCENARIOS) s.process!.child.kill("SIGTERM");
    for (const s of SCENARIOS) {
      assert.equal((await s.process!.status).code, 0, `${s.name}: ${await s.process!.stderr}`);
    }
    const books = Object.fromEntries(
      SCENARIOS.map((s) => [s.name, assertBooksMatchExchange(emulator, url, s)]),
    );
    const trades = (name: string) => withStore(url, (store) => store.trades.recent(name));
    // down-fill: the stop sold everything at its price; one closed trade, nothing open.
    const stopFill = books["down-fill"].ours.find((o) => o.clientOrderId === fill.stopId)!;
    assert.equal(stopFill.status, "FILLED");
    const [closed] = trades("down-fill");
    assert.deepEqual([closed.exitReason, closed.exitClientOrderId], ["stop_loss", fill.stopId]);
    const [stopTrade] = emulator.trades().filter((t) => t.orderId === stopFill.orderId);
    assert.ok(Math.abs(closed.exitPrice - stopTrade.price) < 1e-6, `${closed.exitPrice}`);
    assert.equal(stopsAtExchange(fill).length, 0);
    // down-partial: two trades, the rest expired, the rest of the position under a new stop.
    const stopPart = books["down-partial"].ours.find((o) => o.clientOrderId === partial.stopId)!;
    assert.deepEqual([stopPart.status, stopPart.executedQty], ["EXPIRED", 0.8]);
    assert.equal(emulator.trades().filter((t) => t.orderId === stopPart.orderId).length, 2);
    assert.deepEqual(trades("down-partial"), []);
    for (const s of [partial, expire, cancel]) {
      assert.equal(stopsAtExchange(s).length, 1, `${s.name}: one stop rests`);
      assert.match(orderRow(stopsAtExchange(s)[0].clientOrderId)!.reason ?? "", /^stop_loss/);
    }
    // The persons' orders: never stored, never cancelled; no entry was sent after them.
    assert.deepEqual(books["down-manual"].foreign.map((o) => [o.clientOrderId, o.status]), [
      [bought.clientOrderId, "FILLED"],
      [web.clientOrderId, "NEW"],
    ]);
    assert.deepEqual(books["up-manual"].foreign.map((o) => [o.orderId, o.status]), [
      [upWeb.orderId, "NEW"],
    ]);
    passed = true;
  } finally {
    for (const s of SCENARIOS) {
      try {
        s.process?.child.kill("SIGKILL");
      } catch { /* already exited */ }
      await s.process?.status;
    }
    await emulator.close();
    // Keep the logs and DB of a failed run for diagnosis.
    if (passed) await Deno.remove(dir, { recursive: true });
  }
});
