/**
 * The seed instances as real containers under docker-compose, against the loopback emulators.
 *
 * 1. Builds the stand-in base (tools/docker/test_base.sh) and the image from the production
 *    Dockerfile with `--build-arg DENO_IMAGE=<that base>` and `--network host`.
 * 2. Lays out a compose project in a temp directory: the committed docker-compose.yml as it is,
 *    the seed configs whose exchange has a loopback emulator (the others are named and left
 *    out), an empty .env, strategies/ with one extra user strategy, and an override file
 *    (docker-compose.test.yml) that changes only what the emulator needs: host network,
 *    `<ID>_API_URL` pointing at the emulator, the emulator's 127.0.0.1:PORT added to the
 *    generated `--allow-net`, `--test-clock=emulator:URL` (the emulator's market runs ×600) and
 *    the test image tag. Limits, restart policy, healthcheck, init, user and mounts are the
 *    committed file's.
 * 3. `docker-compose up -d` the seeds; asserts from `docker inspect`: 0.5 CPU, 512 MB,
 *    `unless-stopped`, the healthcheck, init, a non-root user, config and strategies mounted
 *    read-only; waits until every container is `healthy` and every instance row is `running`
 *    with a heartbeat under a minute old.
 * 4. Runs the `dashboard` tool service (`docker-compose run --rm dashboard`) in tmux and waits
 *    until it lists every instance.
 * 5. `kill -9` of the trader process (the child of docker-init) in the container whose instance
 *    has the most orders: Docker restarts it, the row is `running` again with a new start time,
 *    the container is `healthy` again, every order stored before the kill is still there and no
 *    candle has two orders for the same intent. The restart times are printed.
 * 6. Starts one more instance on `strategies/memory_hog.ts` (a leaking user strategy, sandboxed
 *    like any other): it passes 512 MB, the kernel kills it (a Docker `oom` event), Docker
 *    restarts it; the dashboard's line for it is printed from before the kill until it runs
 *    again. Then it is stopped.
 * 7. `docker-compose stop`: every trader exits 0 within its grace period (20 s) and its row says
 *    `stopped`. Every container's log has no SQLite busy error; all share data/trading.db on the
 *    bind mount; the paper traders sent the emulator no signed request.
 * Memory from `docker stats` (and VmRSS of the trader process) is sampled all along and must stay
 * under 200 MB per seed trader. Figures are printed on one `containers:` line each.
 *
 * Skipped, with the reason printed, where no Docker engine answers (.ci/run starts one as root).
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { parse } from "yaml";
import { openStore } from "../../src/storage/mod.ts";
import type { InstanceRecord } from "../../src/storage/mod.ts";
import { randomWalkCsv } from "../../tools/soak/synthetic_candles.ts";
import { BinanceEmulator } from "../support/binance_emulator.ts";
import { BybitEmulator } from "../support/bybit_emulator.ts";
import { CoinbaseEmulator } from "../support/coinbase_emulator.ts";
import { KrakenEmulator } from "../support/kraken_emulator.ts";
import { envPrefix } from "../../src/config/env.ts";
import { DEFAULT_SYMBOLS, type SymbolSpec } from "../support/emulator_markets.ts";
import { TmuxPane } from "../support/tmux_pane.ts";
import { waitFor } from "../support/trader_process.ts";
import {
  type ContainerInfo,
  inspect,
  mb,
  must,
  pastEvents,
  processRss,
  run,
  statsMemory,
  traderPid,
  unavailableReason,
} from "./docker_cli.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const PROJECT = "trading_container_test";
const IMAGE = "trading-system:container-test";
/** The image's user; data/ and logs/ of the project are chowned to it. */
const APP_UID = 1000;
const SPEED = 600;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/**
 * 200 MB per trader container in `docker stats`, in its own unit (MiB). Its figure is the cgroup's
 * usage less inactive page cache, so active file pages (a health check's reads among them) count
 * too; one run of nine saw 191.2 MiB between checks, just over the decimal reading (190.7 MiB).
 */
const RSS_LIMIT = 200 * 1024 * 1024;
const MEMORY_LIMIT = 512 * 1024 * 1024;
const GRACE_MS = 20_000;
const HOG = "memory-hog-eth-15m";
const HOG_CONFIG = `name: ${HOG}
exchange: binance
symbol: ETH/USDT
timeframe: 15m
mode: paper
strategy:
  module: strategies/memory_hog.ts
  params: { grow_after: 52, grow_mb: 128 } # 50 warm-up candles, then 128 MB more per candle
`;

