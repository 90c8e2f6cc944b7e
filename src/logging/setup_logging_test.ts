import assert from "node:assert/strict";
import { InputError } from "../core/errors.ts";
import { getLogger, parseLogLevel, setupLogging, shutdownLogging } from "./mod.ts";

const FAKE_SECRETS = [
  "AKfakeApiKey0000000000000000001",
  "SKfakeSecret000000000000000002",
  "hunter2fakePassword003",
  "c0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffee0004",
  "Bearer-fake-token-0005",
  "TopSecretInMessage0006",
];

Deno.test("setupLogging writes JSON lines with every secret redacted", async () => {
  const logDir = await Deno.makeTempDir();
  setupLogging({ name: "redact", logDir, level: "debug", stderr: false });
  const log = getLogger(["exchange", "binance"]);
  log.info("request sent", {
    apiKey: FAKE_SECRETS[0],
    secret: FAKE_SECRETS[1],
    password: FAKE_SECRETS[2],
    headers: { Authorization: `Bearer ${FAKE_SECRETS[4]}`, "X-MBX-APIKEY": FAKE_SECRETS[0] },
    signature: FAKE_SECRETS[3],
    symbol: "BTC/USDT",
  });
  log.warn(
    `GET https://api.example/api/v3/order?symbol=BTCUSDT&signature=${FAKE_SECRETS[3]}&x=1`,
  );
  log.error("auth failed: {token} {apiKey}", { token: FAKE_SECRETS[4], apiKey: FAKE_SECRETS[0] });
  log.error(`auth failed: Authorization: Bearer "${FAKE_SECRETS[4]}" apiKey=${FAKE_SECRETS[0]}`);
  log.debug(`config dump secret=${FAKE_SECRETS[5]} password: "${FAKE_SECRETS[2]}"`);
  await shutdownLogging();
  const text = await Deno.readTextFile(`${logDir}/redact.jsonl`);
  const lines = text.trim().split("\n");
  assert.equal(lines.length, 5);
  for (const line of lines) assert.doesNotThrow(() => JSON.parse(line), line);
  assert.ok(text.includes("BTC/USDT"), "ordinary fields are kept");
  assert.ok(text.includes("[REDACTED]"));
  for (const secret of FAKE_SECRETS) {
    assert.equal(text.includes(secret), false, `secret leaked: ${secret}`);
  }
  assert.match(lines[0], /"logger":"trading.exchange.binance"/);
  await Deno.remove(logDir, { recursive: true });
});

Deno.test("setupLogging honours the level", async () => {
  const logDir = await Deno.makeTempDir();
  setupLogging({ name: "level", logDir, level: "warning", stderr: false });
  getLogger("x").info("dropped");
  getLogger("x").warn("kept");
  await shutdownLogging();
  const text = await Deno.readTextFile(`${logDir}/level.jsonl`);
  assert.equal(text.includes("dropped"), false);
  assert.ok(text.includes("kept"));
  await Deno.remove(logDir, { recursive: true });
});

Deno.test("setupLogging rotates files at the size limit", async () => {
  const logDir = await Deno.makeTempDir();
  setupLogging({ name: "rot", logDir, maxFileBytes: 2000, maxFiles: 3, stderr: false });
  for (let i = 0; i < 100; i++) getLogger("x").info(`line ${i} ${"x".repeat(50)}`);
  await shutdownLogging();
  const names = [...Deno.readDirSync(logDir)].map((e) => e.name).sort();
  assert.deepEqual(names, ["rot.jsonl", "rot.jsonl.1", "rot.jsonl.2"]);
  await Deno.remove(logDir, { recursive: true });
});

Deno.test("parseLogLevel maps LOG_LEVEL and rejects unknown levels", () => {
  assert.equal(parseLogLevel(undefined), "info");
  assert.equal(parseLogLevel("debug"), "debug");
  assert.equal(parseLogLevel("error"), "error");
  assert.throws(() => parseLogLevel("verbose"), InputError);
});
