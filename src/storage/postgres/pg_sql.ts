/**
 * Statements written for SQLite, as PostgreSQL runs them: `?`, `?N` and `:name` placeholders
 * become `$N`, and the few SQLite-only forms the repositories may use are rewritten mechanically.
 */

/** What the adapter knows about a table, for rewrites that need its keys. */
export interface TableCatalog {
  /** Primary-key columns of `table`, in order; empty when unknown. */
  primaryKey(table: string): readonly string[];
  /** The identity column (an SQLite `INTEGER PRIMARY KEY`), or null. */
  identityColumn(table: string): string | null;
}

/** A statement ready for PostgreSQL, with how to bind SQLite-style parameters to it. */
export interface PgStatementText {
  readonly text: string;
  /** Number of `$N` parameters. */
  readonly count: number;
  /** For each `$N` (index N-1): the `:name` bound to it, or null for a positional one. */
  readonly names: readonly (string | null)[];
  /** The column `RETURNING` added to report `lastInsertRowid`, or null. */
  readonly returning: string | null;
}

/** Removes `--` and `/* *\/` comments outside string literals. */
export function stripComments(sql: string): string {
  let out = "";
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      const end = closingQuote(sql, i);
      out += sql.slice(i, end + 1);
      i = end;
    } else if (c === "-" && sql[i + 1] === "-") {
      while (i < sql.length && sql[i] !== "\n") i++;
      out += "\n";
    } else if (c === "/" && sql[i + 1] === "*") {
      const end = sql.indexOf("*/", i + 2);
      i = end < 0 ? sql.length : end + 1;
      out += " ";
    } else {
      out += c;
    }
  }
  return out;
}

function closingQuote(sql: string, start: number): number {
  const quote = sql[start];
  for (let i = start + 1; i < sql.length; i++) {
    if (sql[i] !== quote) continue;
    if (sql[i + 1] === quote) i++;
    else return i;
  }
  return sql.length - 1;
}

/** Numbers the placeholders as `$N`, the way SQLite numbers `?`, `?N` and `:name`. */
export function numberPlaceholders(sql: string): { text: string; names: (string | null)[] } {
  const names: (string | null)[] = [];
  const named = new Map<string, number>();
  let out = "";
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      const end = closingQuote(sql, i);
      out += sql.slice(i, end + 1);
      i = end;
    } else if (c === "?") {
      const digits = /^\d+/.exec(sql.slice(i + 1))?.[0];
      const index = digits ? Number(digits) : names.length + 1;
      while (names.length < index) names.push(null);
      out += "$" + index;
      i += digits?.length ?? 0;
    } else if (c === ":" && sql[i + 1] === ":") {
      out += "::";
      i++;
    } else if (c === ":" && /[A-Za-z_]/.test(sql[i + 1] ?? "")) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i + 1))![0];
      let index = named.get(name);
      if (index === undefined) {
        names.push(name);
        index = names.length;
        named.set(name, index);
      }
      out += "$" + index;
      i += name.length;
    } else {
      out += c;
    }
  }
  return { text: out, names };
}

const INSERT_INTO = /^\s*INSERT\s+(?:OR\s+(IGNORE|REPLACE)\s+)?INTO\s+("?[A-Za-z_][\w]*"?)\s*/i;

/** Rewrites one SQLite statement for PostgreSQL. */
export function translateStatement(sql: string, catalog: TableCatalog): PgStatementText {
  let text = stripComments(sql).trim().replace(/;\s*$/, "");
  if (/^PRAGMA\s+user_version\s*$/i.test(text)) {
    text = "SELECT COALESCE(MAX(version), 0) AS user_version FROM schema_version";
  }
  text = text
    // Row values: SQLite's `IS NOT (…)` / `IS (…)` are PostgreSQL's DISTINCT FROM.
    .replace(/\bIS\s+NOT\s+\(/gi, "IS DISTINCT FROM (")
    .replace(/\bIS\s+\(/gi, "IS NOT DISTINCT FROM (")
    // PostgreSQL folds unquoted names to lower case; camelCase aliases must keep their case.
    .replace(/\bAS\s+([a-z_]\w*[A-Z]\w*)\b/g, 'AS "$1"')
    // SQLite accepts `CROSS JOIN t ON …` (a join-order hint); PostgreSQL wants a plain JOIN.
    .replace(/\bCROSS\s+JOIN\s+(\w+(?:\s+(?!ON\b)\w+)?)\s+ON\b/gi, "JOIN $1 ON");
  let returning: string | null = null;
  const insert = INSERT_INTO.exec(text);
  if (insert) {
    const table = insert[2].replaceAll('"', "");
    const action = insert[1]?.toUpperCase();
    const rest = text.slice(insert[0].length);
    text = `INSERT INTO ${insert[2]} ${rest}`;
    if (action === "IGNORE") text = addConflictClause(text, "ON CONFLICT DO NOTHING");
    if (action === "REPLACE") text = addConflictClause(text, replaceClause(table, rest, catalog));
    text = text.replace(
      /\bON\s+CONFLICT\s+DO\s+UPDATE\b/i,
      () => `ON CONFLICT (${keyOf(table, catalog).join(", ")}) DO UPDATE`,
    );
    const identity = catalog.identityColumn(table);
    if (identity && !/\bRETURNING\b/i.test(text)) {
      returning = identity;
      text += ` RETURNING ${identity}`;
    }
  }
  const { text: numbered, names } = numberPlaceholders(text);
  return { text: numbered, count: names.length, names, returning };
}

function keyOf(table: string, catalog: TableCatalog): readonly string[] {
  const key = catalog.primaryKey(table);
  if (key.length === 0) throw new Error(`table "${table}" has no primary key to upsert on`);
  return key;
}

function replaceClause(table: string, rest: string, catalog: TableCatalog): string {
  const key = keyOf(table, catalog);
  const columns = /^\(([^)]*)\)/.exec(rest)?.[1].split(",").map((name) => name.trim());
  if (!columns) throw new Error(`INSERT OR REPLACE into "${table}" must name its columns`);
  const others = columns.filter((column) => !key.includes(column));
  if (others.length === 0) return `ON CONFLICT (${key.join(", ")}) DO NOTHING`;
  const sets = others.map((column) => `${column} = excluded.${column}`).join(", ");
  return `ON CONFLICT (${key.join(", ")}) DO UPDATE SET ${sets}`;
}

function addConflictClause(text: string, clause: string): string {
  const returning = /\s+RETURNING\b/i.exec(text);
  if (!returning) return `${text} ${clause}`;
  return `${text.slice(0, returning.index)} ${clause}${text.slice(returning.index)}`;
}

/** The kind of a transaction-control statement, or null for any other statement. */
export type TransactionControl = "begin-write" | "begin-read" | "commit" | "rollback";

/** Recognises SQLite's BEGIN [IMMEDIATE|EXCLUSIVE|DEFERRED], COMMIT/END and ROLLBACK. */
export function transactionControl(sql: string): TransactionControl | null {
  const text = stripComments(sql).trim().replace(/;\s*$/, "").toUpperCase();
  if (/^BEGIN\s+(IMMEDIATE|EXCLUSIVE)(\s+TRANSACTION)?$/.test(text)) return "begin-write";
  if (/^BEGIN(\s+DEFERRED)?(\s+TRANSACTION)?$/.test(text)) return "begin-read";
  if (/^(COMMIT|END)(\s+TRANSACTION)?$/.test(text)) return "commit";
  if (/^ROLLBACK(\s+TRANSACTION)?$/.test(text)) return "rollback";
  return null;
}
