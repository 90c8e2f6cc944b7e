import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const CONFIGS = ["btc-binance-1h.yaml", "sol-kraken-4h.yaml"];

/** Runs the compose task with the permissions deno.json's `compose` task gives it, plus `dir`. */
async function compose(dir: string, extra: string[] = [], env: Record<string, string> = {}) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-q",
      "--allow-env",
      `--allow-read=./config,./deno.json,./.env,./node_modules,${dir}`,
      `--allow-write=${dir}`,
      "tasks/compose.ts",
      "--configs",
      `${dir}/configs`,
      "--out",
      `${dir}/docker-compose.yml`,
      ...extra,
    ],
    cwd: ROOT,
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes).trim();
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

async function withConfigs(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "compose_" });
  try {
    await Deno.mkdir(`${dir}/configs`);
    for (const file of CONFIGS) {
      await Deno.copyFile(`${ROOT}config/strategies/${file}`, `${dir}/configs/${file}`);
    }
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("compose task round trip: generate, --check passes, any edit fails --check", async () => {
  await withConfigs(async (dir) => {
    const missing = await compose(dir, ["--check"]);
    assert.equal(missing.code, 1);
    assert.match(
      missing.stderr,
      /^Cannot check .*docker-compose\.yml: missing; run deno task compose/,
    );
    assert.equal((await compose(dir)).code, 0);
    const text = await Deno.readTextFile(`${dir}/docker-compose.yml`);
    const services = Object.keys((parse(text, { merge: true }) as { services: object }).services);
    assert.deepEqual(services, ["btc-binance-1h", "sol-kraken-4h", "backfill", "dashboard"]);
    assert.equal((await compose(dir, ["--check"])).code, 0);
    await Deno.writeTextFile(`${dir}/docker-compose.yml`, text.replace("cpus: 0.5", "cpus: 2"));
    const stale = await compose(dir, ["--check"]);
    assert.equal(stale.code, 1);
    assert.equal(stale.stderr.split("\n").length, 1);
    assert.match(stale.stderr, /out of date; run deno task compose/);
  });
});

Deno.test("compose task --check notices a new config", async () => {
  await withConfigs(async (dir) => {
    assert.equal((await compose(dir)).code, 0);
    const text = await Deno.readTextFile(`${dir}/configs/btc-binance-1h.yaml`);
    await Deno.writeTextFile(
      `${dir}/configs/eth-binance-1h.yaml`,
      text.replace("name: btc-binance-1h", "name: eth-binance-1h").replace("BTC/USDT", "ETH/USDT"),
    );
    assert.equal((await compose(dir, ["--check"])).code, 1);
  });
});

Deno.test("compose task leaves the file untouched and exits 2 on an invalid config", async () => {
  await withConfigs(async (dir) => {
    assert.equal((await compose(dir)).code, 0);
    const before = await Deno.readTextFile(`${dir}/docker-compose.yml`);
    await Deno.writeTextFile(`${dir}/configs/zzz.yaml`, "name: zzz\nexchange: binance\n");
    const bad = await compose(dir);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr.split("\n").length, 1);
    assert.match(bad.stderr, /^Cannot .*zzz\.yaml/);
    assert.equal(await Deno.readTextFile(`${dir}/docker-compose.yml`), before);
  });
});

const dockerCompose = (() => {
  try {
    return new Deno.Command("docker-compose", { args: ["version"] }).outputSync().success;
  } catch {
    return false;
  }
})();

Deno.test({
  name: "compose task output passes docker-compose config -q (v1) with an empty .env",
  ignore: !dockerCompose,
  fn: async () => {
    await withConfigs(async (dir) => {
      assert.equal((await compose(dir)).code, 0);
      // Compose refuses a missing env_file; a fresh clone has none, so give it an empty one.
      await Deno.writeTextFile(`${dir}/.env`, "");
      const output = await new Deno.Command("docker-compose", {
        args: ["-f", `${dir}/docker-compose.yml`, "config", "-q"],
        clearEnv: true,
        env: { PATH: Deno.env.get("PATH") ?? "" },
        stderr: "piped",
      }).output();
      assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
    });
  },
});

