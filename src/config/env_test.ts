import assert from "node:assert/strict";
import { InputError } from "../core/errors.ts";
import { exchangeApiUrl, exchangeCredentials, loadEnvFile, readSettings } from "./env.ts";

/** An in-memory env target, so tests never touch the process environment. */
function memoryEnv(initial: Record<string, string> = {}) {
  const values = new Map(Object.entries(initial));
  return {
    values,
    get: (key: string) => values.get(key),
    set: (key: string, value: string) => void values.set(key, value),
  };
}

async function withTempDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await run(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("loadEnvFile sets only variables that are not already set", () =>
  withTempDir(async (dir) => {
    const path = `${dir}/.env`;
    await Deno.writeTextFile(
      path,
      '# comment\nLOG_LEVEL=debug\nBINANCE_API_KEY="abc def"\nLOG_DIR=/x\n',
      { mode: 0o600 },
    );
    await Deno.chmod(path, 0o600);
    const env = memoryEnv({ LOG_DIR: "/already" });
    const result = await loadEnvFile(path, { target: env });
    assert.deepEqual(result, { loaded: ["LOG_LEVEL", "BINANCE_API_KEY"], warning: null });
    assert.equal(env.get("LOG_DIR"), "/already");
    assert.equal(env.get("BINANCE_API_KEY"), "abc def");
  }));

Deno.test("loadEnvFile accepts a missing file", async () => {
  assert.deepEqual(await loadEnvFile("/nonexistent/dir/.env", { target: memoryEnv() }), {
    loaded: [],
    warning: null,
  });
});

Deno.test("loadEnvFile warns about a world-readable file", () =>
  withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/.env`, "A=1\n");
    await Deno.chmod(`${dir}/.env`, 0o644);
    const { warning } = await loadEnvFile(`${dir}/.env`, { target: memoryEnv() });
    assert.equal(
      warning,
      `env file "${dir}/.env" is readable by every user; run: chmod 600 ${dir}/.env`,
    );
  }));

Deno.test("loadEnvFile rejects a directory, a non-UTF-8 file and an unreadable file in one line", () =>
  withTempDir(async (dir) => {
    const expect = (path: string, why: string) =>
      assert.rejects(loadEnvFile(path, { target: memoryEnv() }), (error: unknown) => {
        assert.ok(error instanceof InputError);
        assert.equal(error.exitCode, 2);
        assert.equal(error.message, `Cannot load env file "${path}": ${why}`);
        return true;
      });
    await expect(dir, "is a directory, not a file");
    await Deno.writeFile(`${dir}/latin1.env`, new Uint8Array([0x41, 0x3d, 0xe9, 0x0a]));
    await expect(`${dir}/latin1.env`, "file is not valid UTF-8 text");
    await Deno.writeTextFile(`${dir}/locked.env`, "A=1\n");
    await Deno.chmod(`${dir}/locked.env`, 0o000);
    if (Deno.uid() !== 0) await expect(`${dir}/locked.env`, "permission denied");
  }));

Deno.test("readSettings applies defaults and rejects a bad LOG_LEVEL or DATABASE_URL", () => {
  assert.deepEqual(readSettings({}), {
    databaseUrl: "sqlite:./data/trading.db",
    logLevel: "info",
    logDir: "./logs",
  });
  assert.deepEqual(
    readSettings({ DATABASE_URL: "sqlite:/tmp/t.db", LOG_LEVEL: "debug", LOG_DIR: "/tmp/logs" }),
    { databaseUrl: "sqlite:/tmp/t.db", logLevel: "debug", logDir: "/tmp/logs" },
  );
  assert.throws(() => readSettings({ LOG_LEVEL: "verbose" }), {
    name: "InputError",
    message:
      `Cannot read settings: LOG_LEVEL: must be one of debug, info, warning, error (got "verbose")`,
  });
  assert.throws(() => readSettings({ DATABASE_URL: "mysql://x" }), {
    message: "Cannot read settings: DATABASE_URL: DATABASE_URL must be sqlite:PATH, " +
      `sqlite::memory: or postgres://USER:PASSWORD@HOST:PORT/DB (got "mysql://x")`,
  });
  assert.throws(() => readSettings({ DATABASE_URL: "postgres://u:hunter2@/db" }), {
    message: "Cannot read settings: DATABASE_URL: malformed URL; DATABASE_URL must be " +
      `sqlite:PATH, sqlite::memory: or postgres://USER:PASSWORD@HOST:PORT/DB ` +
      `(got "postgres://u:***@/db")`,
  });
  assert.equal(
    readSettings({ DATABASE_URL: "postgres://u:p@db.example:5432/trading" }).databaseUrl,
    "postgres://u:p@db.example:5432/trading",
  );
});

Deno.test("exchangeCredentials reads <ID>_API_* as secrets", () => {
  const env = {
    BINANCE_API_KEY: "key1",
    BINANCE_API_SECRET: "sec1",
    BINANCE_API_PASSWORD: "",
    KRAKEN_API_KEY: "k",
  };
  const credentials = exchangeCredentials("binance", env);
  assert.equal(credentials.apiKey?.reveal(), "key1");
  assert.equal(credentials.secret?.reveal(), "sec1");
  assert.equal(credentials.password, null);
  assert.equal(JSON.stringify(credentials), `{"apiKey":"***","secret":"***","password":null}`);
  assert.deepEqual(exchangeCredentials("coinbase", env), {
    apiKey: null,
    secret: null,
    password: null,
  });
});

Deno.test("exchangeApiUrl returns the override URL or null, and rejects a non-URL", () => {
  assert.equal(
    exchangeApiUrl("binance", { BINANCE_API_URL: "http://127.0.0.1:8080" }),
    "http://127.0.0.1:8080",
  );
  assert.equal(exchangeApiUrl("binance", {}), null);
  assert.throws(() => exchangeApiUrl("binance", { BINANCE_API_URL: "not a url" }), {
    message: `Cannot read settings: BINANCE_API_URL: must be an http(s) URL (got "not a url")`,
  });
});
