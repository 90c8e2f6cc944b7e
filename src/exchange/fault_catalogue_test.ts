/**
 * The exchange fault catalogue: every fault the emulator can inject, against a
 * real CCXT client, for an idempotent read and for an order create, with the behaviour we promise.
 * The fault table in docs/reliability.md is the specification; each row here asserts one of its lines.
 */
import assert from "node:assert/strict";
import {
  ClockSkewError,
  OrderRejectedError,
  TradingError,
  TransientExchangeError,
} from "../core/errors.ts";
import { BinanceEmulator } from "../../tests/support/binance_emulator.ts";
import type { FaultSpec } from "../../tests/support/emulator_faults.ts";
import {
  emulatorClient,
  followingClock,
  RecordingLogger,
  recordingSleep,
} from "../../tests/support/exchange_harness.ts";
import { CcxtExecutionClient } from "./ccxt_execution_client.ts";
import { loadMarketCatalog } from "./market_catalog.ts";

/** A read hit once by `fault`: retried, after Retry-After when the exchange sent one. */
const READ_FAULTS: { name: string; fault: FaultSpec; path: string; firstDelayMs?: number }[] = [
  {
    name: "429 + Retry-After",
    fault: { kind: "rate_limit", retryAfterSec: 7 },
    path: "klines",
    firstDelayMs: 7_000,
  },
  {
    name: "418 ban + Retry-After",
    fault: { kind: "ban", retryAfterSec: 120 },
    path: "klines",
    firstDelayMs: 120_000,
  },
  { name: "500 HTML page", fault: { kind: "http_error", status: 500 }, path: "klines" },
  { name: "502 HTML page", fault: { kind: "http_error", status: 502 }, path: "klines" },
  { name: "503 HTML page", fault: { kind: "http_error", status: 503 }, path: "klines" },
  { name: "timeout", fault: { kind: "hang", hangMs: 3_000 }, path: "klines" },
  { name: "dropped connection", fault: { kind: "drop" }, path: "klines" },
  { name: "malformed JSON", fault: { kind: "malformed_json" }, path: "klines" },
  { name: "-1021 clock skew", fault: { kind: "clock_skew" }, path: "account" },
];

for (const { name, fault, path, firstDelayMs } of READ_FAULTS) {
  Deno.test(`fault catalogue read: ${name} is retried and then succeeds`, async () => {
    await using emulator = new BinanceEmulator();
    const logger = new RecordingLogger();
    const { delays, sleep } = recordingSleep();
    const client = emulatorClient(emulator, {
      keys: true,
      timeoutMs: 400,
      logger,
      retry: { sleep, rng: () => 0, baseDelayMs: 500, capMs: 30_000 },
    });
    emulator.addFault({ ...fault, path: `/api/v3/${path}` });
    const result = path === "account"
      ? await client.call("fetch balance", (ex) => ex.fetchBalance())
      : await client.call("fetch candles", (ex) => ex.fetchOHLCV("BTC/USDT", "1h", undefined, 5));
    assert.ok(result, "a result after the retry");
    const hits = emulator.requests().filter((r) => r.path === `/api/v3/${path}`);
    assert.equal(hits.length, 2, "one failed attempt, one good one");
    assert.equal(hits[0].fault, fault.kind);
    assert.equal(delays.length, 1);
    assert.equal(delays[0], firstDelayMs ?? 250, "Retry-After wins over the backoff");
    const warned = logger.at("warn").filter((l) => l.message.startsWith("Retrying"));
    assert.equal(warned.length, 1);
    if (fault.kind === "clock_skew") {
      assert.ok(emulator.requests().some((r) => r.path === "/api/v3/time"), "resynced");
    }
  });
}

