/**
 * `deno run -A tools/soak/write_probe_main.ts DATABASE_URL INTERVAL_MS OUT.json`: runs the writer
 * probe until SIGTERM, then writes `{"latenciesMs": [...], "errors": [...]}` to OUT.json.
 */
import { openStore } from "../../src/storage/mod.ts";
import { runWriteProbe } from "./write_probe.ts";

async function main([databaseUrl, intervalText, outPath]: string[]): Promise<void> {
  const store = openStore(databaseUrl);
  const controller = new AbortController();
  Deno.addSignalListener("SIGTERM", () => controller.abort());
  const result = await runWriteProbe(store, {
    intervalMs: Number(intervalText),
    signal: controller.signal,
  });
  store.close();
  await Deno.writeTextFile(outPath, JSON.stringify(result));
}

if (import.meta.main) await main(Deno.args);
