import assert from "node:assert/strict";
import { parse } from "yaml";
import { InputError } from "../core/errors.ts";
import {
  type ComposeSpec,
  POSTGRES_IMAGE,
  renderComposeFile,
  TRADER_V8_FLAGS,
  type TraderService,
} from "./compose_file.ts";

const PATHS = { read: ["./data", "./config", "./.env"], write: ["./data", "./logs"], env: true };

const BINANCE: TraderService = {
  name: "btc-binance-1h",
  configPath: "config/strategies/btc-binance-1h.yaml",
  summary: "BTC/USDT 1h rsi_macd on binance (paper)",
  netHosts: ["api.binance.com", "fapi.binance.com"],
};
const KRAKEN: TraderService = {
  name: "sol-kraken-4h",
  configPath: "config/strategies/sol-kraken-4h.yaml",
  summary: "SOL/USDT 4h trend_following on kraken (paper)",
  netHosts: ["api.kraken.com"],
};

function spec(traders: TraderService[] = [BINANCE, KRAKEN]): ComposeSpec {
  return {
    traders,
    tradePermissions: { ...PATHS, net: ["127.0.0.1"] },
    backfillPermissions: { ...PATHS, net: ["127.0.0.1"] },
    dashboardPermissions: { read: ["./data", "./logs"], env: true },
  };
}

interface Service {
  [key: string]: unknown;
  entrypoint: string[];
  command?: string[];
  volumes: string[];
}

function services(text: string): Record<string, Service> {
  return (parse(text, { merge: true }) as { services: Record<string, Service> }).services;
}

function netFlags(service: Service): string[] {
  return service.entrypoint.filter((flag) => flag.startsWith("--allow-net"));
}

Deno.test("renderComposeFile gives every trader the shared limits, mounts and healthcheck", () => {
  const text = renderComposeFile(spec());
  assert.match(text, /^x-trader: &trader$/m);
  assert.equal(text.match(/<<: \*trader/g)?.length, 2);
  for (const name of ["btc-binance-1h", "sol-kraken-4h"]) {
    const service = services(text)[name];
    assert.equal(service.restart, "unless-stopped");
    assert.equal(service.cpus, 0.5);
    assert.equal(service.mem_limit, "512m");
    assert.equal(service.env_file, ".env");
    assert.ok(parseInt(String(service.stop_grace_period)) > 10, "longer than the trader's 10 s");
    assert.deepEqual(service.volumes, [
      "./data:/app/data",
      "./logs:/app/logs",
      "./config/strategies:/app/config/strategies:ro",
      "./strategies:/app/strategies:ro",
    ]);
    assert.deepEqual((service.healthcheck as { test: string[] }).test.slice(-2), [
      "-P=health",
      "tasks/health.ts",
    ]);
    assert.deepEqual((service.logging as { options: object }).options, {
      "max-size": "10m",
      "max-file": "5",
    });
    assert.deepEqual(service.command, ["--config", `config/strategies/${name}.yaml`]);
    assert.deepEqual(service.environment, { TRADER_CONFIG: `config/strategies/${name}.yaml` });
  }
});

Deno.test("renderComposeFile limits each trader's network to its own exchange's hosts", () => {
  const all = services(renderComposeFile(spec()));
  assert.deepEqual(netFlags(all["btc-binance-1h"]), [
    "--allow-net=api.binance.com,fapi.binance.com",
  ]);
  assert.deepEqual(netFlags(all["sol-kraken-4h"]), ["--allow-net=api.kraken.com"]);
  const entrypoint = all["btc-binance-1h"].entrypoint;
  assert.deepEqual(entrypoint.slice(0, 3), ["deno", "run", "-q"]);
  assert.equal(entrypoint.at(-1), "tasks/trade.ts");
  assert.ok(entrypoint.includes("--allow-read=./data,./config,./.env"));
  assert.ok(entrypoint.includes("--allow-write=./data,./logs"));
  assert.ok(!entrypoint.some((flag) => /^(-A|--allow-all|--allow-net)$/.test(flag)));
});

Deno.test("every way a trader starts caps V8's young generation: compose, the image and the trade task", async () => {
  const all = services(renderComposeFile(spec()));
  for (const name of ["btc-binance-1h", "sol-kraken-4h"]) {
    const entrypoint = all[name].entrypoint;
    assert.equal(entrypoint.at(-2), TRADER_V8_FLAGS, `${name}: ${entrypoint.join(" ")}`);
  }
  const root = new URL("../../", import.meta.url);
  const dockerfile = await Deno.readTextFile(new URL("Dockerfile", root));
  const entrypoint = dockerfile.split("\n").find((line) => line.startsWith("ENTRYPOINT "));
  assert.ok(entrypoint?.includes(`"${TRADER_V8_FLAGS}", "tasks/trade.ts"`), entrypoint);
  const { tasks } = JSON.parse(await Deno.readTextFile(new URL("deno.json", root)));
  assert.ok(String(tasks.trade).includes(`${TRADER_V8_FLAGS} tasks/trade.ts`), tasks.trade);
});

