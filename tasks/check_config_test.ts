import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SCRIPT = `${ROOT}tasks/check_config.ts`;
const VALID = "exchange: binance\nsymbol: BTC/USDT\ntimeframe: 1h\nstrategy:\n  name: rsi\n";

/** Runs check_config as a real process from `cwd`, with `permissions` flags. */
async function runCheck(
  cwd: string,
  args: string[],
  permissions = ["--allow-read", "--allow-env"],
) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-q", `--config=${ROOT}deno.json`, ...permissions, SCRIPT, ...args],
    cwd,
    env: { NO_COLOR: "1", LOG_LEVEL: "info" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

async function withTempDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await run(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("check_config exits 2 with one stderr line for an out-of-bounds value", () =>
  withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/bad.yaml`, `${VALID}risk:\n  stop_loss_pct: 150\n`);
    const { code, stderr } = await runCheck(dir, ["bad.yaml"]);
    assert.equal(code, 2);
    assert.equal(
      stderr,
      `Cannot load config "bad.yaml": line 7: risk.stop_loss_pct: must be between 0 and 100 (got 150)\n`,
    );
  }));

Deno.test("check_config exits 0 for a valid config and 2 for a missing one", () =>
  withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/good.yaml`, VALID);
    const ok = await runCheck(dir, ["good.yaml"]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout, "ok good.yaml (good: binance BTC/USDT 1h rsi)\n");
    const missing = await runCheck(dir, ["good.yaml", "missing.yaml"]);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, `Cannot load config "missing.yaml": file not found\n`);
  }));

Deno.test("check_config maps usage errors to 2 and --help to 0", () =>
  withTempDir(async (dir) => {
    const unknown = await runCheck(dir, ["--bogus", "x.yaml"]);
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr, "Cannot run check_config: unknown option '--bogus'\n");
    const noFiles = await runCheck(dir, []);
    assert.equal(noFiles.code, 2);
    assert.equal(noFiles.stderr.trim().split("\n").length, 1);
    const help = await runCheck(dir, ["--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: check_config \[options\] <files\.\.\.>/);
    assert.equal(help.stderr, "");
  }));

Deno.test("check_config exits 2 with one line when .env cannot be read", () =>
  withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/.env`, "LOG_LEVEL=debug\n");
    await Deno.writeTextFile(`${dir}/good.yaml`, VALID);
    const { code, stderr } = await runCheck(dir, ["good.yaml"], [
      `--allow-read=${ROOT}`,
      "--allow-env",
    ]);
    assert.equal(code, 2);
    assert.equal(stderr, `Cannot load env file ".env": no read permission (Deno --allow-read)\n`);
  }));

Deno.test("check_config rejects a bad --set as one line", () =>
  withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/good.yaml`, VALID);
    const { code, stderr } = await runCheck(dir, ["--set", "risk.stop_loss_pct", "good.yaml"]);
    assert.equal(code, 2);
    assert.equal(
      stderr,
      `Cannot apply --set "risk.stop_loss_pct": expected key=value, e.g. risk.stop_loss_pct=3\n`,
    );
  }));
