/** Helpers for trader process tests: spawn `tasks/trade.ts`, wait for conditions, write configs. */
import { openStore, type Store } from "../../src/storage/mod.ts";

const TRADE_TASK = new URL("../../tasks/trade.ts", import.meta.url).pathname;
const ROOT = new URL("../../", import.meta.url).pathname;

/** A running trader process. */
export interface TraderProcess {
  readonly child: Deno.ChildProcess;
  readonly status: Promise<Deno.CommandStatus>;
  readonly stdout: Promise<string>;
  readonly stderr: Promise<string>;
}

/** Spawns `deno run -A tasks/trade.ts --config <config> …args` with `env` added. */
export function spawnTrader(
  config: string,
  env: Record<string, string>,
  args: string[] = [],
): TraderProcess {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", TRADE_TASK, "--config", config, ...args],
    cwd: ROOT,
    env: { NO_COLOR: "1", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stdout = new Response(child.stdout).text();
  const stderr = new Response(child.stderr).text();
  return { child, status: child.status, stdout, stderr };
}

/**
 * Spawns the trade task working in `cwd` (its own `data/` and lock files, as on another host),
 * with this repository's deno.json.
 */
export function spawnTraderIn(
  cwd: string,
  config: string,
  env: Record<string, string>,
  args: string[] = [],
): TraderProcess {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", `${ROOT}deno.json`, TRADE_TASK, "--config", config, ...args],
    cwd,
    env: { NO_COLOR: "1", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stdout = new Response(child.stdout).text();
  const stderr = new Response(child.stderr).text();
  return { child, status: child.status, stdout, stderr };
}

/** Ends a trader process with SIGKILL (if still running) and drains its output: test cleanup. */
export async function killTrader(trader: TraderProcess): Promise<void> {
  try {
    trader.child.kill("SIGKILL");
  } catch {
    // Already ended.
  }
  await trader.status;
  await trader.stdout;
  await trader.stderr;
}

/** Polls `check` every 100 ms until it returns a non-null value; throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Runs `fn` with a store on `url`, closing it after (so the trader's writes are seen fresh). */
export function withStore<T>(url: string, fn: (store: Store) => T): T {
  const store = openStore(url);
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

/** Writes an instance config YAML into `dir`; returns its path. */
export async function writeConfig(dir: string, name: string, body: string): Promise<string> {
  const path = `${dir}/${name}.yaml`;
  await Deno.writeTextFile(path, `name: ${name}\n${body}`);
  return path;
}
