/** Deno permission flags from a deno.json permission set, with the network narrowed per container. */
import { InputError } from "../core/errors.ts";

/** One entry of deno.json `permissions`: `true` allows everything, a list allows those items. */
export type PermissionValue = boolean | readonly string[];

/** A deno.json permission set (`"permissions": { "trade": { ... } }`). */
export type PermissionSet = Readonly<Record<string, PermissionValue>>;

/** Kinds that map to `--allow-<kind>` flags, in the order they are written. */
const KINDS = ["read", "write", "net", "env", "sys", "run", "ffi", "import"] as const;

/**
 * Turns a permission set into `--allow-*` flags, replacing its `net` entry by `net` when given
 * (an empty list then means no network at all). Unknown kinds are refused so none is dropped.
 */
export function permissionFlags(
  set: PermissionSet,
  options: { net?: readonly string[] } = {},
): string[] {
  for (const kind of Object.keys(set)) {
    if (!(KINDS as readonly string[]).includes(kind)) {
      throw new InputError(
        `Cannot build permission flags: deno.json: unknown permission "${kind}"`,
      );
    }
  }
  const merged: Record<string, PermissionValue | undefined> = { ...set };
  if (options.net) merged.net = options.net.length > 0 ? options.net : false;
  const flags: string[] = [];
  for (const kind of KINDS) {
    const value = merged[kind];
    if (value === true) flags.push(`--allow-${kind}`);
    else if (Array.isArray(value) && value.length > 0) {
      flags.push(`--allow-${kind}=${value.join(",")}`);
    }
  }
  return flags;
}

/** Reads `permissions[name]` from parsed deno.json; throws a one-line error when it is missing. */
export function permissionSet(denoJson: unknown, name: string): PermissionSet {
  const sets = (denoJson as { permissions?: Record<string, unknown> } | null)?.permissions;
  const set = sets?.[name];
  if (!set || typeof set !== "object" || Array.isArray(set)) {
    throw new InputError(`Cannot read deno.json: permissions.${name}: no such permission set`);
  }
  return set as PermissionSet;
}
