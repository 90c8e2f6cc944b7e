/** `tasks/soak.ts` as a real process, short: every check passes and the report holds the figures. */
import assert from "node:assert/strict";
import { soakFailureMessage } from "../tests/support/soak_output.ts";

const ROOT = new URL("../", import.meta.url).pathname;

Deno.test("soak task short run: 7 traders with keys, backfill and dashboard on one DB pass every check", async () => {
  const dir = await Deno.makeTempDir({ prefix: "soak_test_" });
  try {
    const report = `${dir}/soak-report.json`;
    const output = await new Deno.Command(Deno.execPath(), {
      // `--db sqlite`: a DATABASE_URL=postgres://… in the environment would pick PostgreSQL.
      args: ["run", "-A", "tasks/soak.ts", "--seconds", "20", "--db", "sqlite", "--report", report],
      cwd: ROOT,
      env: { NO_COLOR: "1" },
      stdin: "null",
    }).output();
    const stdout = new TextDecoder().decode(output.stdout);
    assert.equal(output.code, 0, soakFailureMessage(output));
    assert.match(stdout, /soak passed/);
    const run = JSON.parse(await Deno.readTextFile(report));
    assert.equal(run.ok, true);
    assert.match(run.database, /^sqlite:.*\/trading\.db$/);
    assert.equal(run.checks.length, 11);
    assert.ok(run.checks.every((c: { ok: boolean }) => c.ok));
    // Paper traders run with keys in the environment; every trader's keys are searched for.
    const names = run.checks.map((c: { name: string }) => c.name);
    assert.ok(names.includes("paper traders with keys send no order, sign nothing"));
    assert.ok(names.includes("no API key or secret in logs, output, DB or WAL"));
    assert.deepEqual([run.instances.paperTraders, run.instances.liveTraders], [6, 1]);
    assert.ok(run.instances.backfillRuns > 0 && run.instances.dashboardRuns > 0);
    assert.ok(run.candles.rows > 1000, `candles ${run.candles.rows}`);
    assert.ok(run.writeLatencyMs.samples > 50 && run.writeLatencyMs.p99 !== null);
    assert.equal(Object.keys(run.heartbeats).length, 7);
    assert.equal(run.rateLimit.rejected429, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
