/**
 * A PostgreSQL server that goes away and comes back, on a private cluster (never the shared one):
 * calls fail as `DatabaseUnavailableError`, the next call after the restart reconnects, and a
 * transaction cut by the drop is ended cleanly (nothing of it kept, the transaction flag reset).
 */
import assert from "node:assert/strict";
import { DatabaseUnavailableError, StorageError } from "../../core/errors.ts";
import { PgDatabase, PgError } from "./pg_database.ts";
import { isConnectionFailure } from "./pg_connection_errors.ts";
import {
  PRIVATE_POSTGRES_MISSING,
  PrivatePostgres,
} from "../../../tests/support/private_postgres.ts";

Deno.test("connection failures are told apart from statement errors", () => {
  for (
    const code of [
      "ECONNREFUSED",
      "ECONNRESET",
      "CONNECTION_CLOSED",
      "CONNECTION_ENDED",
      "CONNECT_TIMEOUT",
      "ETIMEDOUT",
      "08006",
      "08001",
      "08P01",
      "57P01",
      "57P02",
      "57P03",
    ]
  ) {
    assert.ok(isConnectionFailure(code), code);
  }
  for (const code of ["23505", "42P01", "42601", "53100", "40001", "57014", "28P01", "3D000"]) {
    assert.ok(!isConnectionFailure(code), code);
  }
  assert.ok(isConnectionFailure(null, "Connection terminated unexpectedly"));
  assert.ok(isConnectionFailure(null, "write ECONNRESET"));
  assert.ok(!isConnectionFailure(null, 'relation "x" does not exist'));
  // The new class is a storage error, so code that reports storage errors still reports it.
  assert.ok(new DatabaseUnavailableError("gone", "57P01") instanceof StorageError);
});

Deno.test({
  name: "PgDatabase: a stopped server fails calls as DatabaseUnavailableError, the next call " +
    "after its restart reconnects, and a transaction cut by the drop is rolled back cleanly",
  ignore: PRIVATE_POSTGRES_MISSING !== null,
  async fn() {
    await using cluster = await PrivatePostgres.create();
    const db = new PgDatabase({ url: cluster.url, schema: "outage", readOnly: false });
    try {
      db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
      db.prepare("INSERT INTO t (id, v) VALUES (?, ?)").run(1, "before");
      const count = () => db.prepare("SELECT count(*) AS n FROM t").get()!.n as number;

      // A transaction in flight when the server goes down.
      db.exec("BEGIN IMMEDIATE");
      db.prepare("INSERT INTO t (id, v) VALUES (?, ?)").run(2, "in the cut transaction");
      assert.equal(db.isTransaction, true);
      await cluster.stop();
      assert.throws(
        () => db.prepare("INSERT INTO t (id, v) VALUES (?, ?)").run(3, "after the drop"),
        (error) => error instanceof DatabaseUnavailableError && error.code !== null,
      );
      // COMMIT of a cut transaction fails; the flag is reset either way.
      assert.throws(() => db.exec("COMMIT"), DatabaseUnavailableError);
      assert.equal(db.isTransaction, false);

      // Down: reads and writes fail as unavailable, not as statement errors.
      assert.throws(count, DatabaseUnavailableError);
      assert.throws(() => db.exec("BEGIN IMMEDIATE"), DatabaseUnavailableError);
      assert.equal(db.isTransaction, false);

      // Back: the next call reconnects by itself; nothing of the cut transaction was kept.
      await cluster.start();
      assert.equal(count(), 1);
      db.exec("BEGIN IMMEDIATE");
      db.prepare("INSERT INTO t (id, v) VALUES (?, ?)").run(2, "after the restart");
      db.exec("COMMIT");
      assert.equal(count(), 2);

      // A rolled-back cut transaction: ROLLBACK succeeds and leaves no flag behind.
      db.exec("BEGIN IMMEDIATE");
      db.prepare("INSERT INTO t (id, v) VALUES (?, ?)").run(4, "cut again");
      await cluster.stop();
      assert.throws(() => db.prepare("SELECT 1 AS one").get(), DatabaseUnavailableError);
      db.exec("ROLLBACK");
      assert.equal(db.isTransaction, false);
      await cluster.start();
      assert.equal(count(), 2);
      // Statement errors stay `PgError`s.
      assert.throws(
        () => db.prepare("SELECT * FROM missing").all(),
        (error) => error instanceof PgError && !(error instanceof DatabaseUnavailableError),
      );
    } finally {
      db.close();
    }
  },
});
