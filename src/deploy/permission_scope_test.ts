/**
 * Proves the compose file's per-container network scope with real processes: the flags
 * `deno task compose` gives a binance trader let it reach binance's API host but refuse any
 * other host before a single packet leaves (Deno's NotCapable), loopback included.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const PROBE = fileURLToPath(new URL("./testdata/net_probe.ts", import.meta.url));
const BINANCE_CONFIG = `${ROOT}config/strategies/btc-binance-1h.yaml`;

interface ProbeResult {
  target: string;
  outcome: "connected" | "denied" | "failed";
  error: string | null;
}

/** Runs the real compose task on the binance config alone and returns that service's entrypoint. */
async function generatedBinanceEntrypoint(dir: string): Promise<string[]> {
  await Deno.mkdir(`${dir}/configs`);
  await Deno.copyFile(BINANCE_CONFIG, `${dir}/configs/btc-binance-1h.yaml`);
  const out = `${dir}/docker-compose.yml`;
  const run = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-q", "-A", "tasks/compose.ts", "--configs", `${dir}/configs`, "--out", out],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(run.code, 0, new TextDecoder().decode(run.stderr));
  const file = parse(await Deno.readTextFile(out), { merge: true }) as {
    services: Record<string, { entrypoint: string[] }>;
  };
  return file.services["btc-binance-1h"].entrypoint;
}

/** Runs the probe with the trader's exact flags, its script swapped for the probe, from the repo. */
async function probe(entrypoint: string[], targets: string[]): Promise<ProbeResult[]> {
  assert.deepEqual(entrypoint.slice(0, 2), ["deno", "run"]);
  assert.equal(entrypoint.at(-1), "tasks/trade.ts");
  const flags = entrypoint.slice(2, -1);
  const run = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...flags, PROBE, ...targets],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(run.code, 0, new TextDecoder().decode(run.stderr));
  return new TextDecoder().decode(run.stdout).trim().split("\n").map((line) => JSON.parse(line));
}

async function withLoopbackServer<T>(fn: (port: number, accepted: () => number) => Promise<T>) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let accepted = 0;
  const serving = (async () => {
    for await (const conn of listener) {
      accepted += 1;
      conn.close();
    }
  })();
  try {
    return await fn((listener.addr as Deno.NetAddr).port, () => accepted);
  } finally {
    listener.close();
    await serving.catch(() => {});
  }
}

Deno.test("compose binance trader cannot connect to any host but binance's", async () => {
  const dir = await Deno.makeTempDir({ prefix: "permission_scope_" });
  try {
    const entrypoint = await generatedBinanceEntrypoint(dir);
    const net = entrypoint.filter((flag) => flag.startsWith("--allow-net"));
    assert.equal(net.length, 1);
    assert.ok(
      net[0].split("=")[1].split(",").every((host) =>
        host.replace(/:\d+$/, "").endsWith(".binance.com")
      ),
    );
    await withLoopbackServer(async (port, accepted) => {
      const results = await probe(entrypoint, [
        `tcp:127.0.0.1:${port}`,
        `http://127.0.0.1:${port}/`,
        "https://api.kraken.com/0/public/Time",
        "https://api.binance.com/api/v3/ping",
      ]);
      for (const result of results.slice(0, 3)) {
        assert.equal(result.outcome, "denied", JSON.stringify(result));
        assert.match(result.error ?? "", /^NotCapable: Requires net access/);
      }
      assert.equal(accepted(), 0, "a denied connection must not reach the server");
      // No internet here: binance's host may fail to resolve, but never for lack of permission.
      const binance = results[3];
      assert.notEqual(binance.outcome, "denied", JSON.stringify(binance));
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("compose permission probe does connect when the host is allowed (control)", async () => {
  await withLoopbackServer(async (port, accepted) => {
    const entrypoint = ["deno", "run", "-q", "--allow-net=127.0.0.1", "tasks/trade.ts"];
    const [result] = await probe(entrypoint, [`tcp:127.0.0.1:${port}`]);
    assert.equal(result.outcome, "connected", JSON.stringify(result));
    // The server counts the connection on its own schedule; wait for it without a timing assertion.
    for (let i = 0; i < 500 && accepted() === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(accepted(), 1);
  });
});
