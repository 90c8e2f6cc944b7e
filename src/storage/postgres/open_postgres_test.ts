import assert from "node:assert/strict";
import { DatabaseUnavailableError, StorageError, StorageInputError } from "../../core/errors.ts";
import { openDatabase } from "../database.ts";
import { SCHEMA_VERSION } from "../migrations.ts";
import { writeTransaction } from "../write_transaction.ts";
import { schemaVersion } from "../migrate.ts";
import { PgDatabase } from "./pg_database.ts";
import { freshSchema, LOCAL_POSTGRES_URL } from "../../../tests/support/test_database.ts";

const SERVER = Deno.env.get("TEST_DATABASE_URL") ?? LOCAL_POSTGRES_URL;

Deno.test("openDatabase on PostgreSQL migrates every migration, translated, into the URL's schema", () => {
  using schema = freshSchema(SERVER);
  const url = schema.url;
  const db = openDatabase(url);
  try {
    assert.equal(schemaVersion(db), SCHEMA_VERSION);
    const types = db.prepare(
      "SELECT table_name, column_name, data_type FROM information_schema.columns " +
        "WHERE table_schema = ? AND column_name IN ('open_time_ms', 'open', 'id') " +
        "AND table_name IN ('candles', 'trades') ORDER BY 1, 2",
    ).all(new URL(url).searchParams.get("schema"));
    assert.deepEqual(types.map((row) => `${row.table_name}.${row.column_name}:${row.data_type}`), [
      "candles.open:double precision",
      "candles.open_time_ms:bigint",
      "trades.id:bigint",
    ]);
    // A second open (another process) finds the schema current and migrates nothing.
    openDatabase(url).close();
    assert.equal(Number(db.prepare("SELECT count(*) AS n FROM schema_version").get()!.n), 1);
  } finally {
    db.close();
  }
});

Deno.test("openDatabase on PostgreSQL: eight processes opening a new schema at once all migrate it, once", async () => {
  const main = new URL("../../../tests/support/open_database_main.ts", import.meta.url).pathname;
  for (let round = 0; round < 3; round++) {
    using schema = freshSchema(SERVER);
    const outputs = await Promise.all(
      Array.from({ length: 8 }, () =>
        new Deno.Command(Deno.execPath(), {
          args: ["run", "-A", main, schema.url],
          stdin: "null",
        }).output()),
    );
    for (const output of outputs) {
      const text = new TextDecoder().decode(output.stdout) +
        new TextDecoder().decode(output.stderr);
      assert.equal(output.code, 0, `round ${round}: ${text}`);
      assert.equal(text.trim(), `version ${SCHEMA_VERSION}`);
    }
    const db = openDatabase(schema.url);
    try {
      assert.equal(Number(db.prepare("SELECT count(*) AS n FROM schema_version").get()!.n), 1);
    } finally {
      db.close();
    }
  }
});

Deno.test("openDatabase on PostgreSQL refuses a newer schema without changing it", () => {
  using schema = freshSchema(SERVER);
  const url = schema.url;
  const db = openDatabase(url);
  db.exec(`UPDATE schema_version SET version = ${SCHEMA_VERSION + 1}`);
  db.close();
  for (const readOnly of [false, true]) {
    assert.throws(() => openDatabase(url, { readOnly }), (error: Error) => {
      assert.ok(error instanceof StorageInputError);
      assert.match(error.message, new RegExp(`schema version ${SCHEMA_VERSION + 1} is newer`));
      return true;
    });
  }
});

Deno.test("openDatabase on PostgreSQL: a server that is down is exit 1 with host and port, refused credentials exit 2 with the password masked", () => {
  assert.throws(() => openDatabase("postgres://trader:hunter2@127.0.0.1:1/trading"), (error) => {
    assert.ok(error instanceof StorageError && !(error instanceof StorageInputError));
    assert.equal(error.exitCode, 1);
    assert.match(error.message, /server at 127\.0\.0\.1:1 is not reachable/);
    assert.doesNotMatch(error.message, /hunter2|\n/);
    return true;
  });
  const server = new URL(SERVER);
  const stranger = `postgres://no_such_role:hunter2@${server.host}${server.pathname}`;
  assert.throws(() => openDatabase(stranger), (error) => {
    assert.ok(error instanceof StorageInputError);
    assert.equal(error.exitCode, 2);
    assert.match(error.message, /refused user "no_such_role"/);
    assert.match(error.message, /no_such_role:\*\*\*@/);
    assert.doesNotMatch(error.message, /hunter2|\n/);
    return true;
  });
});

Deno.test("PgDatabase survives a lost connection: the transaction fails, the next statement reconnects", () => {
  // 30 rounds, the backend terminated at slightly different moments: the client sees the loss as
  // a reset, a closed write or a close inside the transaction. Under Deno a reset socket could
  // leave the driver's reconnect waiting forever (2 rounds in 35 hung); a short call limit turns
  // such a hang into a failure here.
  const schema = `t_${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`;
  const killer = new PgDatabase({ url: SERVER, schema, readOnly: false });
  killer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY)");
  const alive = killer.prepare("SELECT count(*) AS n FROM pg_stat_activity WHERE pid = ?");
  try {
    for (let round = 0; round < 30; round++) {
      const db = new PgDatabase({ url: SERVER, schema, readOnly: false, callTimeoutMs: 15_000 });
      try {
        db.exec("DELETE FROM t");
        const insert = db.prepare("INSERT INTO t (id) VALUES (?)");
        const rows = () => db.prepare("SELECT id FROM t ORDER BY id").all();
        writeTransaction(db, () => insert.run(1));
        assert.throws(() =>
          writeTransaction(db, () => {
            insert.run(2);
            const { pid } = db.prepare("SELECT pg_backend_pid() AS pid").get()!;
            killer.prepare("SELECT pg_terminate_backend(?)").get(pid);
            // Termination is a signal the backend handles on its own time: most rounds wait
            // until it is gone, every third does not; then a spin of 0 to 1.8 ms.
            const deadline = Date.now() + 10_000;
            while (round % 3 !== 0 && Number(alive.get(pid)!.n) > 0 && Date.now() < deadline) {
              // poll
            }
            const until = performance.now() + (round % 7) * 0.3;
            while (performance.now() < until) { /* spin */ }
            insert.run(3);
          }), (error) => {
          assert.ok(error instanceof DatabaseUnavailableError, `round ${round}: ${error}`);
          return true;
        });
        assert.equal(db.isTransaction, false);
        // Nothing of the broken transaction is stored, and the connection carries on.
        assert.deepEqual(rows(), [{ id: 1 }], `round ${round}`);
        insert.run(4);
        assert.deepEqual(rows(), [{ id: 1 }, { id: 4 }], `round ${round}`);
      } finally {
        db.close();
      }
    }
  } finally {
    killer.exec(`DROP SCHEMA "${schema}" CASCADE`);
    killer.close();
  }
});
