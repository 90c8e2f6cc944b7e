/** The CCXT client factory and the wrapper every CCXT call goes through (error policy, retries). */
import ccxt, { type Exchange } from "ccxt";
import { ClockSkewError, InputError, type TradingError } from "../core/errors.ts";
import { closeMatches } from "../core/close_matches.ts";
import { toTradingError } from "./error_policy.ts";
import { type ExchangeLogger, exchangeLogger } from "./exchange_logger.ts";
import { type RateBudgetOptions, useRateBudget } from "./rate_budget.ts";
import { type RetryOptions, withRetry } from "./with_retry.ts";

/** A plain string or a wrapper that reveals it only when handed to CCXT (config's `Secret`). */
export type SecretLike = string | { reveal(): string };

/** API credentials; only live trading passes them. */
export interface Credentials {
  readonly apiKey: SecretLike;
  readonly secret: SecretLike;
  readonly password?: SecretLike | null;
}

/** How to build a client. */
export interface CreateExchangeOptions {
  /** None for paper mode and backfill, so a private call cannot even be signed. */
  readonly credentials?: Credentials | null;
  /** `<ID>_API_URL`: every API URL is rewritten to this base, keeping its path. */
  readonly apiUrl?: string | null;
  readonly sandbox?: boolean;
  /** Per-request timeout (default 10 s). */
  readonly timeoutMs?: number;
  readonly logger?: ExchangeLogger;
  /** Retry policy for idempotent calls. */
  readonly retry?: RetryOptions;
  /** The host-wide budget shared with other instances (`{ store: store.rateBudget }`). */
  readonly rateBudget?: RateBudgetOptions | null;
}

function reveal(value: SecretLike | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  return typeof value === "string" ? value : value.reveal();
}

/** Every CCXT exchange id. */
export function exchangeIds(): readonly string[] {
  return ccxt.exchanges;
}

/** The CCXT class for `id` (the Pro one where it exists); a one-line `InputError` for unknown ids. */
export function exchangeClass(id: string): new (config?: Record<string, unknown>) => Exchange {
  // CCXT Pro's class (same package) extends the REST one with `watch*` streams and their URLs.
  const pro = (ccxt as unknown as { pro?: Record<string, unknown> }).pro?.[id];
  const cls = typeof pro === "function" ? pro : (ccxt as unknown as Record<string, unknown>)[id];
  if (!ccxt.exchanges.includes(id) || typeof cls !== "function") {
    const near = closeMatches(id, ccxt.exchanges, { limit: 5 });
    const hint = near.length > 0
      ? `did you mean ${near.join(", ")}?`
      : "see ccxt.exchanges for the list";
    throw new InputError(`Cannot create exchange "${id}": not a CCXT exchange id; ${hint}`);
  }
  return cls as new (config?: Record<string, unknown>) => Exchange;
}

// Binance's defaults also load futures, margin and currency data, which need other hosts or keys.
const EXTRA_OPTIONS: Record<string, Record<string, unknown>> = {
  binance: {
    defaultType: "spot",
    fetchMarkets: { types: ["spot"] },
    fetchCurrencies: false,
    fetchMargins: false,
  },
};

/** Builds a CCXT client for `id`, with rate limiting on and credentials only when given. */
export function createExchange(id: string, options: CreateExchangeOptions = {}): ExchangeClient {
  const Cls = exchangeClass(id);
  const logger = exchangeLogger(options.logger);
  const config: Record<string, unknown> = {
    enableRateLimit: true,
    timeout: options.timeoutMs ?? 10_000,
    options: EXTRA_OPTIONS[id] ?? {},
    fetchImplementation: bufferedFetch,
  };
  if (options.credentials) {
    config.apiKey = reveal(options.credentials.apiKey);
    config.secret = reveal(options.credentials.secret);
    const password = reveal(options.credentials.password);
    if (password !== undefined) config.password = password;
  }
  const exchange = new Cls(config);
  if (options.sandbox) enableSandbox(exchange, id);
  if (options.rateBudget) useRateBudget(exchange, options.rateBudget);
  if (options.apiUrl) {
    exchange.urls.api = rewriteUrls(exchange.urls.api, options.apiUrl) as typeof exchange.urls.api;
    logger.warn("All {exchange} API requests go to {apiUrl} instead of the exchange", {
      exchange: id,
      apiUrl: options.apiUrl,
    });
  }
  return new ExchangeClient(exchange, { logger, retry: options.retry });
}

function enableSandbox(exchange: Exchange, id: string): void {
  try {
    // Some classes declare `urls.test` as undefined, which CCXT's own check lets through.
    if (!exchange.urls.test) throw new Error(`${id} has no test URLs`);
    exchange.setSandboxMode(true);
  } catch (error) {
    throw new InputError(`Cannot create exchange "${id}": sandbox: ${id} has no testnet in CCXT`, {
      cause: error,
    });
  }
}

/**
 * Rewrites every URL string in a (nested) `urls.api` to `base` + its original path; WebSocket
 * URLs keep their scheme family (`http://h` turns `wss://x/ws` into `ws://h/ws`).
 */
