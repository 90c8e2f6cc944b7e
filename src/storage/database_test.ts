import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { StorageInputError } from "../core/errors.ts";
import { openDatabase, SCHEMA_VERSION, schemaVersion, writeTransaction } from "./mod.ts";

async function sha256(path: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

function assertRefused(url: string, pattern: RegExp): void {
  assert.throws(() => openDatabase(url), (error: unknown) => {
    assert.ok(error instanceof StorageInputError, String(error));
    assert.equal(error.exitCode, 2);
    assert.match(error.message, pattern);
    assert.equal(error.message.includes("\n"), false);
    return true;
  });
}

Deno.test("openDatabase sets WAL, synchronous NORMAL, busy_timeout, foreign keys and migrates", async () => {
  const dir = await Deno.makeTempDir();
  const db = openDatabase(`sqlite:${dir}/sub/t.db`);
  const pragma = (name: string) => Object.values(db.prepare(`PRAGMA ${name}`).get()!)[0];
  assert.equal(pragma("journal_mode"), "wal");
  assert.equal(pragma("synchronous"), 1);
  assert.ok((pragma("busy_timeout") as number) >= 5000);
  assert.equal(pragma("foreign_keys"), 1);
  assert.equal(schemaVersion(db), SCHEMA_VERSION);
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .all().map((row) => row.name);
  for (const table of ["candles", "instances", "orders", "fills", "trades", "equity"]) {
    assert.ok(tables.includes(table), table);
  }
  db.close();
  const again = openDatabase(`sqlite:${dir}/sub/t.db`);
  assert.equal(schemaVersion(again), SCHEMA_VERSION);
  again.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("openDatabase refuses a newer schema without touching the file", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/x.db`;
  const raw = new DatabaseSync(path);
  raw.exec(`CREATE TABLE t (a); PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
  raw.close();
  const before = await sha256(path);
  assert.throws(() => openDatabase(`sqlite:${path}`), {
    message: `Cannot open database "${path}": schema version ${SCHEMA_VERSION + 1} is newer ` +
      `than this build's ` +
      `${SCHEMA_VERSION}; upgrade the software`,
  });
  assert.throws(() => openDatabase(`sqlite:${path}`, { readOnly: true }), StorageInputError);
  assert.equal(await sha256(path), before);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("openDatabase refuses a directory, a text file and a corrupt file, bytes unchanged", async () => {
  const dir = await Deno.makeTempDir();
  assertRefused(`sqlite:${dir}`, /is a directory/);
  const text = `${dir}/notes.db`;
  await Deno.writeTextFile(text, "timestamp,open,high,low,close,volume\n1,2,3,4,5,6\n");
  const textHash = await sha256(text);
  assertRefused(`sqlite:${text}`, /not an SQLite database/);
  assert.equal(await sha256(text), textHash);
  // A real header followed by garbage: SQLite's own check must catch it.
  const corrupt = `${dir}/corrupt.db`;
  const bytes = new Uint8Array(8192).map((_, i) => (i * 7919) % 251);
  bytes.set(new TextEncoder().encode("SQLite format 3\0"), 0);
  await Deno.writeFile(corrupt, bytes);
  const corruptHash = await sha256(corrupt);
  assertRefused(`sqlite:${corrupt}`, /not an SQLite database or corrupt|Cannot open database/);
  assert.equal(await sha256(corrupt), corruptHash);
  assertRefused("mysql://localhost/x", /DATABASE_URL must be sqlite:PATH/);
  await Deno.remove(dir, { recursive: true });
});

async function makeReadOnly(dir: string, readOnly: boolean): Promise<void> {
  // As root, permission bits do not stop writes; the immutable attribute does.
  if (Deno.uid() === 0) {
    const flag = readOnly ? "+i" : "-i";
    const { success } = await new Deno.Command("chattr", { args: [flag, dir] }).output();
    assert.ok(success, "chattr is needed to make a read-only directory as root");
  } else {
    await Deno.chmod(dir, readOnly ? 0o555 : 0o755);
  }
}

Deno.test("openDatabase refuses a read-only location with one line, existing DB unchanged", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/t.db`;
  openDatabase(`sqlite:${path}`).close();
  const before = await sha256(path);
  await makeReadOnly(dir, true);
  try {
    assertRefused(`sqlite:${dir}/new.db`, /Cannot open database ".*new\.db": /);
    assertRefused(`sqlite:${path}`, /Cannot open database ".*t\.db": /);
  } finally {
    await makeReadOnly(dir, false);
  }
  assert.equal(await sha256(path), before);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("openDatabase readOnly reads while a writer holds a transaction and never writes", async () => {
  const dir = await Deno.makeTempDir();
  const url = `sqlite:${dir}/t.db`;
  const writer = openDatabase(url);
  writer.exec("INSERT INTO equity VALUES ('a', 1, 10)");
  const reader = openDatabase(url, { readOnly: true });
  writer.exec("BEGIN IMMEDIATE");
  writer.exec("INSERT INTO equity VALUES ('a', 2, 11)");
  assert.equal(reader.prepare("SELECT count(*) AS n FROM equity").get()!.n, 1);
  writer.exec("COMMIT");
  assert.equal(reader.prepare("SELECT count(*) AS n FROM equity").get()!.n, 2);
  assert.throws(() => reader.exec("INSERT INTO equity VALUES ('a', 3, 12)"), /readonly/);
  reader.close();
  writer.close();
  assertRefusedReadOnlyMissing(`sqlite:${dir}/missing.db`);
  await Deno.remove(dir, { recursive: true });
});

function assertRefusedReadOnlyMissing(url: string): void {
  assert.throws(() => openDatabase(url, { readOnly: true }), /does not exist/);
}

Deno.test("writeTransaction uses BEGIN IMMEDIATE and rolls back on error", async () => {
  const dir = await Deno.makeTempDir();
  const url = `sqlite:${dir}/t.db`;
  const a = openDatabase(url);
  const b = openDatabase(url, { busyTimeoutMs: 5000 });
  b.exec("PRAGMA busy_timeout = 0");
  writeTransaction(a, () => {
    // IMMEDIATE took the write lock before any write: another writer is refused at once.
    assert.throws(() => b.exec("BEGIN IMMEDIATE"), /locked|busy/i);
    a.exec("INSERT INTO equity VALUES ('a', 1, 10)");
  });
  assert.throws(() =>
    writeTransaction(a, () => {
      a.exec("INSERT INTO equity VALUES ('a', 2, 10)");
      throw new Error("boom");
    }), /boom/);
  assert.equal(a.prepare("SELECT count(*) AS n FROM equity").get()!.n, 1);
  assert.equal(a.isTransaction, false);
  a.close();
  b.close();
  await Deno.remove(dir, { recursive: true });
});
