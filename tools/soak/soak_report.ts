/** The soak's printed table. */
import type { SoakRun } from "./soak_verdict.ts";

/** Lines of the figures and the checks, for stdout. */
export function soakTable(run: SoakRun): string[] {
  const lat = run.writeLatencyMs;
  const ms = (v: number | null) => v === null ? "-" : `${v.toFixed(2)} ms`;
  const maxBeat = Math.max(0, ...Object.values(run.heartbeats).map((h) => h.maxAgeMs));
  const rows: [string, string][] = [
    ["database", run.database],
    [
      "runtime",
      `${(run.runtimeMs / 1000).toFixed(1)} s (market ${(run.marketMs / 3_600_000).toFixed(1)} h)`,
    ],
    ["instances", Object.entries(run.instances).map(([k, v]) => `${k} ${v}`).join(", ")],
    ["orders", Object.entries(run.orders).map(([k, v]) => `${k} ${v}`).join(", ")],
    ["candles", `${run.candles.rows} rows, ${run.candles.series} series`],
    [
      "write latency",
      `p50 ${ms(lat.p50)}, p99 ${ms(lat.p99)}, max ${ms(lat.max)} (${lat.samples} writes)`,
    ],
    ["heartbeat age", `max ${maxBeat} ms`],
    [
      "request weight",
      `max ${run.rateLimit.maxWeight1m}/min of ${run.rateLimit.limitWeight1m}, ${run.rateLimit.requests} requests, ${run.rateLimit.rejected429} × 429/418`,
    ],
  ];
  const width = Math.max(
    ...[...rows.map(([k]) => k), ...run.checks.map((c) => c.name)].map((k) => k.length),
  );
  return [
    ...rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`),
    "",
    ...run.checks.map((c) => `${c.name.padEnd(width)}  ${c.ok ? "ok  " : "FAIL"}  ${c.detail}`),
    "",
    run.ok ? "soak passed" : "soak FAILED",
  ];
}
