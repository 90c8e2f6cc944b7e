import assert from "node:assert/strict";
import { createElement as h } from "react";
import { ManualClock } from "../core/clock.ts";
import {
  createFixtureDb,
  putInstance,
  seedTwelve,
} from "../../tests/support/dashboard_fixtures.ts";
import { SCHEMA_VERSION } from "../storage/migrations.ts";
import { DashboardApp } from "./dashboard_app.tsx";
import { type DashboardDataSource, SqliteDashboardSource } from "./dashboard_source.ts";
import { render } from "../../tests/support/ink_testing.ts";

const NOW = Date.UTC(2024, 6, 10, 12, 0, 0);

async function waitFor(read: () => string, pattern: RegExp, what: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const text = read();
    if (pattern.test(text)) return text;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail(`never showed ${what}; last frame:\n${read()}`);
}

function mount(url: string, logDir: string | null = null) {
  const source = new SqliteDashboardSource(url);
  let closed = false;
  // The hook closes its source on unmount, so a closed source means the app exited.
  const tracked: DashboardDataSource = {
    label: source.label,
    refresh: (nowMs) => source.refresh(nowMs),
    detail: (instance) => source.detail(instance),
    close: () => {
      closed = true;
      source.close();
    },
  };
  const app = render(
    h(DashboardApp, {
      source: tracked,
      refreshMs: 50,
      clock: new ManualClock(NOW),
      logDir,
      colour: false,
    }),
  );
  return { app, frame: () => app.lastFrame() ?? "", closed: () => closed };
}

Deno.test("DashboardApp polls the DB, opens the detail on Enter, returns on Esc, quits on q", async () => {
  const fx = await createFixtureDb();
  seedTwelve(fx.db, NOW);
  await Deno.writeTextFile(
    `${fx.dir}/ada-1h.jsonl`,
    `${JSON.stringify({ level: "ERROR", message: "auth failed" })}\n`,
  );
  const { app, frame, closed } = mount(fx.url, fx.dir);
  await waitFor(frame, /ada-1h +PAPER +error/, "the table");
  putInstance(fx.db, { name: "zz-new", status: "running" }, NOW);
  await waitFor(frame, /zz-new/, "a row written after start");
  app.stdin.write("\r");
  await waitFor(frame, /ERRO auth failed/, "the detail with the log");
  await Deno.writeTextFile(
    `${fx.dir}/ada-1h.jsonl`,
    `${JSON.stringify({ level: "INFO", message: "retrying" })}\n`,
    { append: true },
  );
  await waitFor(frame, /INFO retrying/, "a log line appended later");
  app.stdin.write("\x1b");
  await waitFor(frame, /Enter detail/, "the overview again");
  app.stdin.write("/");
  app.stdin.write("eth");
  await waitFor(frame, /\/eth█/, "the filter prompt");
  app.stdin.write("\r");
  const filtered = await waitFor(frame, /filter "eth"/, "the filtered table");
  assert.doesNotMatch(filtered, /ada-1h/);
  assert.equal(closed(), false);
  app.stdin.write("q");
  await waitFor(() => String(closed()), /true/, "the exit on q");
  fx.db.close();
  await Deno.remove(fx.dir, { recursive: true });
});

Deno.test("DashboardApp survives an absent DB, then shows it once it exists", async () => {
  const dir = await Deno.makeTempDir();
  const { app, frame } = mount(`sqlite:${dir}/later.db`);
  await waitFor(frame, /does not exist — retrying/, "the absent-DB message");
  const { openDatabase } = await import("../storage/database.ts");
  const db = openDatabase(`sqlite:${dir}/later.db`);
  putInstance(db, { name: "late" }, NOW);
  await waitFor(frame, /late +PAPER +running/, "the instance once the DB exists");
  app.unmount();
  db.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("DashboardApp reports an empty DB and a newer schema, and keeps retrying", async () => {
  const fx = await createFixtureDb();
  putInstance(fx.db, { name: "a" }, NOW);
  const { app, frame } = mount(fx.url);
  await waitFor(frame, /a +PAPER +running/, "the table");
  fx.db.exec("PRAGMA user_version = 99");
  await waitFor(frame, /schema version 99 is newer than/, "the newer-schema message");
  fx.db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
  await waitFor(frame, /sort name/, "recovery");
  app.unmount();
  fx.db.close();
  const emptyPath = `${fx.dir}/empty.db`;
  await Deno.writeFile(emptyPath, new Uint8Array());
  const empty = mount(`sqlite:${emptyPath}`);
  await waitFor(empty.frame, /schema version 0 is older than/, "the empty-DB message");
  empty.app.unmount();
  await Deno.remove(fx.dir, { recursive: true });
});