Deno.test("fault catalogue read: a fault that persists fails after maxAttempts with one line", async () => {
  await using emulator = new BinanceEmulator();
  const { delays, sleep } = recordingSleep();
  const client = emulatorClient(emulator, { retry: { sleep, maxAttempts: 4 } });
  await client.call("load markets", (ex) => ex.loadMarkets(true));
  emulator.clearRequests();
  emulator.addFault({ kind: "http_error", status: 503, times: -1 });
  await assert.rejects(
    client.call("fetch candles", (ex) => ex.fetchOHLCV("BTC/USDT", "1h", undefined, 5)),
    (error: unknown) =>
      error instanceof TransientExchangeError && /^Cannot fetch candles: /.test(error.message) &&
      !error.message.includes("\n"),
  );
  assert.equal(delays.length, 3);
  assert.equal(emulator.requests().length, 4);
});

Deno.test("fault catalogue read: a failed first market load is retried over the network", async () => {
  await using emulator = new BinanceEmulator();
  const { sleep } = recordingSleep();
  const client = emulatorClient(emulator, { retry: { sleep } });
  emulator.addFault({ kind: "http_error", status: 503, path: "/api/v3/exchangeInfo", times: 2 });
  // CCXT keeps a failed implicit loadMarkets() promise and hands it out again without a request;
  // loadMarketCatalog reloads explicitly, so each retry really asks the exchange.
  const catalog = await loadMarketCatalog(client, { nowMs: emulator.clock.nowMs() });
  assert.equal(catalog.market("BTC/USDT").quote, "USDT");
  const loads = emulator.requests().filter((r) => r.path === "/api/v3/exchangeInfo");
  assert.deepEqual(loads.map((r) => r.status), [503, 503, 200]);
});

/** What an order create does under each fault: how often it is sent, and what comes back. */
const CREATE_FAULTS: {
  name: string;
  fault: FaultSpec;
  posts: number;
  orders: number;
  outcome: "filled" | "not resent" | "rejected";
}[] = [
  {
    name: "429",
    fault: { kind: "rate_limit", retryAfterSec: 0 },
    posts: 2,
    orders: 1,
    outcome: "filled",
  },
  {
    name: "418 ban",
    fault: { kind: "ban", retryAfterSec: 0 },
    posts: 2,
    orders: 1,
    outcome: "filled",
  },
  {
    name: "500",
    fault: { kind: "http_error", status: 500 },
    posts: 1,
    orders: 0,
    outcome: "not resent",
  },
  {
    name: "502",
    fault: { kind: "http_error", status: 502 },
    posts: 1,
    orders: 0,
    outcome: "not resent",
  },
  {
    name: "503",
    fault: { kind: "http_error", status: 503 },
    posts: 1,
    orders: 0,
    outcome: "not resent",
  },
  {
    name: "executed, then 502",
    fault: { kind: "executed_http_error" },
    posts: 1,
    orders: 1,
    outcome: "filled",
  },
  {
    name: "timeout",
    fault: { kind: "hang", hangMs: 3_000 },
    posts: 1,
    orders: 0,
    outcome: "not resent",
  },
  {
    name: "dropped connection",
    fault: { kind: "drop" },
    posts: 1,
    orders: 0,
    outcome: "not resent",
  },
  {
    name: "malformed JSON",
    fault: { kind: "malformed_json" },
    posts: 1,
    orders: 1,
    outcome: "filled",
  },
  {
    name: "-1021 clock skew",
    fault: { kind: "clock_skew" },
    posts: 2,
    orders: 1,
    outcome: "filled",
  },
  {
    name: "insufficient balance",
    fault: { kind: "insufficient_balance" },
    posts: 1,
    orders: 0,
    outcome: "rejected",
  },
  {
    name: "lost response (cut)",
    fault: { kind: "lose_response" },
    posts: 1,
    orders: 1,
    outcome: "filled",
  },
  {
    name: "lost response (timeout)",
    fault: { kind: "lose_response", then: "hang", hangMs: 3_000 },
    posts: 1,
    orders: 1,
    outcome: "filled",
  },
];

