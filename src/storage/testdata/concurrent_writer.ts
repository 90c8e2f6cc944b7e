/** Child process for the concurrency test: N read-then-write transactions on one DB file. */
import { openDatabase } from "../database.ts";
import { writeTransaction } from "../write_transaction.ts";

if (import.meta.main) await main();

async function main(): Promise<void> {
  const [url, writer, countText] = Deno.args;
  const count = Number(countText);
  const db = openDatabase(url);
  const last = db.prepare("SELECT max(time_ms) AS t FROM equity WHERE instance = ?");
  const insert = db.prepare(
    "INSERT INTO equity (instance, time_ms, equity_quote) VALUES (?, ?, ?)",
  );
  let errors = 0;
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    try {
      // Read then write in one transaction: the pattern that fails at once when deferred.
      writeTransaction(db, () => {
        const previous = (last.get(writer)?.t as number | null) ?? -1;
        insert.run(writer, previous + 1, i);
      });
    } catch {
      errors++;
    }
  }
  const elapsedMs = performance.now() - started;
  db.close();
  await Deno.stdout.write(new TextEncoder().encode(JSON.stringify({ writer, errors, elapsedMs })));
}
