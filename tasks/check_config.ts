/** `deno run tasks/check_config.ts FILE...`: validates instance configs; exit 2 if any is invalid. */
import { existsSync } from "node:fs";
import { loadConfig } from "../src/app/load_config.ts";
import { readSettings } from "../src/config/mod.ts";
import { errorMessage, InputError } from "../src/core/errors.ts";
import type { MarketRecord } from "../src/core/types.ts";
import { openStore, parseDatabaseUrl, type Store } from "../src/storage/mod.ts";
import { newCommand, runTask, writeErrorLine, writeLine } from "./_cli.ts";

if (import.meta.main) {
  await runTask("check_config", async (args) => {
    const program = newCommand(
      "check_config",
      "Validate instance config files (config/strategies/*.yaml)",
    )
      .argument("<files...>", "config files to validate")
      .option(
        "--set <key=value>",
        "override a config key before validating (repeatable)",
        collect,
        [] as string[],
      );
    await program.parseAsync(args, { from: "user" });
    const overrides = program.opts().set;
    const failures: string[] = [];
    using cache = cachedMarkets(readSettings(Deno.env.toObject()).databaseUrl);
    for (const file of program.processedArgs[0]) {
      try {
        using loaded = await loadConfig(file, {
          overrides,
          markets: cache.list,
          knownExchangesOnly: true,
        });
        const config = loaded.config;
        const module = config.strategy.module === undefined
          ? ""
          : ` from ${config.strategy.module}`;
        writeLine(
          `ok ${file} (${config.name}: ${config.exchange} ${config.symbol} ${config.timeframe} ${config.strategy.name}${module})`,
        );
        if (cache.list(config.exchange).length === 0) {
          writeLine(
            `  note: no ${config.exchange} markets cached (${cache.why}): symbol and stake not ` +
              "checked (a backfill or trade caches them)",
          );
        }
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        writeErrorLine(error.message);
        failures.push(file);
      }
    }
    return failures.length > 0 ? 2 : 0;
  });
}

/**
 * The markets cached in the database, read-only and opened on first use (a config refused
 * earlier never touches it); none, and why, when it cannot be read.
 */
function cachedMarkets(databaseUrl: string) {
  const { path, inMemory } = parseDatabaseUrl(databaseUrl);
  let store: Store | null = null;
  let why = `none in ${path}`;
  const byExchange = new Map<string, MarketRecord[]>();
  const read = (exchange: string): MarketRecord[] => {
    if (inMemory || !existsSync(path)) {
      why = `no database at ${path}`;
      return [];
    }
    try {
      store ??= openStore(databaseUrl, { readOnly: true });
      return store.markets.list(exchange);
    } catch (error) {
      why = `cannot read ${path}: ${errorMessage(error)}`;
      return [];
    }
  };
  return {
    list: (exchange: string): MarketRecord[] => {
      if (!byExchange.has(exchange)) byExchange.set(exchange, read(exchange));
      return byExchange.get(exchange)!;
    },
    get why() {
      return why;
    },
    [Symbol.dispose]: () => store?.close(),
  };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
