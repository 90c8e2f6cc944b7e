/** The permissions strategy code runs with: read its own folder and the code it builds on, nothing else. */
import { urlToPath } from "../core/file_paths.ts";

/** The project root: where `strategies/`, `src/` and `node_modules/` live. */
export const PROJECT_ROOT = new URL("../../", import.meta.url);

/** Folders strategy code may read: its own, the system's code and the installed packages. */
export function sandboxReadPaths(root: URL = PROJECT_ROOT): string[] {
  return ["strategies/", "src/", "node_modules/"].map((dir) => urlToPath(new URL(dir, root)));
}

/** Worker permissions for strategy code: no network, environment, writes, processes or FFI. */
export function sandboxPermissions(root: URL = PROJECT_ROOT): Deno.PermissionOptionsObject {
  return {
    read: sandboxReadPaths(root),
    write: false,
    net: false,
    env: false,
    run: false,
    ffi: false,
    sys: false,
    import: false,
  };
}

/** Worker options that put a worker in the sandbox (needs `--unstable-worker-options`). */
export function sandboxedWorkerOptions(name: string): WorkerOptions {
  return {
    type: "module",
    name,
    deno: { permissions: sandboxPermissions() },
  } as WorkerOptions;
}

/**
 * Inside a worker: throws unless the dangerous permissions are really off. Guards against a
 * runtime that ignores worker permissions (e.g. started without `--unstable-worker-options`).
 */
export function assertSandboxed(): void {
  const open = (["env", "net", "run", "write", "ffi"] as const).filter((name) =>
    Deno.permissions.querySync({ name }).state === "granted"
  );
  if (open.length > 0) {
    throw new Error(
      `the strategy sandbox is not in force (${open.join(", ")} allowed); ` +
        'deno.json must list "worker-options" under "unstable"',
    );
  }
}
