import assert from "node:assert/strict";
import { candleFromColumns, candleFromRow, candleToRow } from "./candle_row.ts";

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

Deno.test("candleFromColumns reads one index of every column into a new candle", () => {
  const columns = {
    length: 2,
    openTimeMs: new Float64Array([1_720_569_600_000, 1_720_573_200_000]),
    open: new Float64Array([57_000.5, 57_050]),
    high: new Float64Array([57_100, 57_200]),
    low: new Float64Array([56_900.25, 57_000]),
    close: new Float64Array([57_050, 57_150]),
    volume: new Float64Array([12.5, 3]),
  };
  const candle = candleFromColumns(columns, 1);
  assert.deepEqual(candle, {
    openTimeMs: 1_720_573_200_000,
    open: 57_050,
    high: 57_200,
    low: 57_000,
    close: 57_150,
    volume: 3,
  });
  assert.notEqual(candleFromColumns(columns, 1), candle);
});
