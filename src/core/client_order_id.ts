/**
 * Each exchange's client order id rule, and the deterministic ids that fit it: the kernel makes
 * them from the instance, the candle time, the purpose and a sequence number; the exchange
 * client checks them again before sending.
 */
import { base36, defaultClientOrderId, PURPOSE_CODES } from "./_engine_order_factory.ts";
import type { ClientOrderIdParts } from "./engine_types.ts";

/** What an exchange accepts as a client order id, and what it calls the field. */
export interface ClientIdRule {
  /** The exchange's name for the field, for messages and docs. */
  readonly field: string;
  readonly maxLength: number;
  readonly pattern: RegExp;
}

/** The rules of the seed exchanges; others get a conservative default. */
export const CLIENT_ID_RULES: Readonly<Record<string, ClientIdRule>> = {
  // Binance spot: newClientOrderId, `^[\.A-Z\:/a-z0-9_-]{1,36}$`.
  binance: { field: "newClientOrderId", maxLength: 36, pattern: /^[.A-Z:/a-z0-9_-]{1,36}$/ },
  // Bybit v5: orderLinkId, up to 36 letters, digits, dashes and underscores.
  bybit: { field: "orderLinkId", maxLength: 36, pattern: /^[A-Za-z0-9_-]{1,36}$/ },
  // Coinbase Advanced Trade: client_order_id, a free string (CCXT sends a UUID, 36 characters);
  // we keep to the UUID's length and to characters no API layer escapes.
  coinbase: { field: "client_order_id", maxLength: 36, pattern: /^[A-Za-z0-9_-]{1,36}$/ },
  // Kraken spot: cl_ord_id, a UUID or free ASCII text of at most 18 characters.
  kraken: { field: "cl_ord_id", maxLength: 18, pattern: /^[A-Za-z0-9_-]{1,18}$/ },
};

// A conservative default for exchanges whose rule we have not checked: letters, digits, - and _.
const DEFAULT_RULE: ClientIdRule = {
  field: "clientOrderId",
  maxLength: 32,
  pattern: /^[A-Za-z0-9_-]{1,32}$/,
};

/** The client id rule of `exchangeId` (Binance's for `binanceus` and the like). */
export function clientIdRule(exchangeId: string): ClientIdRule {
  if (exchangeId.startsWith("binance")) return CLIENT_ID_RULES.binance;
  return CLIENT_ID_RULES[exchangeId] ?? DEFAULT_RULE;
}

/** True when `id` is a valid client order id on `exchangeId` (Binance: ≤ 36 of `[.A-Z:/a-z0-9_-]`). */
export function isValidClientOrderId(exchangeId: string, id: string): boolean {
  return clientIdRule(exchangeId).pattern.test(id);
}

/**
 * The id scheme for `exchangeId`: the default `<prefix>-<candle ms>-<purpose><seq>` (at most 36
 * characters) where the rule allows 36; on shorter rules (Kraken's 18) a compact one, see
 * `compactClientOrderId`. Either is a pure function of its parts.
 */
export function clientOrderIdScheme(exchangeId: string): (parts: ClientOrderIdParts) => string {
  return clientIdRule(exchangeId).maxLength >= 36 ? defaultClientOrderId : compactClientOrderId;
}

/**
 * `<prefix hash, 4>-<candle minute, 5>-<purpose><seq>`, all base 36: 13 characters plus the
 * sequence's, so 18 holds a million orders per instance (minutes fit 5 digits until 2084). The
 * prefix is a hash of the instance's prefix, as the name itself would not fit.
 */
export function compactClientOrderId(parts: ClientOrderIdParts): string {
  const minute = base36(Math.floor(parts.candleTimeMs / 60_000)).padStart(5, "0");
  return `${prefixHash(parts.prefix)}-${minute}-${PURPOSE_CODES[parts.purpose]}${
    base36(parts.seq)
  }`;
}

/** Four base-36 characters of a 32-bit FNV-1a hash. */
function prefixHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return ((hash >>> 0) % 36 ** 4).toString(36).padStart(4, "0");
}
