import assert from "node:assert/strict";
import fc from "fast-check";
import { fit, formatAge, formatBytes, formatMoney, formatNumber, formatPct } from "./format.ts";

Deno.test("formatMoney groups thousands, rounds to cents and signs on request", () => {
  assert.equal(formatMoney(1234567.891), "1,234,567.89");
  assert.equal(formatMoney(-12.345), "-12.35");
  assert.equal(formatMoney(12.3, true), "+12.30");
  assert.equal(formatMoney(-0.004, true), "0.00");
  assert.equal(formatMoney(null), "–");
  assert.equal(formatMoney(Number.NaN), "–");
});

Deno.test("formatMoney round-trips to the cent", () => {
  fc.assert(fc.property(fc.integer({ min: -1e11, max: 1e11 }), (cents) => {
    const text = formatMoney(cents / 100).replaceAll(",", "");
    assert.equal(Math.round(Number(text) * 100), cents === 0 ? 0 : cents);
  }));
});

Deno.test("formatPct signs and keeps two decimals", () => {
  assert.equal(formatPct(1.234), "+1.23%");
  assert.equal(formatPct(-0.5), "-0.50%");
  assert.equal(formatPct(0.001), "0.00%");
  assert.equal(formatPct(null), "–");
});

Deno.test("formatNumber keeps significant digits of small amounts", () => {
  assert.equal(formatNumber(0.00012345), "0.0001235");
  assert.equal(formatNumber(61234.5678), "61234.57");
  assert.equal(formatNumber(1.5), "1.5");
  assert.equal(formatNumber(0), "0");
  assert.equal(formatNumber(null), "–");
});

Deno.test("formatAge shows how long ago, or a dash without a time", () => {
  assert.equal(formatAge(1000, 13_000), "12s ago");
  assert.equal(formatAge(null, 13_000), "–");
});

Deno.test("formatBytes uses binary units", () => {
  assert.equal(formatBytes(512), "512 B");
  assert.equal(formatBytes(1536), "1.5 KiB");
  assert.equal(formatBytes(12 * 1024 * 1024), "12.0 MiB");
  assert.equal(formatBytes(null), "–");
});

Deno.test("fit pads or cuts to exactly the width", () => {
  fc.assert(fc.property(fc.string(), fc.integer({ min: 1, max: 40 }), (text, width) => {
    assert.equal(fit(text, width).length, width);
    assert.equal(fit(text, width, "right").length, width);
  }));
  assert.equal(fit("abcdef", 4), "abc…");
  assert.equal(fit("ab", 4, "right"), "  ab");
});