Deno.test("compose task gives each trader the hosts of the notification channels in .env", async () => {
  await withConfigs(async (dir) => {
    const env = {
      TELEGRAM_BOT_TOKEN: "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0",
      TELEGRAM_CHAT_ID: "42",
      NOTIFY_WEBHOOK_URL: "https://hooks.example.org:8443/trading",
    };
    const result = await compose(dir, [], env);
    assert.equal(result.code, 0, result.stderr);
    const text = await Deno.readTextFile(`${dir}/docker-compose.yml`);
    const nets = [...text.matchAll(/--allow-net=([^\s"',\]]+(?:,[^\s"',\]]+)*)/g)].map((m) => m[1]);
    const traders = nets.filter((net) => net.includes("api.binance.com") || net.includes("kraken"));
    assert.equal(traders.length >= 2, true, text);
    for (const net of traders) {
      assert.ok(net.split(",").includes("api.telegram.org"), net);
      assert.ok(net.split(",").includes("hooks.example.org:8443"), net);
    }
    const bad = await compose(dir, [], { ...env, TELEGRAM_BOT_TOKEN: "nope" });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /TELEGRAM_BOT_TOKEN must look like/);
  });
});

const POSTGRES_ENV = {
  DATABASE_URL: "postgres://trader:s3cret@postgres:5432/trading",
  POSTGRES_PASSWORD: "s3cret",
};

Deno.test("compose task wires every service to the postgres service when DATABASE_URL names it", async () => {
  await withConfigs(async (dir) => {
    const result = await compose(dir, [], POSTGRES_ENV);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^warning: .* add COMPOSE_PROFILES=postgres to \.env/);
    const quiet = await compose(dir, [], { ...POSTGRES_ENV, COMPOSE_PROFILES: "tools,postgres" });
    assert.equal(quiet.stderr, "");
    const text = await Deno.readTextFile(`${dir}/docker-compose.yml`);
    assert.ok(!text.includes("s3cret"), "no password in the file");
    const doc = parse(text, { merge: true }) as {
      services: Record<string, { entrypoint: string[]; depends_on?: unknown; profiles?: string[] }>;
    };
    assert.deepEqual(Object.keys(doc.services), [
      "btc-binance-1h",
      "sol-kraken-4h",
      "backfill",
      "dashboard",
      "postgres",
    ]);
    assert.deepEqual(doc.services.postgres.profiles, ["postgres"]);
    for (const [name, service] of Object.entries(doc.services)) {
      if (name === "postgres") continue;
      assert.deepEqual(service.depends_on, { postgres: { condition: "service_healthy" } }, name);
      const net = service.entrypoint.find((flag) => flag.startsWith("--allow-net="));
      assert.ok(net?.split("=")[1].split(",").includes("postgres:5432"), `${name}: ${net}`);
    }
    assert.deepEqual(
      doc.services.dashboard.entrypoint.filter((flag) => flag.startsWith("--allow-net")),
      ["--allow-net=postgres:5432"],
    );
    // The same configs without DATABASE_URL give the SQLite file, with none of it.
    assert.equal((await compose(dir, ["--check"])).code, 1);
    assert.equal((await compose(dir)).code, 0);
    assert.ok(!/postgres/.test(await Deno.readTextFile(`${dir}/docker-compose.yml`)));
  });
});

Deno.test("compose task refuses a postgres service whose password .env does not give", async () => {
  await withConfigs(async (dir) => {
    for (
      const [env, why] of [
        [{ DATABASE_URL: POSTGRES_ENV.DATABASE_URL }, /set POSTGRES_PASSWORD in \.env/],
        [{ ...POSTGRES_ENV, POSTGRES_PASSWORD: "other" }, /differs from POSTGRES_PASSWORD/],
        [
          { ...POSTGRES_ENV, DATABASE_URL: "postgres://trader:s3cret@postgres:6000/trading" },
          /port 5432/,
        ],
        [{ DATABASE_URL: "postgres://trader:s3cret@/trading" }, /malformed URL/],
      ] as const
    ) {
      const bad = await compose(dir, [], env);
      assert.equal(bad.code, 2, bad.stderr);
      assert.equal(bad.stderr.split("\n").length, 1, bad.stderr);
      assert.match(bad.stderr, why);
      assert.ok(!bad.stderr.includes("s3cret"), "password masked");
    }
  });
});

Deno.test({
  name: "compose task postgres variant passes docker-compose config -q (v1) with POSTGRES_PASSWORD",
  ignore: !dockerCompose,
  fn: async () => {
    await withConfigs(async (dir) => {
      assert.equal((await compose(dir, [], POSTGRES_ENV)).code, 0);
      const check = (dotEnv: string) => {
        Deno.writeTextFileSync(`${dir}/.env`, dotEnv);
        return new Deno.Command("docker-compose", {
          args: ["-f", `${dir}/docker-compose.yml`, "--profile", "postgres", "config", "-q"],
          clearEnv: true,
          env: { PATH: Deno.env.get("PATH") ?? "" },
          stderr: "piped",
        }).output();
      };
      const ok = await check("POSTGRES_PASSWORD=s3cret\n");
      assert.equal(ok.code, 0, new TextDecoder().decode(ok.stderr));
      // Without the password compose stops with the file's own message.
      const missing = await check("");
      assert.notEqual(missing.code, 0);
      assert.match(new TextDecoder().decode(missing.stderr), /set POSTGRES_PASSWORD in \.env/);
    });
  },
});
