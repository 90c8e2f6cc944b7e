import assert from "node:assert/strict";
import { AuthenticationError, InputError } from "../core/errors.ts";
import { BinanceEmulator } from "../../tests/support/binance_emulator.ts";
import { emulatorClient, RecordingLogger } from "../../tests/support/exchange_harness.ts";
import { createExchange, exchangeApiHosts, rewriteUrls } from "./exchange_client.ts";

Deno.test("createExchange rejects an unknown id in one line with close matches", () => {
  try {
    createExchange("binanse");
    assert.fail("expected an InputError");
  } catch (error) {
    assert.ok(error instanceof InputError);
    assert.match(
      error.message,
      /^Cannot create exchange "binanse": not a CCXT exchange id; did you mean binance/,
    );
    assert.equal(error.message.includes("\n"), false);
  }
});

Deno.test("createExchange rewrites every API URL to the base, keeps the path and warns", () => {
  const logger = new RecordingLogger();
  const client = createExchange("binance", { apiUrl: "http://127.0.0.1:9999/", logger });
  const api = client.ccxt.urls.api as unknown as Record<string, string> & {
    ws: Record<string, string>;
  };
  assert.equal(api.public, "http://127.0.0.1:9999/api/v3");
  assert.equal(api.fapiPrivate, "http://127.0.0.1:9999/fapi/v1");
  assert.equal(api.ws.spot, "ws://127.0.0.1:9999/ws", "streams follow, as ws://");
  const urls = JSON.stringify(api).match(/"[a-z]+:\/\/[^"]*"/g)!;
  assert.ok(urls.length > 20);
  assert.ok(urls.every((url) => /^"(http|ws):\/\/127\.0\.0\.1:9999\//.test(url)), urls.join());
  assert.equal(logger.at("warn").length, 1);
  assert.deepEqual(rewriteUrls({ a: { b: "https://x.com/p/q" }, n: 1 }, "http://h:1/base"), {
    a: { b: "http://h:1/base/p/q" },
    n: 1,
  });
  assert.deepEqual(
    rewriteUrls({ s: "wss://s.x.com:9443/ws", t: "ws://y/stream" }, "https://h:2"),
    { s: "wss://h:2/ws", t: "wss://h:2/stream" },
  );
});

Deno.test("createExchange sandbox is an input error where CCXT has no testnet", () => {
  assert.throws(() => createExchange("kraken", { sandbox: true }), InputError);
  const sandboxed = createExchange("binance", { sandbox: true });
  assert.match((sandboxed.ccxt.urls.api as unknown as Record<string, string>).public, /testnet/);
});

Deno.test("exchangeApiHosts lists the hosts for Deno's --allow-net", () => {
  const hosts = exchangeApiHosts("binance");
  assert.ok(hosts.includes("api.binance.com"));
  assert.ok(hosts.every((h) => !h.includes("/")));
  assert.ok(hosts.includes("stream.binance.com:9443"), "the kline stream, with its port");
  assert.deepEqual(exchangeApiHosts("kraken"), [
    "api.kraken.com",
    "beta-ws-auth.kraken.com",
    "beta-ws.kraken.com",
    "kraken.zendesk.com",
    "ws-auth.kraken.com",
    "ws.kraken.com",
  ]);
  assert.deepEqual(exchangeApiHosts("binance", { apiUrl: "http://127.0.0.1:8123" }), [
    "127.0.0.1:8123",
  ]);
});

Deno.test("a client without credentials sends no signed request (paper mode)", async () => {
  await using emulator = new BinanceEmulator();
  const client = emulatorClient(emulator);
  assert.equal(client.hasCredentials, false);
  await client.call("load markets", (ex) => ex.loadMarkets());
  await client.call("fetch candles", (ex) => ex.fetchOHLCV("BTC/USDT", "1h", undefined, 5));
  await assert.rejects(
    client.call("fetch balance", (ex) => ex.fetchBalance()),
    AuthenticationError,
  );
  await assert.rejects(
    client.call("create order", (ex) => ex.createOrder("BTC/USDT", "market", "buy", 0.01)),
    AuthenticationError,
  );
  const requests = emulator.requests();
  assert.deepEqual(requests.map((r) => r.path), ["/api/v3/exchangeInfo", "/api/v3/klines"]);
  assert.equal(requests.filter((r) => r.signed || r.hasApiKey).length, 0);
});
