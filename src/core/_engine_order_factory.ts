/** Builds the kernel's orders: deterministic client ids and sequence numbers. */
import type { ClientOrderIdParts, EngineOrder, OrderPurpose } from "./engine_types.ts";
import type { Side } from "./types.ts";

/** One letter per order purpose, in client ids. */
export const PURPOSE_CODES: Readonly<Record<OrderPurpose, string>> = {
  enter: "e",
  exit: "x",
  stop_loss: "s",
  take_profit: "t",
  trailing_stop: "r",
  end: "n",
};

/** `<prefix>-<candle time base36>-<purpose code><seq base36>`: ≤ 36 chars, Binance-safe. */
export function defaultClientOrderId(parts: ClientOrderIdParts): string {
  return idOf(parts.prefix, parts.candleTimeMs, parts.purpose, parts.seq);
}

function idOf(prefix: string, candleTimeMs: number, purpose: OrderPurpose, seq: number): string {
  return `${prefix}-${base36(candleTimeMs)}-${PURPOSE_CODES[purpose]}${base36(seq)}`;
}

const SMI_LIMIT = 2 ** 30;
const FIVE_DIGITS = 36 ** 5;
const FOUR_DIGITS = 36 ** 4;
const DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz";
/** Every two-digit base-36 string, "00" to "zz", by value. */
const PAIRS: readonly string[] = Array.from(
  { length: 36 * 36 },
  (_, k) => DIGITS[Math.floor(k / 36)] + DIGITS[k % 36],
);

/**
 * `value.toString(36)`: small integers (sequence numbers) from a table, epoch milliseconds split
 * into their high digits (kept from the last call: they change every 36^5 ms, about 17 hours)
 * and five low digits from the table. `toString(36)` is a slow runtime call even for small ints.
 */
export function base36(value: number): string {
  if (value >= 0 && value < FOUR_DIGITS && (value | 0) === value) return smallBase36(value);
  if (!(value >= SMI_LIMIT && Number.isSafeInteger(value))) return value.toString(36);
  const high = Math.floor(value / FIVE_DIGITS);
  if (high !== lastHigh) {
    lastHigh = high;
    lastHighText = base36(high);
  }
  const low = value - high * FIVE_DIGITS;
  const middle = Math.floor(low / 1296);
  return lastHighText + DIGITS[Math.floor(middle / 1296)] + PAIRS[middle % 1296] +
    PAIRS[low % 1296];
}

let lastHigh = Number.NaN;
let lastHighText = "";

/** Base 36 of an integer in [0, 36^4), without leading zeros. */
function smallBase36(value: number): string {
  if (value < 36) return DIGITS[value];
  if (value < 1296) return PAIRS[value];
  const high = Math.floor(value / 1296);
  return (high < 36 ? DIGITS[high] : PAIRS[high]) + PAIRS[value % 1296];
}

/** A client id prefix: at most 16 of `[A-Za-z0-9_-]`, so ids stay within Binance's 36 chars. */
export function clientIdPrefix(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, "").slice(0, 16);
}

/** What an order is for; the factory adds ids, symbol and type. */
export interface OrderSpec {
  readonly purpose: OrderPurpose;
  readonly reason: string;
  readonly side: Side;
  readonly baseAmount: number;
  /** Stop trigger or limit price; absent for market orders. */
  readonly price?: number;
  readonly quoteAmount?: number | null;
}

/** Numbers and names the kernel's orders; `seq` survives snapshots. */
export class OrderFactory {
  seq = 0;
  readonly #symbol: string;
  readonly #prefix: string;
  readonly #clientOrderId: (parts: ClientOrderIdParts) => string;

  /** True for the default id scheme, built without a parts object. */
  readonly #defaultIds: boolean;
  /** `<prefix>-<time base36>-` of the last candle time an id was made at (stops come in pairs). */
  #head = "";
  #headTimeMs = Number.NaN;

  constructor(
    symbol: string,
    ids: { prefix: string; clientOrderId: (parts: ClientOrderIdParts) => string },
  ) {
    this.#symbol = symbol;
    this.#prefix = clientIdPrefix(ids.prefix);
    this.#clientOrderId = ids.clientOrderId;
    this.#defaultIds = ids.clientOrderId === defaultClientOrderId;
  }

  /** The next order, made at the candle `candleTimeMs`. */
  create(spec: OrderSpec, candleTimeMs: number): EngineOrder {
    const { purpose, price = null } = spec;
    const quoteAmount = spec.quoteAmount ?? null;
    return this.make(
      purpose,
      spec.reason,
      spec.side,
      spec.baseAmount,
      price,
      quoteAmount,
      candleTimeMs,
    );
  }

  /** `create` from the spec's parts, without a spec object (the kernel's per-order path). */
  make(
    purpose: OrderPurpose,
    reason: string,
    side: Side,
    baseAmount: number,
    price: number | null,
    quoteAmount: number | null,
    candleTimeMs: number,
  ): EngineOrder {
    const seq = ++this.seq;
    return {
      clientOrderId: this.#defaultIds
        ? this.#defaultId(candleTimeMs, purpose, seq)
        : this.#clientOrderId({ prefix: this.#prefix, candleTimeMs, purpose, seq }),
      symbol: this.#symbol,
      side,
      type: price === null ? "market" : purpose === "take_profit" ? "limit" : "stop_market",
      baseAmount,
      price,
      purpose,
      reason,
      candleTimeMs,
      seq,
      quoteAmount,
    };
  }

  /** `defaultClientOrderId` of these parts, reusing the head of the last id. */
  #defaultId(candleTimeMs: number, purpose: OrderPurpose, seq: number): string {
    if (candleTimeMs !== this.#headTimeMs) {
      this.#headTimeMs = candleTimeMs;
      this.#head = `${this.#prefix}-${base36(candleTimeMs)}-`;
    }
    return this.#head + PURPOSE_CODES[purpose] + base36(seq);
  }
}
