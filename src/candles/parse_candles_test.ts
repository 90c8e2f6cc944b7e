import assert from "node:assert/strict";
import { DataError } from "../core/errors.ts";
import { BAD_CANDLE_FILES, goodCandleCsv } from "./bad_csv_cases.ts";
import { formatCandleCsv, parseCandles } from "./mod.ts";

for (const bad of BAD_CANDLE_FILES) {
  Deno.test(`parseCandles rejects ${bad.name} with a one-line DataError`, () => {
    assert.throws(
      () => parseCandles(bad.bytes, { file: `${bad.name}.csv`, timeframe: "1h" }),
      (error: unknown) => {
        assert.ok(error instanceof DataError, String(error));
        assert.equal(error.exitCode, 2);
        assert.match(error.message, new RegExp(`^Cannot import "${bad.name}\\.csv": `));
        assert.match(error.message, bad.error);
        assert.equal(error.message.includes("\n"), false);
        return true;
      },
    );
  });
}

Deno.test("parseCandles with skipInvalid skips and counts bad rows", () => {
  const lines = new TextDecoder().decode(goodCandleCsv(5)).split("\n");
  lines.splice(3, 0, "1720576800000,100,80,90,85,1", "oops");
  const parsed = parseCandles(new TextEncoder().encode(lines.join("\n")), {
    file: "x.csv",
    timeframe: "1h",
    skipInvalid: true,
  });
  assert.equal(parsed.rows.length, 5);
  assert.deepEqual(parsed.skipped.map((s) => s.line), [4, 5]);
  assert.match(parsed.skipped[0].message, /line 4: high: is below low/);
});

Deno.test("parseCandles reads freqtrade JSON and reports rows", () => {
  const json = JSON.stringify([[1720569600000, 1, 2, 0.5, 1.5, 10], [
    1720573200000,
    1.5,
    2,
    1,
    1.2,
    0,
  ]]);
  const parsed = parseCandles(new TextEncoder().encode(json), { file: "x.json", timeframe: "1h" });
  assert.deepEqual(parsed.rows, [[1720569600000, 1, 2, 0.5, 1.5, 10], [
    1720573200000,
    1.5,
    2,
    1,
    1.2,
    0,
  ]]);
  const bad = JSON.stringify([[1720569600000, 1, 2, 0.5, 1.5, 10], [
    1720573200000,
    "x",
    2,
    1,
    1.2,
    0,
  ]]);
  assert.throws(
    () => parseCandles(new TextEncoder().encode(bad), { file: "x.json", timeframe: "1h" }),
    /Cannot import "x.json": row 2: open: not a number/,
  );
});

Deno.test("formatCandleCsv round-trips the bundled sample byte for byte", async () => {
  const bytes = await Deno.readFile(
    new URL("../../data/samples/kraken_BTC-USD_15m.csv", import.meta.url),
  );
  const parsed = parseCandles(bytes, { file: "k.csv", timeframe: "15m" });
  assert.equal(parsed.rows.length, 8635);
  assert.equal(formatCandleCsv(parsed.rows), new TextDecoder().decode(bytes));
});

Deno.test("parseCandles keeps the real gaps of the bundled ETH/USDT 15m file", async () => {
  const { findGaps } = await import("../timeframes/mod.ts");
  const bytes = await Deno.readFile(
    new URL("../../data/samples/binance_ETH-USDT_15m.csv", import.meta.url),
  );
  const { rows } = parseCandles(bytes, { file: "eth.csv", timeframe: "15m" });
  const gaps = findGaps(rows.map((r) => r[0]), "15m");
  assert.deepEqual(gaps.map((g) => g.missing), [5, 6, 10, 18]);
  assert.equal(new Date(gaps[3].fromMs).toISOString(), "2021-04-25T04:15:00.000Z");
});
