/** `deno run -A tests/support/open_database_main.ts URL`: opens (and migrates) the DB, closes it. */
import { openDatabase } from "../../src/storage/database.ts";
import { schemaVersion } from "../../src/storage/migrate.ts";

const db = openDatabase(Deno.args[0]);
try {
  Deno.stdout.writeSync(new TextEncoder().encode(`version ${schemaVersion(db)}\n`));
} finally {
  db.close();
}
