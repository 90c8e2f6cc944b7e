import assert from "node:assert/strict";
import fc from "fast-check";
import { formatNumber } from "./format.ts";

const intl = (value: number, digits: number, signed = false) => {
  const text = value.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return signed && value > 0 ? `+${text}` : text;
};

Deno.test("formatNumber writes exactly what toLocaleString en-US writes", () => {
  const cases = [
    0,
    -0,
    -0.001,
    0.005,
    1.005,
    2.5,
    -2.5,
    9.995,
    999.995,
    -999999.5,
    0.125,
    1e-7,
    123456789.125,
    1e21,
    NaN,
    Infinity,
    -Infinity,
  ];
  for (const value of cases) {
    for (const digits of [0, 1, 2, 4]) {
      for (const signed of [false, true]) {
        assert.equal(formatNumber(value, digits, signed), intl(value, digits, signed), `${value}`);
      }
    }
  }
  fc.assert(
    fc.property(
      fc.oneof(
        fc.double({ noNaN: true }),
        fc.double({ min: -1e7, max: 1e7, noNaN: true }),
        fc.integer({ min: -1e9, max: 1e9 }).map((n) => n / 1000),
        fc.integer({ min: -1e6, max: 1e6 }).map((n) => n / 200),
      ),
      fc.integer({ min: 0, max: 6 }),
      fc.boolean(),
      (value, digits, signed) => {
        assert.equal(formatNumber(value, digits, signed), intl(value, digits, signed));
      },
    ),
    { numRuns: 20_000 },
  );
});
