/**
 * `tasks/trade.ts` checks its config against the exchange's markets once it has them, with the
 * file's line: a symbol the exchange does not list, a stake under the market's minimum order.
 */
import assert from "node:assert/strict";
import { BinanceEmulator } from "../tests/support/binance_emulator.ts";
import { spawnTrader, withStore, writeConfig } from "../tests/support/trader_process.ts";

const CONFIG = "exchange: binance\nsymbol: BTC/USDT\ntimeframe: 1h\nstrategy:\n  name: rsi\n";

Deno.test("trade refuses a symbol or stake the exchange's markets rule out, naming the line", async () => {
  const dir = await Deno.makeTempDir({ prefix: "trade_markets_test_" });
  await using emulator = new BinanceEmulator({ startMs: Date.UTC(2024, 7, 1, 0, 30) });
  try {
    const env = {
      DATABASE_URL: `sqlite:${dir}/trading.db`,
      LOG_DIR: `${dir}/logs`,
      BINANCE_API_URL: emulator.url,
    };
    const cases: [string, string, RegExp][] = [
      [
        "unlisted",
        CONFIG.replace("BTC/USDT", "BTC/USDX"),
        /^Cannot load config "[^"]+unlisted\.yaml": line 3: symbol: BTC\/USDX is not one of the \d+ markets on binance; did you mean .*BTC\/USDT/,
      ],
      [
        "small",
        `${CONFIG}risk:\n  stake_amount: 1\n`,
        /^Cannot load config "[^"]+small\.yaml": line 8: risk\.stake_amount: 1 USDT is below the minimum order of 5 USDT for BTC\/USDT on binance$/,
      ],
    ];
    for (const [name, body, message] of cases) {
      const trader = spawnTrader(await writeConfig(dir, name, body), env);
      assert.equal((await trader.status).code, 2, name);
      // The log lines go to stderr too; the error is one line, the last.
      const lines = (await trader.stderr).trimEnd().split("\n");
      assert.match(lines.at(-1)!, message, `${name}: ${lines.join("\n")}`);
      assert.equal(lines.filter((line) => line.startsWith("Cannot")).length, 1, name);
      // Refused before the instance placed anything.
      withStore(env.DATABASE_URL, (store) => {
        assert.deepEqual(store.orders.recent(name), []);
        assert.equal(store.instances.get(name), null);
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
