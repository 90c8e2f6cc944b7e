/** Settings and secrets from the environment only; `.env` is loaded like Deno's `--env-file`. */
import { InputError } from "../core/errors.ts";
import { fileErrorReason } from "./read_config_file.ts";
import { Secret } from "./secret.ts";
import { maskDatabaseUrl, parseDatabaseUrl } from "../storage/database_url.ts";

/** Process-wide settings from the environment table of docs/commands.md. */
export interface Settings {
  /** `sqlite:PATH` or `postgres://…`. */
  readonly databaseUrl: string;
  readonly logLevel: "debug" | "info" | "warning" | "error";
  readonly logDir: string;
}

/** API credentials for one exchange; null where not set. */
export interface ExchangeCredentials {
  readonly apiKey: Secret | null;
  readonly secret: Secret | null;
  readonly password: Secret | null;
}

/** What `loadEnvFile` did. */
export interface EnvFileResult {
  /** Variables set from the file (those not already in the environment). */
  readonly loaded: string[];
  /** A warning for the caller to log (e.g. a world-readable file), else null. */
  readonly warning: string | null;
}

/** Environment variables as read-only strings. */
export type EnvVars = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS = ["debug", "info", "warning", "error"] as const;

/**
 * Loads `path` into `target` (default `Deno.env`), never overriding a variable already set; a
 * missing file is fine. Node's `parseEnv` reads the file; `node:util` loads only when there is
 * one (about 12 ms of start-up that a task without `.env` does not pay).
 */
export async function loadEnvFile(
  path = ".env",
  options: { target?: Pick<typeof Deno.env, "get" | "set"> } = {},
): Promise<EnvFileResult> {
  const target = options.target ?? Deno.env;
  const fail = (why: string, cause?: unknown) =>
    new InputError(`Cannot load env file "${path}": ${why}`, { cause });
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { loaded: [], warning: null };
    throw fail(fileErrorReason(error), error);
  }
  if (info.isDirectory) throw fail("is a directory, not a file");
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(Deno.readFileSync(path));
  } catch (error) {
    throw fail(
      error instanceof TypeError ? "file is not valid UTF-8 text" : fileErrorReason(error),
      error,
    );
  }
  const { parseEnv } = await import("node:util");
  const loaded: string[] = [];
  for (const [key, value] of Object.entries(parseEnv(text))) {
    if (value === undefined || target.get(key) !== undefined) continue;
    target.set(key, value);
    loaded.push(key);
  }
  const worldReadable = info.mode !== null && (info.mode & 0o004) !== 0;
  const warning = worldReadable
    ? `env file "${path}" is readable by every user; run: chmod 600 ${path}`
    : null;
  return { loaded, warning };
}

/** DATABASE_URL, LOG_LEVEL and LOG_DIR with their defaults; throws a one-line `InputError` when invalid. */
export function readSettings(env: EnvVars): Settings {
  const databaseUrl = nonEmpty(env.DATABASE_URL) ?? "sqlite:./data/trading.db";
  try {
    parseDatabaseUrl(databaseUrl);
  } catch (error) {
    const why = (error as Error).message.replace(/^Cannot open database "[^"]*": /, "");
    throw new InputError(
      `Cannot read settings: DATABASE_URL: ${why} (got "${maskDatabaseUrl(databaseUrl)}")`,
    );
  }
  const level = nonEmpty(env.LOG_LEVEL) ?? "info";
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new InputError(
      `Cannot read settings: LOG_LEVEL: must be one of ${LOG_LEVELS.join(", ")} (got "${level}")`,
    );
  }
  return {
    databaseUrl,
    logLevel: level as Settings["logLevel"],
    logDir: nonEmpty(env.LOG_DIR) ?? "./logs",
  };
}

/** `<ID>_API_KEY`, `<ID>_API_SECRET` and `<ID>_API_PASSWORD` as secrets (empty counts as unset). */
export function exchangeCredentials(exchangeId: string, env: EnvVars): ExchangeCredentials {
  const read = (suffix: string) => {
    const value = nonEmpty(env[`${envPrefix(exchangeId)}_${suffix}`]);
    return value === undefined ? null : new Secret(value);
  };
  return { apiKey: read("API_KEY"), secret: read("API_SECRET"), password: read("API_PASSWORD") };
}

/** `<ID>_API_URL`: a base URL that replaces the exchange's API host, or null; throws when not a URL. */
export function exchangeApiUrl(exchangeId: string, env: EnvVars): string | null {
  const name = `${envPrefix(exchangeId)}_API_URL`;
  const value = nonEmpty(env[name]);
  if (value === undefined) return null;
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new InputError(`Cannot read settings: ${name}: must be an http(s) URL (got "${value}")`);
  }
  return value;
}

/** The env variable prefix for a CCXT id: `binanceusdm` → `BINANCEUSDM`. */
export function envPrefix(exchangeId: string): string {
  return exchangeId.toUpperCase().replace(/[^A-Z0-9]/g, "_");
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}
