/**
 * Test fixture: tries each target given as an argument and prints one JSON line per target:
 * `{"target", "outcome": "connected" | "denied" | "failed", "error"}`. Targets are URLs (fetch)
 * or `tcp:HOST:PORT` (Deno.connect). "denied" means Deno's permission check refused it.
 */
const encoder = new TextEncoder();

for (const target of Deno.args) {
  let outcome = "connected";
  let error: string | null = null;
  try {
    if (target.startsWith("tcp:")) {
      const [, hostname, port] = target.split(":");
      const conn = await Deno.connect({ hostname, port: Number(port) });
      conn.close();
    } else {
      const response = await fetch(target, { signal: AbortSignal.timeout(5000) });
      await response.body?.cancel();
    }
  } catch (caught) {
    const denied = caught instanceof Deno.errors.NotCapable ||
      caught instanceof Deno.errors.PermissionDenied;
    outcome = denied ? "denied" : "failed";
    error = caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught);
  }
  Deno.stdout.writeSync(encoder.encode(JSON.stringify({ target, outcome, error }) + "\n"));
}
