/**
 * The `btc-binance-1h` container's run command as a local process against the loopback Binance
 * emulator: entrypoint and command come verbatim from the committed docker-compose.yml, run
 * from a temp directory laid out like the image's /app (src, tasks, deno.json, deno.lock and
 * node_modules linked in; data/, logs/, config/strategies/ and an empty .env as the mounts and
 * env_file), with only the container's environment. The ONE change to the flags: `127.0.0.1` is
 * added to `--allow-net`, because BINANCE_API_URL points the trader at the emulator on loopback
 * instead of api.binance.com; every other flag and path is as the container has it.
 * It starts, heartbeats (the compose healthcheck command exits 0), and on SIGTERM exits 0
 * within the compose stop grace period with status `stopped`. Its peak RSS is printed.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { BinanceEmulator } from "../../tests/support/binance_emulator.ts";
import { openStore } from "../storage/mod.ts";
import { waitFor } from "../../tests/support/trader_process.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SERVICE = "btc-binance-1h";
const CODE = ["src", "tasks", "deno.json", "deno.lock", "node_modules"];

interface Service {
  entrypoint: string[];
  command: string[];
  environment: Record<string, string>;
  stop_grace_period: string;
  healthcheck: { test: string[] };
}

async function composeService(name: string): Promise<Service> {
  const text = await Deno.readTextFile(`${ROOT}docker-compose.yml`);
  const file = parse(text, { merge: true }) as { services: Record<string, Service> };
  return file.services[name];
}

/** A temp /app: code linked from the repo, mounts as real directories, an empty .env. */
async function appDir(configPath: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "container_run_" });
  for (const entry of CODE) await Deno.symlink(`${ROOT}${entry}`, `${dir}/${entry}`);
  await Deno.mkdir(`${dir}/data`);
  await Deno.mkdir(`${dir}/logs`);
  await Deno.mkdir(`${dir}/config/strategies`, { recursive: true });
  await Deno.copyFile(`${ROOT}${configPath}`, `${dir}/${configPath}`);
  await Deno.writeTextFile(`${dir}/.env`, "", { mode: 0o600 });
  return dir;
}

/** The container's environment (no host variables), plus where deno finds its cache. */
function containerEnv(service: Service, apiUrl: string): Record<string, string> {
  const host = Object.fromEntries(
    ["PATH", "HOME", "DENO_DIR"].flatMap((k) => Deno.env.get(k) ? [[k, Deno.env.get(k)!]] : []),
  );
  return { ...host, NO_COLOR: "1", ...service.environment, BINANCE_API_URL: apiUrl };
}

/** `deno …` as the container runs it, with `127.0.0.1` added to the one `--allow-net` flag. */
function localArgs(argv: string[]): string[] {
  assert.equal(argv[0], "deno");
  const net = argv.filter((flag) => flag.startsWith("--allow-net="));
  assert.equal(net.length, 1);
  return argv.slice(1).map((flag) => flag === net[0] ? `${flag},127.0.0.1` : flag);
}

function rssKiB(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)![1]);
}

function seconds(text: string): number {
  const match = /^(\d+)s$/.exec(text);
  assert.ok(match, `stop_grace_period ${text}`);
  return Number(match[1]);
}

Deno.test("container run command starts, heartbeats, is healthy and stops cleanly on SIGTERM", async () => {
  const service = await composeService(SERVICE);
  const configPath = service.environment.TRADER_CONFIG;
  assert.deepEqual(service.command, ["--config", configPath]);
  const dir = await appDir(configPath);
  await using emulator = new BinanceEmulator();
  const env = containerEnv(service, emulator.url);
  const db = `sqlite:${dir}/data/trading.db`;
  const row = () => {
    try {
      const store = openStore(db, { readOnly: true });
      try {
        return store.instances.get(SERVICE);
      } finally {
        store.close();
      }
    } catch {
      return null; // not created yet
    }
  };
  const child = new Deno.Command(Deno.execPath(), {
    args: [...localArgs(service.entrypoint), ...service.command],
    cwd: dir,
    clearEnv: true,
    env,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  let exited = false;
  const status = child.status.finally(() => exited = true);
  try {
    const first = await waitFor("running", () => row()?.status === "running" && row()!, 60_000);
    assert.equal(first.pid, child.pid);
    let peakKiB = rssKiB(child.pid);
    await waitFor("a later heartbeat", () => {
      peakKiB = Math.max(peakKiB, rssKiB(child.pid));
      return (row()?.heartbeatMs ?? 0) > first.heartbeatMs;
    });
    const [cmd, ...health] = service.healthcheck.test;
    assert.equal(cmd, "CMD");
    const check = async () =>
      await new Deno.Command(Deno.execPath(), {
        args: health.slice(1),
        cwd: dir,
        clearEnv: true,
        env,
        stdout: "piped",
        stderr: "piped",
      }).output();
    const healthy = await check();
    assert.equal(healthy.code, 0, new TextDecoder().decode(healthy.stderr));
    assert.ok(emulator.requests().some((r) => r.path === "/api/v3/klines"));
    // deno-lint-ignore no-console
    console.log(`${SERVICE} trader RSS: ${(peakKiB / 1024).toFixed(1)} MiB (VmRSS peak)`);

    child.kill("SIGTERM");
    const graceMs = seconds(service.stop_grace_period) * 1000;
    const timer = setTimeout(() => exited || child.kill("SIGKILL"), graceMs);
    const { code, signal } = await status;
    clearTimeout(timer);
    assert.equal(signal, null, "killed: did not stop within the stop grace period");
    assert.equal(code, 0, await stderr);
    const stopped = row()!;
    assert.equal(stopped.status, "stopped");
    assert.equal((await check()).code, 1, "a stopped instance must not be healthy");
    assert.doesNotMatch(await stderr, /NotCapable|PermissionDenied/);
  } finally {
    if (!exited) child.kill("SIGKILL");
    await status;
    await Deno.remove(dir, { recursive: true });
  }
});
