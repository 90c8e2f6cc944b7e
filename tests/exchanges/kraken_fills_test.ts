/**
 * Our fills on Kraken through `CcxtExecutionClient` and CCXT's real `kraken` class: TradesHistory
 * answers the newest 50 trades (of all pairs) first and pages on by `ofs`, so more than 50 trades
 * since `since` take several pages; each fill comes back exactly once, oldest first.
 */
import assert from "node:assert/strict";
import type { Clock } from "../../src/core/ports.ts";
import { CcxtExecutionClient, createExchange, loadMarketCatalog } from "../../src/exchange/mod.ts";
import { RecordingLogger } from "../support/exchange_harness.ts";
import {
  KRAKEN_EMULATOR_API_KEY,
  KRAKEN_EMULATOR_API_SECRET,
  KrakenEmulator,
} from "../support/kraken_emulator.ts";

/** A trader's execution client on the emulator, without CCXT's 3 s pacing of private calls. */
async function execution(emulator: KrakenEmulator) {
  const client = createExchange("kraken", {
    apiUrl: emulator.url,
    credentials: { apiKey: KRAKEN_EMULATOR_API_KEY, secret: KRAKEN_EMULATOR_API_SECRET },
    logger: new RecordingLogger(),
    retry: { baseDelayMs: 1, capMs: 5 },
  });
  client.ccxt.enableRateLimit = false;
  // CCXT's kraken nonce is the millisecond; unpaced calls can share one, which Kraken refuses.
  let lastNonce = 0;
  client.ccxt.nonce = () => (lastNonce = Math.max(Date.now(), lastNonce + 1));
  const clock: Clock = { nowMs: () => emulator.clock.nowMs(), sleepUntil: () => Promise.resolve() };
  const catalog = await loadMarketCatalog(client, { nowMs: clock.nowMs() });
  return new CcxtExecutionClient(client, catalog, { clock });
}

/** `count` BTC/USD market orders a second apart (buy, sell, …), an ETH/USD one after every third. */
function trade(emulator: KrakenEmulator, count: number, prefix: string): string[] {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    emulator.advance(1000);
    const clientOrderId = `${prefix}-${i}`;
    ids.push(clientOrderId);
    const side = i % 2 === 0 ? "BUY" : "SELL";
    emulator.placeOrder({ symbol: "BTCUSD", side, type: "MARKET", quantity: 0.001, clientOrderId });
    if (i % 3 === 2) {
      emulator.placeOrder({ symbol: "ETHUSD", side, type: "MARKET", quantity: 0.01 });
    }
  }
  return ids;
}

Deno.test("kraken fills beyond one 50-trade page all come back once, oldest first", async () => {
  await using emulator = new KrakenEmulator({ publicBurst: 1000, counterMax: 10_000 });
  const venue = await execution(emulator);
  emulator.advance(5000);
  trade(emulator, 10, "old"); // before `since`: not asked for
  emulator.advance(5000);
  const sinceMs = emulator.clock.nowMs();
  const ids = trade(emulator, 120, "new");
  assert.equal(emulator.trades().length, 130 + 43);

  const fills = await venue.myFills("BTC/USD", sinceMs);
  assert.deepEqual(fills.map((f) => f.clientOrderId), ids);
  assert.equal(new Set(fills.map((f) => f.tradeId)).size, 120);
  assert.ok(fills.every((f, i) => i === 0 || f.timeMs > fills[i - 1].timeMs), "oldest first");
  const pages = emulator.requests().filter((r) => r.path === "/0/private/TradesHistory");
  assert.deepEqual(pages.map((r) => r.params.ofs), ["0", "50", "100", "150"]);
});

Deno.test("kraken fills: trades made while paging shift the pages, and a repeat counts once", async () => {
  await using emulator = new KrakenEmulator({ publicBurst: 1000, counterMax: 10_000 });
  const venue = await execution(emulator);
  const sinceMs = emulator.clock.nowMs();
  const ids = trade(emulator, 70, "a");
  // The second page's request hangs (then is dropped and asked again); meanwhile 5 more trades
  // push the list down, so the repeated page starts with trades the first page held.
  emulator.addFault({
    kind: "hang",
    path: "/0/private/TradesHistory",
    params: { ofs: "50" },
    hangMs: 300,
  });
  const pending = venue.myFills("BTC/USD", sinceMs);
  const asked = () => emulator.requests().filter((r) => r.params.ofs === "50").length;
  for (const deadline = Date.now() + 5000; asked() === 0 && Date.now() < deadline;) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const later = trade(emulator, 5, "b");
  const fills = await pending;
  assert.equal(asked(), 2, "the second page is asked, dropped, and asked again");
  const cids = fills.map((f) => f.clientOrderId);
  assert.deepEqual(cids.slice(0, 70), ids, "every earlier fill, once, oldest first");
  assert.deepEqual(new Set(cids.slice(70)).isSubsetOf(new Set(later)), true);
  assert.equal(new Set(fills.map((f) => f.tradeId)).size, fills.length, "no trade twice");
});