Deno.test("renderComposeFile puts backfill and a read-only tty dashboard under a profile", () => {
  const all = services(renderComposeFile(spec()));
  const backfill = all.backfill;
  assert.deepEqual(backfill.profiles, ["tools"]);
  assert.deepEqual(netFlags(backfill), [
    "--allow-net=api.binance.com,api.kraken.com,fapi.binance.com",
  ]);
  assert.deepEqual(backfill.command, [
    "--config",
    BINANCE.configPath,
    "--config",
    KRAKEN.configPath,
  ]);
  const dashboard = all.dashboard;
  assert.deepEqual(dashboard.profiles, ["tools"]);
  assert.equal(dashboard.tty, true);
  assert.equal(dashboard.stdin_open, true);
  assert.deepEqual(dashboard.volumes, ["./data:/app/data:ro", "./logs:/app/logs:ro"]);
  assert.deepEqual(netFlags(dashboard), []);
  assert.ok(!dashboard.entrypoint.some((flag) => flag.startsWith("--allow-write")));
  // The image's HEALTHCHECK is a trader's: tool containers switch it off.
  assert.deepEqual(dashboard.healthcheck, { disable: true });
  assert.deepEqual(backfill.healthcheck, { disable: true });
});

Deno.test("renderComposeFile is deterministic and keeps lines under 100 columns", () => {
  const text = renderComposeFile(spec());
  assert.equal(renderComposeFile(spec()), text);
  const long = text.split("\n").filter((line) =>
    line.length > 100 && !line.includes("--allow-net")
  );
  assert.deepEqual(long, []);
});

Deno.test("renderComposeFile refuses duplicate, reserved and template host names", () => {
  assert.throws(() => renderComposeFile(spec([BINANCE, BINANCE])), /two configs have this name/);
  assert.throws(
    () => renderComposeFile(spec([{ ...KRAKEN, name: "dashboard" }])),
    /dashboard: the name is reserved/,
  );
  assert.throws(
    () => renderComposeFile(spec([{ ...KRAKEN, netHosts: ["api.{hostname}"] }])),
    (error: Error) => error instanceof InputError && error.message.includes('"api.{hostname}"'),
  );
  assert.throws(() => renderComposeFile(spec([{ ...KRAKEN, netHosts: [] }])), /no exchange API/);
});

Deno.test("renderComposeFile refuses a dashboard permission set that could write or connect", () => {
  const unsafe = { ...spec(), dashboardPermissions: { read: true, net: true } };
  assert.throws(
    () => renderComposeFile(unsafe),
    /must not allow net \(beyond a local PostgreSQL\)/,
  );
  const remote = { ...spec(), dashboardPermissions: { read: true, net: ["api.binance.com"] } };
  assert.throws(() => renderComposeFile(remote), /permissions\.dashboard/);
  const writes = { ...spec(), dashboardPermissions: { read: true, write: ["./data"] } };
  assert.throws(() => renderComposeFile(writes), /or write/);
});

Deno.test("renderComposeFile gives the dashboard no network on SQLite, even when its set names a local PostgreSQL", () => {
  const local = {
    ...spec(),
    dashboardPermissions: { read: ["./data"], env: true, net: ["127.0.0.1:5432"] },
  };
  const text = renderComposeFile(local);
  const dashboard = text.slice(text.indexOf("  dashboard:"));
  const entry = dashboard.slice(0, dashboard.indexOf("volumes:"));
  assert.match(entry, /tasks\/dashboard\.ts/);
  assert.doesNotMatch(entry, /allow-net/);
});

Deno.test("renderComposeFile output is already in deno fmt's layout", async () => {
  const text = renderComposeFile(spec());
  const child = new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--ext=yaml", "-"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(text));
  await writer.close();
  const output = await child.output();
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  assert.equal(new TextDecoder().decode(output.stdout), text);
});

const HEALTH = { read: ["./data", "./config"], env: true };
const WITH_POSTGRES: ComposeSpec = {
  ...spec(),
  database: {
    host: "postgres",
    port: 5432,
    healthPermissions: HEALTH,
    service: { user: "trader", database: "trading" },
  },
};

