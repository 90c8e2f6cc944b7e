/** A fresh SQLite store in a temp directory, for tests. */
import { openStore, type Store } from "../../src/storage/mod.ts";

/** A store on a new temp directory; `url` is its DATABASE_URL; `dispose` removes it. */
export async function tempStore(): Promise<
  { store: Store; dir: string; url: string; dispose(): Promise<void> }
> {
  const dir = await Deno.makeTempDir({ prefix: "trading_test_" });
  const url = `sqlite:${dir}/trading.db`;
  const store = openStore(url);
  return {
    store,
    dir,
    url,
    async dispose() {
      store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}
