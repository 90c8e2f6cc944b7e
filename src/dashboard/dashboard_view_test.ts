import assert from "node:assert/strict";
import { createElement as h } from "react";
import { renderToString } from "ink";
import type { SqlDatabase } from "../storage/sql_database.ts";
import {
  createFixtureDb,
  putCandles,
  putEquity,
  putInstance,
  putOrder,
  putTrade,
  seedTwelve,
} from "../../tests/support/dashboard_fixtures.ts";
import { render } from "../../tests/support/ink_testing.ts";
import { SqliteDashboardSource } from "./dashboard_source.ts";
import { DashboardView } from "./dashboard_view.tsx";
import { renderOverviewText } from "./overview_text.tsx";
import { type DashboardState, initialState, type KeyPress, reduce } from "./state.ts";

const NOW = Date.UTC(2024, 6, 10, 12, 0, 0);

async function stateFrom(seed: (db: SqlDatabase) => void) {
  const fx = await createFixtureDb();
  seed(fx.db);
  const source = new SqliteDashboardSource(fx.url);
  const reading = source.refresh(NOW);
  const state = reduce(initialState(NOW), {
    type: "snapshot",
    ...reading,
    nowMs: NOW,
    tookMs: 3.2,
  });
  return { fx, source, state };
}

function frame(state: DashboardState, width: number, height: number, colour = false): string {
  const tree = h(DashboardView, {
    state,
    width,
    height,
    dbLabel: "data/trading.db",
    refreshMs: 1000,
    colour,
  });
  return renderToString(tree, { columns: width });
}

const press = (state: DashboardState, key: KeyPress) => reduce(state, { type: "key", key });

async function cleanup(fx: { db: { close(): void }; dir: string }, source: SqliteDashboardSource) {
  source.close();
  fx.db.close();
  await Deno.remove(fx.dir, { recursive: true });
}

Deno.test("DashboardView with 0 instances says so and totals zero", async () => {
  const { fx, source, state } = await stateFrom(() => {});
  const text = frame(state, 80, 24);
  assert.match(text, /no instances yet/);
  assert.match(text, /0 running {2}0 stale {2}0 errored/);
  assert.match(text, /DB data\/trading\.db \(\d+\.\d KiB\)/);
  assert.match(text, /refreshed 12:00:00 UTC in 3\.2 ms/);
  await cleanup(fx, source);
});

Deno.test("DashboardView with 1 instance shows its row with badge, status and money", async () => {
  const { fx, source, state } = await stateFrom((db) => {
    putInstance(db, {
      name: "btc-1h",
      equityQuote: 10_250.5,
      positionBase: 0.1,
      entryPrice: 60_000,
      lastPrice: 61_000,
    }, NOW);
    putEquity(db, "btc-1h", [[NOW - 86_400_000, 10_000], [NOW - 1000, 10_250.5]]);
  });
  const lines = frame(state, 160, 24).split("\n");
  const row = lines.find((line) => line.startsWith("btc-1h"))!;
  assert.match(
    row,
    /btc-1h +PAPER +running +BTC\/USDT +10,250\.50 +\+250\.50 \+2\.50% +1h +0\.1 +\+100\.00 \+1\.67%/,
  );
  assert.match(lines.join("\n"), /Equity 10,250\.50 {2}Today \+250\.50 \+2\.50% {2}1 running/);
  await cleanup(fx, source);
});

Deno.test("DashboardView with 12 instances shows stale, errored and halted, fitting 80 columns", async () => {
  const { fx, source, state } = await stateFrom((db) => seedTwelve(db, NOW));
  const text = frame(state, 80, 24);
  const lines = text.split("\n");
  assert.equal(lines.length, 24);
  for (const line of lines) assert.ok(line.length <= 80, `too wide: ${line}`);
  assert.match(text, /sol-5m +PAPER +stale/);
  assert.match(text, /ada-1h +PAPER +error/);
  assert.match(text, /xrp-4h +PAPER +halted/);
  assert.match(text, /bnb-1d +PAPER +stopped/);
  assert.match(text, /eth-15m +LIVE +running/);
  assert.match(text, /! ada-1h error: auth failed: bad key/);
  assert.match(text, /8 running {2}1 stale {2}1 errored {2}1 halted/);
  assert.doesNotMatch(text, /POSITION|REALISED/, "low-priority columns dropped at 80");
  assert.match(frame(state, 160, 48), /POSITION +UNREALISED +EQUITY CURVE +ENTRY +REALISED/);
  await cleanup(fx, source);
});