interface Seed {
  readonly name: string;
  readonly file: string;
  readonly exchange: string;
  readonly symbol: string;
}

interface Service {
  entrypoint: string[];
  command: string[];
  environment: Record<string, string>;
  [key: string]: unknown;
}

/**
 * Prints a line on the process's stderr itself: `deno test -q` (as `deno task test` runs) hides
 * what a test writes through console and Deno.stdout/stderr, and these figures are the report.
 */
function say(line: string): void {
  const text = new TextEncoder().encode(`containers: ${line}\n`);
  try {
    using stderr = Deno.openSync("/dev/stderr", { append: true });
    stderr.writeSync(text);
  } catch {
    Deno.stderr.writeSync(text);
  }
}

const skipReason = await unavailableReason();
if (skipReason !== null) say(`SKIPPED: ${skipReason}`);

/** The seed configs, by instance name. */
async function seeds(): Promise<Seed[]> {
  const found: Seed[] = [];
  for (const entry of Deno.readDirSync(`${ROOT}config/strategies`)) {
    if (!entry.isFile || !/\.ya?ml$/.test(entry.name)) continue;
    const config = parse(await Deno.readTextFile(`${ROOT}config/strategies/${entry.name}`)) as Seed;
    found.push({ ...config, file: entry.name });
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/** What the test needs of a loopback exchange emulator. */
interface Emulator {
  readonly url: string;
  readonly port: number;
  requests(): readonly { readonly signed: boolean }[];
  close(): Promise<void>;
}

/** Random-walk prices start here (by base asset); 1 for any other. */
const BASE_PRICES: Record<string, number> = { BTC: 60_000, ETH: 3_000, SOL: 150, AVAX: 30 };

/**
 * 1m random-walk candles, 30 days before `startMs` (warm-ups of up to a few hundred 2h or 4h
 * candles) to 2 days after, for each symbol, as `<prefix>_<BASE>-<QUOTE>_1m.csv` in a new dir.
 */
async function candleDir(dir: string, prefix: string, symbols: readonly string[], startMs: number) {
  const path = `${dir}/emulator-data/${prefix}-${crypto.randomUUID().slice(0, 8)}`;
  await Deno.mkdir(path, { recursive: true });
  for (const [i, symbol] of symbols.entries()) {
    const csv = randomWalkCsv(
      { fromMs: startMs - 30 * DAY_MS, toMs: startMs + 2 * DAY_MS },
      { basePrice: BASE_PRICES[symbol.split("/")[0]] ?? 1, seed: 19 + i },
    );
    await Deno.writeTextFile(`${path}/${prefix}_${symbol.replace("/", "-")}_1m.csv`, csv);
  }
  return new URL(`file://${path}/`);
}

/** Binance lists only a few symbols by default: the others get BTCUSDT-like rules. */
function binanceSymbols(symbols: readonly string[]): SymbolSpec[] {
  const specs = new Map(DEFAULT_SYMBOLS.map((s) => [`${s.baseAsset}/${s.quoteAsset}`, s]));
  for (const symbol of symbols) {
    if (specs.has(symbol)) continue;
    const [base, quote] = symbol.split("/");
    const like = DEFAULT_SYMBOLS.find((s) => s.quoteAsset === quote) ?? DEFAULT_SYMBOLS[0];
    specs.set(symbol, {
      ...like,
      symbol: base + quote,
      baseAsset: base,
      quoteAsset: quote,
      tickSize: "0.0001",
      stepSize: "0.1",
      minQty: "0.1",
      fallbackPrice: BASE_PRICES[base] ?? 1,
    });
  }
  return [...specs.values()];
}

type StartEmulator = (
  dir: string,
  symbols: readonly string[],
  startMs: number,
) => Promise<Emulator>;

/** Exchanges with a loopback emulator, each on its own market clock running ×SPEED. */
const EMULATED: Record<string, StartEmulator> = {
  binance: async (dir, symbols, startMs) =>
    new BinanceEmulator({
      startMs,
      speed: SPEED,
      symbols: binanceSymbols(symbols),
      dataDir: await candleDir(dir, "binance", symbols, startMs),
    }),
  // Venue emulators read `binance_`-named files whatever the exchange; Kraken reads `kraken_`.
  bybit: async (dir, symbols, startMs) =>
    new BybitEmulator({
      startMs,
      speed: SPEED,
      dataDir: await candleDir(dir, "binance", symbols, startMs),
    }),
  coinbase: async (dir, symbols, startMs) =>
    await CoinbaseEmulator.start({
      startMs,
      speed: SPEED,
      dataDir: await candleDir(dir, "binance", symbols, startMs),
    }),
  kraken: async (dir, symbols, startMs) =>
    new KrakenEmulator({
      startMs,
      speed: SPEED,
      dataDir: await candleDir(dir, "kraken", symbols, startMs),
    }),
};

/** The generated `--allow-net=` flag with the emulator's host:port added; nothing else changes. */
function withEmulatorHost(entrypoint: readonly string[], hostPort: string): string[] {
  const nets = entrypoint.filter((flag) => flag.startsWith("--allow-net="));
  assert.equal(nets.length, 1, `one --allow-net flag in ${entrypoint.join(" ")}`);
  return entrypoint.map((flag) => flag.startsWith("--allow-net=") ? `${flag},${hostPort}` : flag);
}

function instances(dir: string): InstanceRecord[] {
  const store = openStore(`sqlite:${dir}/data/trading.db`, { readOnly: true });
  try {
    return store.instances.list();
  } finally {
    store.close();
  }
}

function query<T>(dir: string, sql: string): T[] {
  const db = new DatabaseSync(`${dir}/data/trading.db`, { readOnly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

Deno.test({
  name: "containers: the seed instances run under docker-compose against the emulators",
  ignore: skipReason !== null,
  sanitizeOps: false,
  sanitizeResources: false,
}, async () => {
  const all = await seeds();
  const chosen = all.filter((s) => EMULATED[s.exchange] !== undefined);
  const left = all.filter((s) => EMULATED[s.exchange] === undefined);
  assert.ok(chosen.length > 0, "no seed instance has a loopback emulator");
  if (left.length > 0) {
    say(
      `not run (no loopback emulator): ${left.map((s) => `${s.name} (${s.exchange})`).join(", ")}`,
    );
  }

  // 1. The base and the image.
  let startedMs = performance.now();
  const base = (await must("bash", [`${ROOT}tools/docker/test_base.sh`])).trim().split("\n").at(
    -1,
  )!;
  const baseMs = performance.now() - startedMs;
  const imageId = async () =>
    (await run("docker", ["image", "inspect", "-f", "{{.Id}}", IMAGE]))
      .stdout.trim();
  const earlier = await imageId();
  const hadImage = earlier !== "";
  startedMs = performance.now();
  const build = await must("docker", [
    "build",
    "--network",
    "host",
    "--build-arg",
    `DENO_IMAGE=${base}`,
    "--build-arg",
    `UID=${APP_UID}`,
    "--build-arg",
    `GID=${APP_UID}`,
    "-t",
    IMAGE,
    ROOT,
  ]);
  const buildMs = performance.now() - startedMs;
  // The image this build replaced (untagged now) goes, so repeated runs do not fill the disk.
  if (hadImage && earlier !== await imageId()) await run("docker", ["rmi", earlier]);
  const steps = build.match(/^Step \d+\/\d+/gm)?.length ?? 0;
  const cached = build.match(/Using cache/g)?.length ?? 0;
  const size = Number(
    (await must("docker", ["image", "inspect", "-f", "{{.Size}}", IMAGE])).trim(),
  );
  say(
    `base ${base} ready in ${seconds(baseMs)}; image ${IMAGE} built in ${seconds(buildMs)} ` +
      `(${cached} of ${steps} steps from the layer cache${
        hadImage ? "" : ", no earlier image"
      }), ` +
      `size ${mb(size)}`,
  );

  // 2. The compose project.
  const dir = await Deno.makeTempDir({ prefix: "compose_containers_" });
  const compose = (...args: string[]) =>
    must("docker-compose", [
      "-p",
      PROJECT,
      "-f",
      "docker-compose.yml",
      "-f",
      "docker-compose.test.yml",
      ...args,
    ], { cwd: dir });
  const emulators = new Map<string, Emulator>();
  const pane = new TmuxPane(dir);
  let passed = false;
  try {
    await Deno.copyFile(`${ROOT}docker-compose.yml`, `${dir}/docker-compose.yml`);
    await Deno.writeTextFile(`${dir}/.env`, "", { mode: 0o600 });
    for (const sub of ["data", "logs", "config/strategies", "strategies"]) {
      await Deno.mkdir(`${dir}/${sub}`, { recursive: true });
    }
    for (const sub of ["data", "logs"]) await Deno.chown(`${dir}/${sub}`, APP_UID, APP_UID);
    for (const seed of chosen) {
      await Deno.copyFile(
        `${ROOT}config/strategies/${seed.file}`,
        `${dir}/config/strategies/${seed.file}`,
      );
    }
    await Deno.writeTextFile(`${dir}/config/strategies/${HOG}.yaml`, HOG_CONFIG);
    const hog = await Deno.readTextFile(new URL("./memory_hog_strategy.ts", import.meta.url));
    await Deno.writeTextFile(
      `${dir}/strategies/memory_hog.ts`,
      hog.replace("../../src/strategy_api.ts", "../src/strategy_api.ts"),
    );

    const marketStartMs = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - 3 * DAY_MS;
    for (const exchange of new Set(chosen.map((s) => s.exchange))) {
      const symbols = [
        ...new Set([
          ...chosen.filter((s) => s.exchange === exchange).map((s) => s.symbol),
          ...(exchange === "binance" ? ["ETH/USDT"] : []), // the memory hog's market
        ]),
      ];
      emulators.set(exchange, await EMULATED[exchange](dir, symbols, marketStartMs));
    }
    const generated = (parse(await Deno.readTextFile(`${dir}/docker-compose.yml`), {
      merge: true,
    }) as { services: Record<string, Service> }).services;
    const override: Record<string, Record<string, unknown>> = {};
    for (const seed of chosen) {
      const service = generated[seed.name];
      assert.ok(service, `docker-compose.yml has no service ${seed.name}: run deno task compose`);
      const emulator = emulators.get(seed.exchange)!;
      override[seed.name] = {
        image: IMAGE,
        network_mode: "host",
        entrypoint: withEmulatorHost(service.entrypoint, `127.0.0.1:${emulator.port}`),
        command: [...service.command, "--test-clock", `emulator:${emulator.url}`],
        environment: { [`${envPrefix(seed.exchange)}_API_URL`]: emulator.url },
      };
    }
    // The hog: the binance trader service of the generated file, for its own config.
    const template = generated[chosen.find((s) => s.exchange === "binance")!.name];
    const binance = emulators.get("binance")!;
    const { build: _build, ...hogService } = template;
    override[HOG] = {
      ...hogService,
      image: IMAGE,
      network_mode: "host",
      entrypoint: withEmulatorHost(template.entrypoint, `127.0.0.1:${binance.port}`),
      command: [
        "--config",
        `config/strategies/${HOG}.yaml`,
        "--test-clock",
        `emulator:${binance.url}`,
      ],
      environment: { TRADER_CONFIG: `config/strategies/${HOG}.yaml`, BINANCE_API_URL: binance.url },
    };
    override.dashboard = { image: IMAGE };
    await Deno.writeTextFile(
      `${dir}/docker-compose.test.yml`,
      JSON.stringify({ services: override }, null, 2),
    );
    await run("docker-compose", ["-p", PROJECT, "down", "--remove-orphans"], { cwd: dir });

    // 3. Up, inspect, healthy.
    const names = chosen.map((s) => s.name);
    const upMs = Date.now();
    await compose("up", "-d", "--no-build", ...names);
    const ids = new Map<string, string>();
    for (const name of names) ids.set(name, (await compose("ps", "-q", name)).trim());
    const idName = new Map([...ids].map(([name, id]) => [id, name]));
    // Memory: `docker stats` of every trader container and VmRSS of its trader process, every
    // ~2 s; with each container's health checks (start and end), because a check is a second
    // deno process in the same container for ~5 s every 30 s.
    const samples: { name: string; fromMs: number; toMs: number; bytes: number }[] = [];
    const checks = new Map<string, Map<string, [number, number]>>(names.map((n) => [n, new Map()]));
    const peakRss = new Map<string, number>();
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const fromMs = Date.now();
        const memory = await statsMemory([...ids.values()]).catch(() => new Map<string, number>());
        const toMs = Date.now();
        for (const [id, bytes] of memory) {
          const name = idName.get(id) ?? [...ids].find(([, full]) => full.startsWith(id))?.[0];
          if (name) samples.push({ name, fromMs, toMs, bytes });
        }
        for (const [name, id] of ids) {
          const info = await inspect(id).catch(() => null);
          for (const check of info?.State.Health?.Log ?? []) {
            checks.get(name)!.set(check.Start, [Date.parse(check.Start), Date.parse(check.End)]);
          }
          if (!info?.State.Running) continue;
          const rss = await traderPid(info).then(processRss).catch(() => 0);
          peakRss.set(name, Math.max(peakRss.get(name) ?? 0, rss));
        }
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    })();

    for (const [name, id] of ids) {
      const info = await inspect(id);
      assert.equal(info.HostConfig.NanoCpus, 500_000_000, `${name}: cpus`);
      assert.equal(info.HostConfig.Memory, MEMORY_LIMIT, `${name}: mem_limit`);
      assert.equal(info.HostConfig.RestartPolicy.Name, "unless-stopped", `${name}: restart`);
      assert.equal(info.HostConfig.Init, true, `${name}: init`);
      assert.deepEqual(info.Config.Healthcheck?.Test, [
        "CMD",
        "deno",
        "run",
        "-q",
        "-P=health",
        "tasks/health.ts",
      ]);
      assert.equal(info.Config.Healthcheck?.Interval, 30e9, `${name}: healthcheck interval`);
      assert.equal(info.Config.Healthcheck?.Timeout, 30e9, `${name}: healthcheck timeout`);
      assert.equal(info.Config.Healthcheck?.Retries, 3, `${name}: healthcheck retries`);
      assert.equal(info.Config.User, `${APP_UID}:${APP_UID}`, `${name}: user`);
      assert.ok(!/^(0|root)(:|$)/.test(info.Config.User), `${name}: runs as root`);
      const mount = (to: string) => info.Mounts.find((m) => m.Destination === to);
      assert.equal(mount("/app/config/strategies")?.RW, false, `${name}: config mount read-only`);
      assert.equal(mount("/app/strategies")?.RW, false, `${name}: strategies mount read-only`);
      assert.equal(mount("/app/data")?.Source, `${dir}/data`, `${name}: shared data bind mount`);
      assert.equal(mount("/app/data")?.RW, true, `${name}: data mount writable`);
    }
    say(
      `${names.length} containers up (${names.join(", ")}): 0.5 CPU, 512 MB, unless-stopped, ` +
        `healthcheck, init, user ${APP_UID}:${APP_UID}, config read-only`,
    );

    const health = async () =>
      new Map(
        await Promise.all(
          [...ids].map(async ([name, id]) => [name, await inspect(id)] as [string, ContainerInfo]),
        ),
      );
    await waitFor("every container healthy", async () => {
      const states = await health();
      for (const [name, info] of states) {
        assert.ok(
          info.State.Running,
          `${name} is ${info.State.Status}: ${await logsTail(info.Id)}`,
        );
      }
      return [...states.values()].every((info) => info.State.Health?.Status === "healthy");
    }, 360_000).catch(async (error) => {
      for (const [name, info] of await health()) {
        say(`${name}: ${info.State.Health?.Status}, restarts ${info.RestartCount}, last checks:`);
        for (const check of info.State.Health?.Log ?? []) {
          say(`  ${check.Start} exit ${check.ExitCode}: ${check.Output.trim()}`);
        }
      }
      throw error;
    });
    const healthyMs = Date.now() - upMs;
    const rows = instances(dir);
    for (const name of names) {
      const row = rows.find((r) => r.name === name);
      assert.equal(row?.status, "running", `${name}: row status`);
      assert.ok(Date.now() - row!.heartbeatMs < 60_000, `${name}: heartbeat is stale`);
    }
    say(
      `up to all ${names.length} healthy: ${
        seconds(healthyMs)
      }; every row running, heartbeat < 60 s`,
    );

    // 4. The dashboard tool service, in tmux.
    await pane.start(
      `docker-compose -p ${PROJECT} -f docker-compose.yml -f docker-compose.test.yml run --rm dashboard`,
      200,
      50,
    );
    // The overview's NAME column is 18 wide: longer names end in "…".
    const shown = names.map((name) => name.length > 18 ? `${name.slice(0, 17)}…` : name);
    let board = "";
    await waitFor("the dashboard listing every instance", async () => {
      board = await pane.capture();
      return shown.every((name) =>
        new RegExp(`(^|\\s)${name}\\s+PAPER\\s+running`, "m").test(board)
      );
    }, 90_000).catch((error) => {
      say(`the dashboard pane:\n${board}`);
      throw error;
    });
    const dashboardId = (await must("docker", [
      "ps",
      "-q",
      "--filter",
      `label=com.docker.compose.project=${PROJECT}`,
      "--filter",
      "label=com.docker.compose.service=dashboard",
    ])).trim();
    const dashboardInfo = await inspect(dashboardId);
    assert.deepEqual(dashboardInfo.Config.Healthcheck?.Test, ["NONE"], "dashboard: healthcheck");
    assert.ok(!dashboardInfo.Mounts.some((m) => m.RW), "dashboard: a writable mount");
    say(
      `dashboard (docker-compose run --rm dashboard in tmux; no healthcheck, mounts read-only) ` +
        `lists all ${names.length}:`,
    );
    for (const line of board.split("\n").filter((l) => shown.some((n) => l.includes(n)))) {
      say(`  | ${line.trimEnd()}`);
    }

    // Let the market run until the instances have traded (×600: a 15m candle every 1.5 s).
    const tradedMs = Date.now();
    await waitFor("an instance with orders", () => {
      return query<{ n: number }>(dir, "SELECT COUNT(*) AS n FROM orders")[0].n >= 2;
    }, 240_000);
    const ordersAfterMs = Date.now() - tradedMs;
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    say(`two orders stored ${seconds(ordersAfterMs)} after all were healthy (market ×${SPEED})`);

    // 5. kill -9 of one trader process.
    const orderCounts = query<{ instance: string; n: number }>(
      dir,
      "SELECT instance, COUNT(*) AS n FROM orders GROUP BY instance",
    );
    const victim = [...names].sort((a, b) =>
      (orderCounts.find((o) => o.instance === b)?.n ?? 0) -
      (orderCounts.find((o) => o.instance === a)?.n ?? 0)
    )[0];
    const victimId = ids.get(victim)!;
    const before = await inspect(victimId);
    const ordersBefore = query<{ client_order_id: string; status: string }>(
      dir,
      `SELECT client_order_id, status FROM orders WHERE instance = '${victim}'`,
    );
    const rowBefore = instances(dir).find((r) => r.name === victim)!;
    const pid = await traderPid(before);
    const killMs = Date.now();
    Deno.kill(pid, "SIGKILL");
    const restarted = await waitFor("docker restarting the killed container", async () => {
      const info = await inspect(victimId);
      return info.RestartCount > before.RestartCount && info.State.Running && info;
    }, 60_000);
    const containerBackMs = Date.now() - killMs;
    const rowBack = await waitFor("the restarted instance running again", () => {
      const row = instances(dir).find((r) => r.name === victim);
      return row && row.startedMs > rowBefore.startedMs && row.status === "running" && row;
    }, 120_000);
    const runningBackMs = Date.now() - killMs;
    await waitFor("the restarted container healthy", async () => {
      return (await inspect(victimId)).State.Health?.Status === "healthy";
    }, 120_000);
    const healthyBackMs = Date.now() - killMs;
    assert.ok(rowBack.heartbeatMs > killMs, `${victim}: no heartbeat after the restart`);
    const ordersAfter = query<{ client_order_id: string; status: string }>(
      dir,
      `SELECT client_order_id, status FROM orders WHERE instance = '${victim}'`,
    );
    for (const order of ordersBefore) {
      assert.ok(
        ordersAfter.some((o) => o.client_order_id === order.client_order_id),
        `${victim}: order ${order.client_order_id} lost in the restart`,
      );
    }
    const victimLog = await logsAll(victimId);
    const starts = victimLog.match(/Warmed up on \d+ candles/g) ?? [];
    assert.ok(starts.length >= 2, `${victim}: the restart did not warm up again:\n${victimLog}`);
    say(
      `kill -9 of ${victim}'s trader (host pid ${pid}, ${ordersBefore.length} orders stored): ` +
        `container running again after ${seconds(containerBackMs)} (restart count ` +
        `${restarted.RestartCount}), row running after ${seconds(runningBackMs)}, healthy after ` +
        `${seconds(healthyBackMs)}; ${ordersAfter.length} orders after, none lost`,
    );

    // 6. A leaking user strategy meets the memory limit.
    await compose("up", "-d", "--no-build", HOG);
    const hogId = (await compose("ps", "-q", HOG)).trim();
    const hogUpMs = Date.now();
    const seen: string[] = [];
    let hogPeakRss = 0;
    let lastLine = "";
    const watchDashboard = async () => {
      const line = (await pane.capture()).split("\n").find((l) => l.includes(HOG))?.trimEnd() ??
        "(not listed)";
      if (line !== lastLine) {
        seen.push(`+${seconds(Date.now() - hogUpMs)} | ${line}`);
        lastLine = line;
      }
    };
    const oomAt = await waitFor("the memory hog killed by the limit and restarted", async () => {
      await watchDashboard();
      const info = await inspect(hogId);
      if (info.State.Running) {
        hogPeakRss = Math.max(hogPeakRss, await traderPid(info).then(processRss).catch(() => 0));
      }
      return info.RestartCount > 0 && Date.now();
    }, 300_000).catch(async (error) => {
      // Why not: the container's state, its cgroup's memory and the trader's last lines.
      const info = await inspect(hogId).catch(() => null);
      throw new Error(
        `${(error as Error).message}; ${HOG}: state ${JSON.stringify(info?.State ?? null)}, ` +
          `peak trader RSS seen ${mb(hogPeakRss)}, cgroup ${await cgroupMemory(hogId)}\n` +
          `dashboard:\n${seen.join("\n")}\nlog:\n${
            (await logsAll(hogId)).trim().split("\n").slice(-30).join("\n")
          }`,
      );
    });
    const hogRow0 = instances(dir).find((r) => r.name === HOG)!;
    await waitFor("the memory hog running again", async () => {
      await watchDashboard();
      const row = instances(dir).find((r) => r.name === HOG);
      return row && row.status === "running" && row.startedMs > hogRow0.startedMs - 1 &&
        row.heartbeatMs > oomAt;
    }, 120_000);
    for (let i = 0; i < 10; i++) {
      await watchDashboard();
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const ooms = await pastEvents(hogId, "oom", hogUpMs - 1_000, Date.now());
    assert.ok(ooms.length >= 1, `${HOG}: no oom event; restarted for another reason`);
    say(
      `${HOG} (strategies/memory_hog.ts keeps 128 MB more per candle): peak trader RSS seen ` +
        `${mb(hogPeakRss)}, ${ooms.length} oom event(s), restarted by Docker ` +
        `${seconds(oomAt - hogUpMs)} after up; the dashboard meanwhile:`,
    );
    for (const line of seen) say(`  ${line}`);
    await compose("stop", HOG);
    await compose("rm", "-f", HOG);
    // Killed by the kernel, a trader cannot write its row: unless the last kill came before
    // `stop`, the row of a trader that died this way still says running.
    const hogLast = instances(dir).find((r) => r.name === HOG)!;
    say(`${HOG} after docker-compose stop: row ${hogLast.status} (${hogLast.statusReason ?? "-"})`);

    // 7. Memory, stop, logs, orders.
    sampling = false;
    await sampler;
    const figures: string[] = [];
    for (const name of names) {
      const mine = samples.filter((sample) => sample.name === name);
      const during = (sample: { fromMs: number; toMs: number }) =>
        [...checks.get(name)!.values()].some(([start, end]) =>
          sample.fromMs <= end + 1_000 && start - 500 <= sample.toMs
        );
      const alone = mine.filter((sample) => !during(sample));
      const peak = Math.max(0, ...alone.map((sample) => sample.bytes));
      const peakAll = Math.max(0, ...mine.map((sample) => sample.bytes));
      assert.ok(alone.length >= 5, `${name}: ${alone.length} docker stats samples between checks`);
      assert.ok(peak < RSS_LIMIT, `${name}: ${mb(peak)} in docker stats, limit ${mb(RSS_LIMIT)}`);
      assert.ok(peakAll < MEMORY_LIMIT / 2, `${name}: ${mb(peakAll)} with a health check running`);
      figures.push(
        `${name} ${mb(peak)} (${mb(peakAll)} with a health check running; trader VmRSS ` +
          `${mb(peakRss.get(name) ?? 0)}; ${mine.length} samples)`,
      );
    }
    say(`peak memory per trader container, docker stats: ${figures.join(", ")}`);

    const stopMs = Date.now();
    await compose("stop");
    const stopTookMs = Date.now() - stopMs;
    for (const [name, id] of ids) {
      const info = await inspect(id);
      assert.equal(info.State.Running, false, `${name} still running`);
      assert.equal(info.State.ExitCode, 0, `${name}: exit code ${info.State.ExitCode}`);
      assert.equal(info.State.OOMKilled, false, `${name}: OOM killed`);
      const exitedMs = Date.parse(info.State.FinishedAt) - stopMs;
      assert.ok(exitedMs < GRACE_MS, `${name}: exited ${seconds(exitedMs)} after stop`);
    }
    const stoppedRows = instances(dir);
    for (const name of names) {
      assert.equal(stoppedRows.find((r) => r.name === name)?.status, "stopped", `${name}: row`);
    }
    say(`docker-compose stop: all exited 0 in ${seconds(stopTookMs)}; every row stopped`);

    let busy = 0;
    for (const id of [...ids.values(), hogId]) {
      busy += ((await logsAll(id)).match(/SQLITE_BUSY|database is locked|database is busy/gi) ?? [])
        .length;
    }
    assert.equal(busy, 0, "SQLite busy errors in the container logs");
    const dbs = [...Deno.readDirSync(`${dir}/data`)].filter((e) => e.name.endsWith(".db"));
    assert.deepEqual(dbs.map((e) => e.name), ["trading.db"]);
    const dupes = query<{ instance: string }>(
      dir,
      "SELECT instance, candle_time_ms, intent, COUNT(*) AS n FROM orders " +
        "GROUP BY instance, candle_time_ms, intent HAVING n > 1",
    );
    assert.deepEqual(dupes, [], "a candle with two orders for one intent");
    const perInstance = query<{ instance: string; n: number }>(
      dir,
      "SELECT instance, COUNT(*) AS n FROM orders GROUP BY instance ORDER BY instance",
    );
    for (const emulator of emulators.values()) {
      assert.equal(emulator.requests().filter((r) => r.signed).length, 0, "paper signed a request");
    }
    say(
      `one shared data/trading.db, 0 busy errors in ${ids.size + 1} container logs, ` +
        `no duplicate order; orders: ${
          perInstance.map((o) => `${o.instance} ${o.n}`).join(", ") ||
          "none"
        }; 0 signed requests on the emulators`,
    );
    passed = true;
  } finally {
    await pane.tmux("send-keys", "-t", "dash", "q").catch(() => "");
    await pane.kill();
    await run("docker-compose", ["-p", PROJECT, "down", "--remove-orphans"], { cwd: dir });
    for (const emulator of emulators.values()) await emulator.close();
    if (passed) await Deno.remove(dir, { recursive: true });
    else say(`files kept in ${dir}`);
  }
});

/** A container's whole log (stdout and stderr). */
async function logsAll(id: string): Promise<string> {
  const ran = await run("docker", ["logs", id]);
  return ran.stdout + ran.stderr;
}

/** A container's cgroup v1 memory figures, for a failure message ("unknown" without them). */
async function cgroupMemory(id: string): Promise<string> {
  const dir = `/sys/fs/cgroup/memory/docker/${id}`;
  const read = (file: string) => Deno.readTextFile(`${dir}/${file}`).then((t) => t.trim());
  try {
    const oom = (await read("memory.oom_control")).replaceAll("\n", ", ");
    return `usage ${mb(Number(await read("memory.usage_in_bytes")))}, max ` +
      `${mb(Number(await read("memory.max_usage_in_bytes")))}, failcnt ` +
      `${await read("memory.failcnt")}, ${oom}`;
  } catch (error) {
    return `unknown (${(error as Error).message})`;
  }
}

async function logsTail(id: string): Promise<string> {
  return (await logsAll(id)).trim().split("\n").slice(-5).join("\n");
}
