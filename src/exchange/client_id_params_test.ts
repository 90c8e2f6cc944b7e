/**
 * What CCXT's real classes send for our client id on a create: each class signs and sends a limit
 * order to a loopback server that records the request (a stand-in for the remote exchange).
 */
import assert from "node:assert/strict";
import { clientIdParams } from "./client_id_params.ts";
import { createExchange } from "./exchange_client.ts";
import { ccxtSpotMarket } from "../../tests/support/market_fixtures.ts";

const CID = "inst-mj8k2n40-e1";

/** Sends one limit buy with our id through CCXT's class for `id`; returns the request text. */
async function sentRequest(
  id: string,
  symbol: string,
  marketId: string,
  params: (cid: string) => Record<string, string> = (cid) => clientIdParams(id, cid),
): Promise<string> {
  const seen: string[] = [];
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (req) => {
      seen.push(`${new URL(req.url).pathname}?${new URL(req.url).search} ${await req.text()}`);
      return Response.json({ error: ["EGeneral:Internal error"], retCode: 10016 }, { status: 500 });
    },
  );
  const client = createExchange(id, {
    apiUrl: `http://127.0.0.1:${server.addr.port}`,
    credentials: { apiKey: "key", secret: "c2VjcmV0" },
    retry: { maxAttempts: 1 },
  });
  client.ccxt.setMarkets([ccxtSpotMarket(marketId, symbol) as never]);
  // Bybit asks which account type the key has before its first order; say it (unified).
  Object.assign(client.ccxt.options, { enableUnifiedAccount: true, enableUnifiedMargin: false });
  await client.ccxt.createOrder(symbol, "limit", "buy", 0.001, 50_000, params(CID))
    .catch((error) => seen.push(`error: ${error}`));
  return seen.find((text) => /order/i.test(text)) ?? seen.join("\n");
}

Deno.test("clientIdParams: each seed exchange's CCXT class sends our id in its own field", async () => {
  assert.match(
    await sentRequest("binance", "BTC/USDT", "BTCUSDT"),
    /newClientOrderId=inst-mj8k2n40-e1/,
  );
  assert.match(await sentRequest("kraken", "BTC/USD", "XXBTZUSD"), /cl_ord_id=inst-mj8k2n40-e1/);
  assert.match(
    await sentRequest("coinbase", "BTC/USD", "BTC-USD"),
    /"client_order_id":"inst-mj8k2n40-e1"/,
  );
  assert.match(
    await sentRequest("bybit", "BTC/USDT", "BTCUSDT"),
    /"orderLinkId":"inst-mj8k2n40-e1"/,
  );
});

Deno.test("clientIdParams: CCXT's coinbase class drops a bare clientOrderId for its own", async () => {
  const sent = await sentRequest(
    "coinbase",
    "BTC/USD",
    "BTC-USD",
    (cid) => ({ clientOrderId: cid }),
  );
  assert.match(sent, /"client_order_id":"ccxt-[0-9a-f-]{36}"/);
  assert.ok(!sent.includes(CID));
});
