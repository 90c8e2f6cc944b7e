/**
 * Child process for the rate budget test: sends Binance kline requests through a real CCXT client
 * as fast as CCXT's own throttle allows, for a while, with or without the shared budget.
 * `deno run -A tests/support/rate_budget_hammer.ts API_URL DATABASE_URL|none SHARE DURATION_MS`
 * Prints `{"ok": n, "limited": n, "failed": n}`; stops at the first 429 when run without a budget.
 */
import { TransientExchangeError } from "../../src/core/errors.ts";
import { createExchange } from "../../src/exchange/mod.ts";
import { openStore } from "../../src/storage/mod.ts";

const SILENT = { debug() {}, info() {}, warn() {}, error() {} };

if (import.meta.main) await main(Deno.args);

async function main([apiUrl, databaseUrl, shareText, durationText]: string[]): Promise<void> {
  const store = databaseUrl === "none" ? null : openStore(databaseUrl);
  const client = createExchange("binance", {
    apiUrl,
    logger: SILENT,
    timeoutMs: 5_000,
    rateBudget: store ? { store: store.rateBudget, share: Number(shareText) } : null,
  });
  const counts = { ok: 0, limited: 0, failed: 0 };
  const deadlineMs = Date.now() + Number(durationText);
  while (Date.now() < deadlineMs) {
    try {
      // An implicit endpoint: CCXT prices it (cost 0.4 = weight 2) without loading markets.
      await client.once(
        "fetch klines",
        (ex) =>
          (ex as unknown as { publicGetKlines(p: object): Promise<unknown> }).publicGetKlines({
            symbol: "BTCUSDT",
            interval: "1h",
            limit: 5,
          }),
      );
      counts.ok++;
    } catch (error) {
      const limited = error instanceof TransientExchangeError && error.retryAfterMs !== null;
      counts[limited ? "limited" : "failed"]++;
      if (limited && !store) break;
    }
  }
  store?.close();
  await Deno.stdout.write(new TextEncoder().encode(JSON.stringify(counts)));
}
