/**
 * Kraken's REST rate limits: a per-key API counter for private calls (each call adds 1, trade
 * and ledger history 2, order placing and cancelling 0; it decays by a fixed amount a second and
 * refuses calls above its maximum with `EAPI:Rate limit exceeded`), and a per-IP budget for
 * public calls (`EGeneral:Too many requests`, HTTP 429).
 */

/** Points a private call adds to the API counter. */
export function privateCallCost(method: string): number {
  if (method === "AddOrder" || method === "CancelOrder" || method === "AddOrderBatch") return 0;
  if (method === "TradesHistory" || method === "Ledgers" || method === "QueryLedgers") return 2;
  return 1;
}

/** Counter limits; Kraken's starter tier: maximum 15, decay 0.33 a second. */
export interface KrakenLimitOptions {
  readonly counterMax?: number;
  readonly decayPerSec?: number;
  /** Public calls an IP may burst; one more comes back each second. */
  readonly publicBurst?: number;
}

interface Level {
  value: number;
  atMs: number;
}

/** Leaky counters keyed by API key (private) or IP (public). */
export class KrakenLimits {
  counterMax: number;
  readonly decayPerSec: number;
  readonly publicBurst: number;
  readonly #private = new Map<string, Level>();
  readonly #public = new Map<string, Level>();
  /** Calls refused, for tests. */
  rejected = 0;

  constructor(options: KrakenLimitOptions = {}) {
    this.counterMax = options.counterMax ?? 15;
    this.decayPerSec = options.decayPerSec ?? 0.33;
    this.publicBurst = options.publicBurst ?? 20;
  }

  /** Adds a private call's cost; false (and nothing added) when it would exceed the maximum. */
  addPrivate(apiKey: string, cost: number, wallNowMs: number): boolean {
    return this.#add(this.#private, apiKey, cost, this.counterMax, this.decayPerSec, wallNowMs);
  }

  /** Counts a public call; false when the IP is over its budget. */
  addPublic(ip: string, wallNowMs: number): boolean {
    return this.#add(this.#public, ip, 1, this.publicBurst, 1, wallNowMs);
  }

  /** The private counter of a key now (after decay). */
  level(apiKey: string, wallNowMs: number): number {
    const l = this.#private.get(apiKey);
    return l ? this.#decayed(l, this.decayPerSec, wallNowMs) : 0;
  }

  reset(): void {
    this.#private.clear();
    this.#public.clear();
    this.rejected = 0;
  }

  #decayed(l: Level, perSec: number, wallNowMs: number): number {
    return Math.max(0, l.value - ((wallNowMs - l.atMs) / 1000) * perSec);
  }

  #add(
    map: Map<string, Level>,
    key: string,
    cost: number,
    max: number,
    perSec: number,
    wallNowMs: number,
  ): boolean {
    const l = map.get(key) ?? { value: 0, atMs: wallNowMs };
    const value = this.#decayed(l, perSec, wallNowMs);
    if (cost > 0 && value + cost > max) {
      this.rejected++;
      map.set(key, { value, atMs: wallNowMs });
      return false;
    }
    map.set(key, { value: value + cost, atMs: wallNowMs });
    return true;
  }
}
