import assert from "node:assert/strict";
import { candleFromRow, candleToRow } from "./candle_row.ts";

Deno.test("candleFromRow and candleToRow convert both ways without loss", () => {
  const row: [number, number, number, number, number, number] = [
    1_720_569_600_000,
    57_000.5,
    57_100,
    56_900.25,
    57_050,
    12.5,
  ];
  const candle = candleFromRow(row);
  assert.deepEqual(candle, {
    openTimeMs: 1_720_569_600_000,
    open: 57_000.5,
    high: 57_100,
    low: 56_900.25,
    close: 57_050,
    volume: 12.5,
  });
  assert.deepEqual(candleToRow(candle), row);
});
