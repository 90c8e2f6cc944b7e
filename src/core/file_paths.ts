/**
 * POSIX path helpers for what the tasks need, without `node:path` and `node:url`: loading Deno's
 * Node layer costs tens of milliseconds before a backtest's first candle.
 */

/** A `file:` URL as a path, percent-decoded (what `node:url`'s `fileURLToPath` gives on POSIX). */
export function urlToPath(url: URL): string {
  return decodeURIComponent(url.pathname);
}

/** The directory of `path`, as `node:path`'s `dirname`: "." for a bare name, "/" at the root. */
export function dirname(path: string): string {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, "") || "/" : path;
  const slash = trimmed.lastIndexOf("/");
  if (slash === -1) return ".";
  if (slash === 0) return "/";
  return trimmed.slice(0, slash);
}

/** The last part of `path` without its extension: "config/a.b.yaml" gives "a.b", ".env" itself. */
export function stem(path: string): string {
  const base = path.replace(/\/+$/, "").split("/").pop() ?? "";
  const dot = base.lastIndexOf(".");
  // As node:path: a leading dot (".env") or ".." starts no extension.
  return dot <= 0 || base === ".." ? base : base.slice(0, dot);
}
