/** `deno task demo`: offline tour on bundled candles. Step 1: import every sample and list them. */
import { importCandleFile, marketFromFileName } from "../src/candles/mod.ts";
import { readSettings } from "../src/config/env.ts";
import { openStore, type Store } from "../src/storage/mod.ts";
import { newCommand, runTask, writeLine } from "./_cli.ts";
import { listLines } from "./candles.ts";

const SAMPLES_DIR = new URL("../data/samples/", import.meta.url);

/** Imports every `exchange_BASE-QUOTE_tf.csv` in data/samples; re-running adds nothing. */
export async function importBundledSamples(
  store: Store,
): Promise<{ files: number; added: number }> {
  const names = [];
  for await (const entry of Deno.readDir(SAMPLES_DIR)) {
    if (entry.isFile && marketFromFileName(entry.name)) names.push(entry.name);
  }
  names.sort();
  let added = 0;
  for (const name of names) {
    const market = marketFromFileName(name)!;
    const bytes = await Deno.readFile(new URL(name, SAMPLES_DIR));
    const result = importCandleFile(store.candles, bytes, { file: `data/samples/${name}`, market });
    added += result.inserted;
    writeLine(
      `${name}: ${result.rows} candles, ${result.inserted} new, ${result.updated} updated`,
    );
  }
  return { files: names.length, added };
}

async function main(args: string[]): Promise<void> {
  const program = newCommand("demo", "Import the bundled candles, then list what the DB holds");
  await program.parseAsync(args, { from: "user" });
  const store = openStore(readSettings(Deno.env.toObject()).databaseUrl);
  try {
    const { files, added } = await importBundledSamples(store);
    writeLine(`Imported ${files} sample files (${added} new candles).`);
    writeLine("");
    for (const line of listLines(store)) writeLine(line);
  } finally {
    store.close();
  }
}

if (import.meta.main) await runTask("demo", main);
