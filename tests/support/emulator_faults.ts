/** Faults the emulator can inject, and the queue that decides which request gets one. */

/** What goes wrong. */
export type FaultKind =
  /** 429 with Retry-After and Binance's -1003 body. */
  | "rate_limit"
  /** 418 "IP banned" with Retry-After. */
  | "ban"
  /** A 5xx (default 502) with an HTML error page, as a load balancer sends. */
  | "http_error"
  /** No answer until the client gives up (or `hangMs` passes, then the connection drops). */
  | "hang"
  /** Status 200 and headers, then the connection is cut before the body. */
  | "drop"
  /** Status 200 with a truncated JSON body. */
  | "malformed_json"
  /** Signed request refused with -1021 (timestamp outside recvWindow). */
  | "clock_skew"
  /** Order refused with -2010 "Account has insufficient balance for requested action." */
  | "insufficient_balance"
  /** The request is executed (an order is created) but its response is lost (drop or hang). */
  | "lose_response"
  /** The request is executed (an order is created), then a 5xx HTML page (default 502) answers. */
  | "executed_http_error"
  /**
   * The order this create makes exists and can fill, but order lookups, open and all order lists
   * and trade lists leave it out until `visibleAfterMs` of market time have passed (a cancel still
   * reaches it). Combine it with `lose_response` or `executed_http_error` on the same create.
   */
  | "visible_after";

/** A fault rule; it applies to the next `times` requests that match `method` and `path`. */
export interface FaultSpec {
  readonly kind: FaultKind;
  /** HTTP method to match; any when absent. */
  readonly method?: string;
  /** Path to match, e.g. `/api/v3/order`; a trailing `*` matches a prefix; any when absent. */
  readonly path?: string;
  /** Request parameters that must all be equal, e.g. `{ type: "STOP_LOSS" }`; any when absent. */
  readonly params?: Readonly<Record<string, string>>;
  /** How many matching requests get it (default 1); `-1` means until cleared. */
  readonly times?: number;
  /** Active for this many wall ms after being added (instead of a count), e.g. a 5 minute outage. */
  readonly forMs?: number;
  /** Seconds for Retry-After on `rate_limit` and `ban` (default 1). */
  readonly retryAfterSec?: number;
  /** Status for `http_error` and `executed_http_error` (default 502). */
  readonly status?: number;
  /** For `visible_after`: market ms after the create until lookups show the order. */
  readonly visibleAfterMs?: number;
  /** For `hang` and `lose_response`: wall ms to hold before dropping (default 60 000). */
  readonly hangMs?: number;
  /** For `lose_response`: cut the connection (`drop`, default) or hang until the client times out. */
  readonly then?: "drop" | "hang";
}

/** A queued rule with its remaining count. */
export interface ActiveFault {
  readonly id: number;
  readonly spec: FaultSpec;
  remaining: number;
  readonly untilWallMs: number | null;
}

/** Faults in the order they were added; the first match wins. */
export class FaultQueue {
  #faults: ActiveFault[] = [];
  #nextId = 1;

  /** Queues a fault; returns its id. */
  add(spec: FaultSpec, wallNowMs: number): number {
    const id = this.#nextId++;
    const untilWallMs = spec.forMs === undefined ? null : wallNowMs + spec.forMs;
    const remaining = spec.forMs !== undefined ? -1 : (spec.times ?? 1);
    this.#faults.push({ id, spec, remaining, untilWallMs });
    return id;
  }

  /** Removes every fault. */
  clear(): void {
    this.#faults = [];
  }

  /** Faults still active. */
  list(wallNowMs: number): ActiveFault[] {
    this.#faults = this.#faults.filter((f) => f.untilWallMs === null || f.untilWallMs > wallNowMs);
    return [...this.#faults];
  }

  /** Takes the first fault matching the request (consuming one use), or null. */
  take(
    method: string,
    path: string,
    kinds: ReadonlySet<FaultKind> | null,
    wallNowMs: number,
    params: Readonly<Record<string, string>> = {},
  ) {
    for (const f of this.list(wallNowMs)) {
      if (kinds && !kinds.has(f.spec.kind)) continue;
      if (f.spec.method && f.spec.method.toUpperCase() !== method) continue;
      if (f.spec.path && !pathMatches(f.spec.path, path)) continue;
      if (!paramsMatch(f.spec.params, params)) continue;
      if (f.remaining > 0) f.remaining--;
      if (f.remaining === 0) this.#faults = this.#faults.filter((x) => x !== f);
      return f.spec;
    }
    return null;
  }
}

function paramsMatch(
  wanted: Readonly<Record<string, string>> | undefined,
  params: Readonly<Record<string, string>>,
): boolean {
  return Object.entries(wanted ?? {}).every(([key, value]) => params[key] === value);
}

function pathMatches(pattern: string, path: string): boolean {
  return pattern.endsWith("*") ? path.startsWith(pattern.slice(0, -1)) : pattern === path;
}