Deno.test("renderComposeFile with the postgres service: profile, volume, healthcheck, depends_on", () => {
  const text = renderComposeFile(WITH_POSTGRES);
  const parsed = parse(text, { merge: true }) as {
    services: Record<string, Service>;
    volumes: Record<string, unknown>;
  };
  const postgres = parsed.services.postgres;
  assert.equal(postgres.image, POSTGRES_IMAGE);
  assert.match(String(postgres.image), /^postgres:15\.\d+-bookworm$/, "pinned by exact tag");
  assert.deepEqual(postgres.profiles, ["postgres"]);
  assert.deepEqual(postgres.volumes, ["pgdata:/var/lib/postgresql/data"]);
  assert.ok("pgdata" in parsed.volumes);
  assert.deepEqual((postgres.healthcheck as { test: string[] }).test, [
    "CMD",
    "pg_isready",
    "-q",
    "-U",
    "trader",
    "-d",
    "trading",
  ]);
  // The password is compose's interpolation from .env, never a value in the file.
  assert.deepEqual(postgres.environment, {
    POSTGRES_USER: "trader",
    POSTGRES_DB: "trading",
    POSTGRES_PASSWORD: "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}",
  });
  for (const name of ["btc-binance-1h", "sol-kraken-4h", "backfill", "dashboard"]) {
    assert.deepEqual(
      parsed.services[name].depends_on,
      { postgres: { condition: "service_healthy" } },
      name,
    );
  }
});

Deno.test("renderComposeFile adds exactly the DB host:port to every service's network", () => {
  const all = services(renderComposeFile(WITH_POSTGRES));
  assert.deepEqual(netFlags(all["btc-binance-1h"]), [
    "--allow-net=api.binance.com,fapi.binance.com,postgres:5432",
  ]);
  assert.deepEqual(netFlags(all["sol-kraken-4h"]), ["--allow-net=api.kraken.com,postgres:5432"]);
  assert.deepEqual(netFlags(all.backfill), [
    "--allow-net=api.binance.com,api.kraken.com,fapi.binance.com,postgres:5432",
  ]);
  assert.deepEqual(netFlags(all.dashboard), ["--allow-net=postgres:5432"]);
  assert.ok(!all.dashboard.entrypoint.some((flag) => flag.startsWith("--allow-write")));
  // The trader healthcheck reads the heartbeat from PostgreSQL: the health set plus the DB host.
  const health = (all["btc-binance-1h"].healthcheck as { test: string[] }).test;
  assert.deepEqual(health, [
    "CMD",
    "deno",
    "run",
    "-q",
    "--allow-read=./data,./config",
    "--allow-net=postgres:5432",
    "--allow-env",
    "tasks/health.ts",
  ]);
});

Deno.test("renderComposeFile with an external PostgreSQL: its host only, no service", () => {
  const text = renderComposeFile({
    ...spec(),
    database: { host: "10.0.0.5", port: 6432, healthPermissions: HEALTH, service: null },
  });
  const all = services(text);
  assert.deepEqual(Object.keys(all), ["btc-binance-1h", "sol-kraken-4h", "backfill", "dashboard"]);
  assert.deepEqual(netFlags(all["sol-kraken-4h"]), ["--allow-net=api.kraken.com,10.0.0.5:6432"]);
  assert.deepEqual(netFlags(all.dashboard), ["--allow-net=10.0.0.5:6432"]);
  assert.ok(!/depends_on|pgdata|profiles: \["postgres"\]/.test(text), text);
  assert.deepEqual(
    netFlags(
      services(renderComposeFile({
        ...spec(),
        database: { host: "::1", port: 5432, healthPermissions: HEALTH, service: null },
      })).dashboard,
    ),
    ["--allow-net=[::1]:5432"],
  );
});

Deno.test("renderComposeFile for SQLite has no postgres service, volume, depends_on or DB host", () => {
  const text = renderComposeFile(spec());
  assert.ok(!/postgres|pgdata|depends_on|5432/.test(text), text);
  assert.equal(text.match(/^volumes:/m), null);
  assert.throws(
    () => renderComposeFile(spec([{ ...KRAKEN, name: "postgres" }])),
    /postgres: the name is reserved/,
  );
});

Deno.test("renderComposeFile postgres variant is already in deno fmt's layout", async () => {
  const text = renderComposeFile(WITH_POSTGRES);
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--ext=yaml", "-"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = output.stdin.getWriter();
  await writer.write(new TextEncoder().encode(text));
  await writer.close();
  const result = await output.output();
  assert.equal(result.code, 0, new TextDecoder().decode(result.stderr));
  assert.equal(new TextDecoder().decode(result.stdout), text);
});
