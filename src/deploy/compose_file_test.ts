import assert from "node:assert/strict";
import { parse } from "yaml";
import { InputError } from "../core/errors.ts";
import { type ComposeSpec, renderComposeFile, type TraderService } from "./compose_file.ts";

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
  assert.throws(() => renderComposeFile(unsafe), /must not allow net or write/);
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
