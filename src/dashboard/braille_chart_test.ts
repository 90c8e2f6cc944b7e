import assert from "node:assert/strict";
import fc from "fast-check";
import { brailleChart, candleIndexAt } from "./braille_chart.ts";

Deno.test("brailleChart fills exactly width × height cells for any series", () => {
  fc.assert(fc.property(
    fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { maxLength: 300 }),
    fc.integer({ min: 1, max: 60 }),
    fc.integer({ min: 1, max: 20 }),
    (values, width, height) => {
      const chart = brailleChart(values, { width, height });
      assert.equal(chart.rows.length, height);
      for (const row of chart.rows) assert.equal(row.length, width);
    },
  ));
});

Deno.test("brailleChart puts a rising line low on the left and high on the right", () => {
  const chart = brailleChart([1, 2, 3, 4, 5, 6, 7, 8], { width: 4, height: 2 });
  const text = chart.rows.map((row) => row.map((cell) => cell.ch).join(""));
  assert.notEqual(text[1][0], " ");
  assert.equal(text[0][0], " ");
  assert.notEqual(text[0][3], " ");
  assert.equal(text[1][3], " ");
  assert.equal(chart.min, 1);
  assert.equal(chart.max, 8);
});

Deno.test("brailleChart draws markers and level lines", () => {
  const chart = brailleChart([10, 10, 20, 20], {
    width: 2,
    height: 3,
    markers: [{ index: 0, price: 10, kind: "entry" }, { index: 3, price: 20, kind: "exit" }],
    levels: [15],
  });
  const text = chart.rows.map((row) => row.map((cell) => cell.ch).join(""));
  assert.equal(text[2][0], "▲");
  assert.equal(text[0][1], "▼");
  assert.ok(text[1].includes("┄"));
});

Deno.test("candleIndexAt finds the candle containing a time", () => {
  const opens = [0, 60, 120, 180];
  assert.equal(candleIndexAt(opens, -1), -1);
  assert.equal(candleIndexAt(opens, 0), 0);
  assert.equal(candleIndexAt(opens, 119), 1);
  assert.equal(candleIndexAt(opens, 999), 3);
});