export function rewriteUrls(api: unknown, base: string): unknown {
  const root = base.replace(/\/+$/, "");
  if (typeof api === "string") {
    if (!URL.canParse(api)) return api;
    const url = new URL(api);
    const path = url.pathname.replace(/\/+$/, "");
    const isWs = url.protocol === "ws:" || url.protocol === "wss:";
    return (isWs ? root.replace(/^http(s?):/, "ws$1:") : root) + path;
  }
  if (api && typeof api === "object") {
    return Object.fromEntries(Object.entries(api).map(([k, v]) => [k, rewriteUrls(v, base)]));
  }
  return api;
}

/**
 * Hosts (with port when not default) that a client for `id` talks to, REST and WebSocket
 * streams alike: for Deno's `--allow-net`.
 */
export function exchangeApiHosts(
  id: string,
  options: { apiUrl?: string | null; sandbox?: boolean } = {},
): string[] {
  if (options.apiUrl) return [new URL(options.apiUrl).host];
  const exchange = new (exchangeClass(id))({ options: EXTRA_OPTIONS[id] ?? {} });
  if (options.sandbox) enableSandbox(exchange, id);
  const hosts = new Set<string>();
  // Some ids (bybit, ...) template their hosts: "https://api.{hostname}".
  const hostname = String((exchange as { hostname?: string }).hostname ?? "");
  const collect = (value: unknown): void => {
    if (typeof value === "string") value = value.replaceAll("{hostname}", hostname);
    if (typeof value === "string" && URL.canParse(value)) hosts.add(new URL(value).host);
    else if (value && typeof value === "object") Object.values(value).forEach(collect);
  };
  collect(exchange.urls.api);
  return [...hosts].sort();
}

/**
 * Reads the whole body inside `fetch`, so that a connection cut mid-body, or a JSON body cut
 * short, fails where CCXT maps fetch failures to `NetworkError`. Otherwise CCXT would surface a
 * bare `TypeError`, or parse the garbage into empty or undefined-filled results.
 */
async function bufferedFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const response = await fetch(input, init);
  const nullBody = [101, 204, 205, 304].includes(response.status);
  const body = nullBody ? null : await response.arrayBuffer();
  const isJson = (response.headers.get("content-type") ?? "").includes("json");
  if (response.ok && isJson && body !== null && body.byteLength > 0) {
    try {
      JSON.parse(new TextDecoder().decode(body));
    } catch {
      throw new TypeError(
        `malformed JSON body (${body.byteLength} bytes) with status ${response.status}`,
      );
    }
  }
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/** One CCXT exchange plus our error policy; the only handle other modules hold. */
export class ExchangeClient {
  readonly id: string;
  /** The CCXT instance; used only inside `src/exchange/`. */
  readonly ccxt: Exchange;
  readonly logger: ExchangeLogger;
  readonly retry: RetryOptions;

  constructor(exchange: Exchange, options: { logger?: ExchangeLogger; retry?: RetryOptions } = {}) {
    this.id = exchange.id;
    this.ccxt = exchange;
    this.logger = exchangeLogger(options.logger);
    this.retry = options.retry ?? {};
  }

  /** From now on, every request also waits for the host-wide budget shared through the DB. */
  shareRateBudget(options: RateBudgetOptions): void {
    useRateBudget(this.ccxt, options);
  }

  /** True when the client can sign private requests. */
  get hasCredentials(): boolean {
    return Boolean(this.ccxt.apiKey) && Boolean(this.ccxt.secret);
  }

  /** Maps anything a CCXT call threw to our typed errors. */
  mapError(error: unknown, action: string): TradingError {
    const headers = this.ccxt.last_response_headers as Record<string, string> | undefined;
    return toTradingError(error, { action, responseHeaders: headers, nowMs: Date.now() });
  }

  /** One CCXT call, errors mapped, no retry (for order creation). */
  async once<T>(action: string, fn: (exchange: Exchange) => Promise<T>): Promise<T> {
    try {
      return await fn(this.ccxt);
    } catch (error) {
      throw this.mapError(error, action);
    }
  }

  /** An idempotent CCXT call: transient errors retried and logged; clock skew resyncs first. */
  call<T>(
    action: string,
    fn: (exchange: Exchange) => Promise<T>,
    retry?: RetryOptions,
  ): Promise<T> {
    const options = { ...this.retry, ...retry };
    return withRetry(() => this.once(action, fn), {
      ...options,
      onRetry: async (event) => {
        this.logger.warn(
          "Retrying {action} on {exchange} in {delayMs} ms (attempt {attempt}): {error}",
          {
            action,
            exchange: this.id,
            delayMs: event.delayMs,
            attempt: event.attempt,
            error: event.error.message,
          },
        );
        if (event.error instanceof ClockSkewError) await this.resyncTime();
        await options.onRetry?.(event);
      },
    });
  }

  /** Re-reads the exchange's clock so signed requests carry its time (Binance -1021). */
  async resyncTime(): Promise<void> {
    const ex = this.ccxt as Exchange & { loadTimeDifference?: () => Promise<unknown> };
    if (typeof ex.loadTimeDifference !== "function") return;
    await this.once("resync time", () => ex.loadTimeDifference!());
    this.logger.info("Resynced clock with {exchange}: difference {differenceMs} ms", {
      exchange: this.id,
      differenceMs: ex.options?.timeDifference,
    });
  }
}