Deno.test("DashboardView scrolls to keep the selection visible in a short terminal", async () => {
  const { fx, source, state } = await stateFrom((db) => seedTwelve(db, NOW));
  let moved = state;
  for (let i = 0; i < 11; i++) moved = press(moved, { input: "j" });
  const text = frame(moved, 80, 12);
  assert.match(text, /xrp-4h/, "the last row (selected) is shown");
  assert.match(text, /\d+ above, 0 below/);
  await cleanup(fx, source);
});

Deno.test("DashboardView colours only when asked (NO_COLOR)", async () => {
  const { fx, source, state } = await stateFrom((db) => seedTwelve(db, NOW));
  // deno-lint-ignore no-control-regex
  const colourCodes = /\x1b\[3[0-9]m|\x1b\[9[0-7]m/;
  assert.doesNotMatch(frame(state, 100, 24, false), colourCodes);
  await cleanup(fx, source);
});

Deno.test("DashboardView detail shows charts with markers, risk, orders, trades and log", async () => {
  const { fx, source, state } = await stateFrom((db) => {
    putInstance(db, {
      name: "btc-1h",
      positionBase: 0.1,
      entryPrice: 60_100,
      lastPrice: 60_200,
      equityQuote: 9_000,
    }, NOW);
    putCandles(db, 200, { endMs: NOW });
    putEquity(
      db,
      "btc-1h",
      Array.from(
        { length: 100 },
        (_, i) => [NOW - (100 - i) * 60_000, 10_000 - i * 10] as [number, number],
      ),
    );
    putTrade(db, "btc-1h", {
      entryTimeMs: NOW - 20 * 3_600_000,
      exitTimeMs: NOW - 10 * 3_600_000,
      entryPrice: 60_000,
      exitPrice: 60_300,
      amount: 0.1,
    });
    putOrder(db, "btc-1h", {
      clientOrderId: "btc-1h-tp",
      side: "sell",
      status: "open",
      price: 62_000,
      nowMs: NOW,
    });
  });
  const entered = press(state, { input: "", return: true });
  const detail = source.detail(state.snapshot!.instances[0]);
  const log = JSON.stringify({
    "@timestamp": "2024-07-10T11:59:00.000Z",
    level: "INFO",
    message: "candle closed",
  });
  let withData = reduce(entered, { type: "detail", name: "btc-1h", detail });
  withData = reduce(withData, { type: "logs", name: "btc-1h", lines: [log] });
  for (const [width, height] of [[80, 24], [160, 48]]) {
    const text = frame(withData, width, height);
    const lines = text.split("\n");
    assert.equal(lines.length, height, `${width}x${height}`);
    assert.match(text, /btc-1h {2}PAPER {2}running/);
    assert.match(text, /BTC\/USDT 1h close/);
    assert.match(text, /▲/);
    assert.match(text, /▼/);
    assert.match(text, /[⠀-⣿]/, "braille line");
    assert.match(text, /Risk drawdown 10\.00% \/ halt 25%/);
    assert.match(text, /Open orders \(1\)/);
    assert.match(text, /Last trades \(1, newest first\)/);
    assert.match(text, /11:59:00 INFO candle closed/);
    assert.match(text, /Esc back/);
  }
  await cleanup(fx, source);
});

Deno.test("DashboardView help lists the keys", () => {
  const state = press(initialState(NOW), { input: "?" });
  const text = frame(state, 80, 24);
  assert.match(text, /Keys/);
  assert.match(text, /\/ +filter by text/);
  assert.match(text, /q {2}Ctrl-C +quit/);
});

Deno.test("renderOverviewText prints every row as plain text", async () => {
  const { fx, source, state } = await stateFrom((db) => seedTwelve(db, NOW));
  const text = renderOverviewText(state.snapshot!, {
    nowMs: NOW,
    dbLabel: "x.db",
    dbSizeBytes: 2048,
    refreshTookMs: 1,
    width: 120,
  });
  // deno-lint-ignore no-control-regex
  assert.doesNotMatch(text, /\x1b/);
  for (const instance of state.snapshot!.instances) {
    assert.match(text, new RegExp(`^${instance.name} `, "m"));
  }
  assert.match(text, /! xrp-4h halted: max drawdown 25% reached/);
  await cleanup(fx, source);
});

Deno.test("DashboardView in a 12-instance frame via ink-testing-library", async () => {
  const { fx, source, state } = await stateFrom((db) => seedTwelve(db, NOW));
  const app = render(
    h(DashboardView, {
      state,
      width: 100,
      height: 24,
      dbLabel: "db",
      refreshMs: 1000,
      colour: true,
    }),
  );
  const text = app.lastFrame() ?? "";
  assert.match(text, /alt-11/);
  assert.match(text, /errored/);
  app.unmount();
  await cleanup(fx, source);
});
