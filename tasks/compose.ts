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
import { exchangeApiHosts } from "../src/exchange/mod.ts";
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
    const text = renderComposeFile(await composeSpec(options.configs, options.denoJson));
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
