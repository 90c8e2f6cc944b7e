/** Parses `DATABASE_URL` (`sqlite:PATH` or `sqlite::memory:`) into a SQLite location. */
import { StorageInputError } from "../core/errors.ts";

/** Where the database lives: a file path, or `:memory:`. */
export interface DatabaseLocation {
  readonly path: string;
  readonly inMemory: boolean;
}

/** The default that docs/configuration.md documents. */
export const DEFAULT_DATABASE_URL = "sqlite:./data/trading.db";

/** Parses `sqlite:PATH`, `sqlite://PATH` or `sqlite::memory:`; anything else is bad input. */
export function parseDatabaseUrl(url: string): DatabaseLocation {
  const match = /^sqlite:(?:\/\/)?(.*)$/.exec(url.trim());
  if (!match) {
    throw new StorageInputError(
      `Cannot open database "${url}": DATABASE_URL must be sqlite:PATH or sqlite::memory:`,
    );
  }
  const path = match[1];
  if (path === "") {
    throw new StorageInputError(`Cannot open database "${url}": DATABASE_URL has no path`);
  }
  return { path, inMemory: path === ":memory:" };
}
