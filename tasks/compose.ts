/** `deno task compose [--check]`: generates docker-compose.yml from config/strategies/*.yaml. */
import { join } from "node:path";
import { loadConfig } from "../src/app/load_config.ts";
import { errorMessage, InputError } from "../src/core/errors.ts";
import {
  type ComposeSpec,
  permissionSet,
  renderComposeFile,
  type TraderService,
} from "../src/deploy/mod.ts";
import { type ComposeDatabase, POSTGRES_SERVICE } from "../src/deploy/compose_file.ts";
import { exchangeApiHosts } from "../src/exchange/mod.ts";
import { parseDatabaseUrl } from "../src/storage/database_url.ts";
import { notificationHosts } from "../src/notify/notifications.ts";
import { newCommand, runTask, writeErrorLine, writeLine } from "./_cli.ts";

/** Where configs live inside the container (mounted read-only). */
const CONTAINER_CONFIG_DIR = "config/strategies";

if (import.meta.main) {
  await runTask("compose", async (args) => {
    const program = newCommand("compose", "Generate docker-compose.yml from the instance configs")
      .option("--check", "exit 1 when the file differs from what would be generated")
      .option("--configs <dir>", "directory of instance configs", CONTAINER_CONFIG_DIR)
      .option("--deno-json <file>", "deno.json holding the permission sets", "deno.json")
      .option("--out <file>", "compose file to write or check", "docker-compose.yml");
    await program.parseAsync(args, { from: "user" });
    const options = program.opts();
    const spec = await composeSpec(options.configs, options.denoJson);
    const text = renderComposeFile(spec);
    const profiles = (Deno.env.get("COMPOSE_PROFILES") ?? "").split(",").map((p) => p.trim());
    if (spec.database?.service && !profiles.includes(POSTGRES_SERVICE)) {
      // Compose refuses a service that depends on one whose profile is off.
      writeErrorLine(
        `warning: ${options.out} runs the ${POSTGRES_SERVICE} service: add ` +
          `COMPOSE_PROFILES=${POSTGRES_SERVICE} to .env (or pass --profile ${POSTGRES_SERVICE})`,
      );
    }
    if (!options.check) {
      await Deno.writeTextFile(options.out, text);
      writeLine(`wrote ${options.out}`);
      return 0;
    }
    const current = await readIfExists(options.out);
    if (current === text) return 0;
    writeErrorLine(
      `Cannot check ${options.out}: ${current === null ? "missing" : "out of date"}; ` +
        "run deno task compose and commit the result",
    );
    return 1;
  });
}

async function composeSpec(configDir: string, denoJsonPath: string): Promise<ComposeSpec> {
  const text = await readIfExists(denoJsonPath);
  if (text === null) {
    throw new InputError(`Cannot generate compose file: "${denoJsonPath}" not found`);
  }
  let denoJson: unknown;
  try {
    denoJson = JSON.parse(text);
  } catch (error) {
    throw new InputError(
      `Cannot generate compose file: "${denoJsonPath}": not valid JSON (${errorMessage(error)})`,
    );
  }
  return {
    traders: await traderServices(configDir),
    tradePermissions: permissionSet(denoJson, "trade"),
    backfillPermissions: permissionSet(denoJson, "backfill"),
    dashboardPermissions: permissionSet(denoJson, "dashboard"),
    database: composeDatabase(Deno.env.toObject(), denoJson),
  };
}

/**
 * PostgreSQL when `DATABASE_URL` (from the environment or `.env`) says so: every service may reach
 * its host:port, and a host named `postgres` makes the file run that server too. Its password must
 * then be `.env`'s POSTGRES_PASSWORD, which the server container starts with.
 */
export function composeDatabase(
  env: Record<string, string>,
  denoJson: unknown,
): ComposeDatabase | undefined {
  const url = env.DATABASE_URL;
  if (url === undefined || url.trim() === "") return undefined;
  const location = parseDatabaseUrl(url);
  if (location.kind !== "postgres") return undefined;
  const base = { host: location.host, port: location.port };
  const healthPermissions = permissionSet(denoJson, "health");
  if (location.host !== POSTGRES_SERVICE) return { ...base, healthPermissions, service: null };
  const fail = (why: string) =>
    new InputError(`Cannot generate compose file: DATABASE_URL "${location.path}": ${why}`);
  if (location.port !== 5432) {
    throw fail(`the ${POSTGRES_SERVICE} service listens on port 5432, not ${location.port}`);
  }
  const password = decodeURIComponent(new URL(location.url).password);
  if (password === "") throw fail("give the password: postgres://USER:PASSWORD@postgres:5432/DB");
  if (env.POSTGRES_PASSWORD === undefined || env.POSTGRES_PASSWORD === "") {
    throw fail("set POSTGRES_PASSWORD in .env to its password (the server starts with it)");
  }
  if (env.POSTGRES_PASSWORD !== password) {
    throw fail("its password differs from POSTGRES_PASSWORD in .env; make them equal");
  }
  return {
    ...base,
    healthPermissions,
    service: { user: location.user, database: location.database },
  };
}

async function traderServices(configDir: string): Promise<TraderService[]> {
  const files = [...Deno.readDirSync(configDir)]
    .filter((entry) => entry.isFile && /\.ya?ml$/.test(entry.name))
    .map((entry) => entry.name)
    .sort();
  if (files.length === 0) {
    throw new InputError(`Cannot generate compose file: ${configDir}: no *.yaml configs`);
  }
  const traders: TraderService[] = [];
  for (const file of files) {
    using loaded = await loadConfig(join(configDir, file));
    const config = loaded.config;
    traders.push({
      name: config.name,
      configPath: `${CONTAINER_CONFIG_DIR}/${file}`,
      summary:
        `${config.symbol} ${config.timeframe} ${config.strategy.name} on ${config.exchange}` +
        ` (${config.mode}${config.sandbox ? ", sandbox" : ""}), from ${file}`,
      // Plus the notification channels .env configures for it (`src/notify/`).
      netHosts: [
        ...exchangeApiHosts(config.exchange, { sandbox: config.sandbox }),
        ...notificationHosts(config.notify, Deno.env.toObject()),
      ],
    });
  }
  return traders;
}

async function readIfExists(path: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}
