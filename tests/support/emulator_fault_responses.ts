/** Responses for injected faults: rate limits, bans, HTML 5xx pages, cut connections, hangs. */
import type { FaultSpec } from "./emulator_faults.ts";

/** Binance's 429 body for too much request weight, with Retry-After. */
export function rateLimitResponse(
  retryAfterSec: number,
  limit: number,
  headers: Headers,
): Response {
  headers.set("Retry-After", String(retryAfterSec));
  return Response.json({
    code: -1003,
    msg: `Too much request weight used; current limit is ${limit} request weight per 1 MINUTE. ` +
      "Please use WebSocket Streams for live updates to avoid polling the API.",
  }, { status: 429, headers });
}

/** Binance's 418 body for a banned IP, with Retry-After. */
export function banResponse(retryAfterSec: number, untilMs: number, headers: Headers): Response {
  headers.set("Retry-After", String(retryAfterSec));
  return Response.json({
    code: -1003,
    msg: `Way too much request weight used; IP banned until ${untilMs}. ` +
      "Please use WebSocket Streams for live updates to avoid bans.",
  }, { status: 418, headers });
}

const REASONS: Record<number, string> = {
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Temporarily Unavailable",
  504: "Gateway Time-out",
};

/** An nginx-style HTML error page, as a load balancer in front of the API sends. */
export function htmlErrorResponse(status: number): Response {
  const title = `${status} ${REASONS[status] ?? "Error"}`;
  const body = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n` +
    `<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
  return new Response(body, { status, headers: { "content-type": "text/html" } });
}

/** Sends status 200 and headers, then cuts the connection before any body byte. */
export function droppedResponse(): Response {
  const body = new ReadableStream({
    start(controller) {
      controller.error(new Error("emulator: connection dropped"));
    },
  });
  return new Response(body, { status: 200, headers: { "content-type": "application/json" } });
}

/** Waits until the client gives up, the emulator closes, or `hangMs` passes. */
export function hang(spec: FaultSpec, signals: AbortSignal[]): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, spec.hangMs ?? 60_000);
    function done() {
      clearTimeout(timer);
      resolve();
    }
    for (const s of signals) {
      if (s.aborted) return done();
      s.addEventListener("abort", done, { once: true });
    }
  });
}

/** A JSON body cut in the middle, with status 200. */
export function malformedJsonResponse(body: unknown, headers: Headers): Response {
  const text = JSON.stringify(body);
  headers.set("content-type", "application/json;charset=UTF-8");
  return new Response(text.slice(0, Math.max(1, Math.floor(text.length / 2))), {
    status: 200,
    headers,
  });
}