for (const { name, fault, posts, orders, outcome } of CREATE_FAULTS) {
  Deno.test(`fault catalogue order create: ${name} → sent ${posts}×, ${orders} order, ${outcome}`, async () => {
    await using emulator = new BinanceEmulator({ balances: { USDT: 10_000 } });
    const client = emulatorClient(emulator, { keys: true, timeoutMs: 400 });
    const clock = followingClock(emulator);
    const execution = new CcxtExecutionClient(
      client,
      await loadMarketCatalog(client, { nowMs: clock.nowMs() }),
      {
        clock,
      },
    );
    emulator.addFault({ ...fault, method: "POST", path: "/api/v3/order" });
    const request = {
      symbol: "BTC/USDT",
      side: "buy",
      type: "market",
      baseAmount: 0.01,
      price: null,
      clientOrderId: "fault-1",
    } as const;
    const result = await execution.submit(request).catch((error: unknown) => error);
    if (outcome === "filled") {
      assert.equal((result as { status?: string }).status, "filled", String(result));
    } else if (outcome === "rejected") {
      assert.ok(result instanceof OrderRejectedError, String(result));
    } else {
      assert.ok(result instanceof TransientExchangeError && /not resent/.test(result.message));
    }
    if (result instanceof TradingError) assert.equal(result.message.includes("\n"), false);
    const sent = emulator.requests().filter((r) => r.method === "POST");
    assert.ok(sent.some((r) => r.fault === fault.kind), `the ${fault.kind} fault was met`);
    assert.equal(sent.length, posts);
    assert.equal(emulator.orders().length, orders);
    assert.ok(emulator.orders().every((o) => o.clientOrderId === "fault-1"));
    // What the order manager reconciles with after a restart: the exchange's view by client id.
    const known = await execution.fetchOrder("fault-1", "BTC/USDT");
    assert.equal(known === null ? 0 : 1, orders);
  });
}

Deno.test("fault catalogue order create: executed, then 503, visible 30 s later → sent 1×, 1 order, not resent, found by client id once visible", async () => {
  await using emulator = new BinanceEmulator({ balances: { USDT: 10_000 } });
  const client = emulatorClient(emulator, { keys: true, timeoutMs: 400 });
  const clock = followingClock(emulator);
  const catalog = await loadMarketCatalog(client, { nowMs: clock.nowMs() });
  const execution = new CcxtExecutionClient(client, catalog, { clock });
  emulator.addFault({
    kind: "executed_http_error",
    status: 503,
    method: "POST",
    path: "/api/v3/order",
  });
  emulator.addFault({
    kind: "visible_after",
    visibleAfterMs: 30_000,
    method: "POST",
    path: "/api/v3/order",
  });
  const request = {
    symbol: "BTC/USDT",
    side: "buy",
    type: "market",
    baseAmount: 0.01,
    price: null,
    clientOrderId: "late-1",
  } as const;
  const result = await execution.submit(request).catch((error: unknown) => error);
  assert.ok(result instanceof TransientExchangeError && /not resent/.test(result.message));
  assert.equal(emulator.orders().length, 1, "executed at the exchange");
  // Hidden from every lookup, though the balance already moved.
  assert.equal(await execution.fetchOrder("late-1", "BTC/USDT"), null);
  assert.deepEqual(await execution.openOrders("BTC/USDT"), []);
  assert.deepEqual(await execution.myFills("BTC/USDT", 0), []);
  assert.ok((await execution.balances("BTC/USDT")).baseTotal > 0);
  emulator.advance(29_000);
  assert.equal(await execution.fetchOrder("late-1", "BTC/USDT"), null);
  emulator.advance(1_000);
  const found = await execution.fetchOrder("late-1", "BTC/USDT");
  assert.equal(found?.status, "filled");
  assert.equal((await execution.myFills("BTC/USDT", 0)).length, 1);
  assert.equal(emulator.requests().filter((r) => r.method === "POST").length, 1);
});

Deno.test("fault catalogue: ClockSkewError is transient, so only the clock resync path retries it", () => {
  assert.ok(new ClockSkewError("x") instanceof TransientExchangeError);
});
