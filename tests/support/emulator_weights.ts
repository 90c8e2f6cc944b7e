/** Binance request weights and the per-IP, per-minute weight counter (X-MBX-USED-WEIGHT-1M). */

/** Weight of a request, from Binance's spot API documentation. */
export function requestWeight(method: string, path: string, params: URLSearchParams): number {
  const hasSymbol = params.has("symbol") || params.has("symbols");
  switch (`${method} ${path}`) {
    case "GET /api/v3/exchangeInfo":
      return 20;
    case "GET /api/v3/klines":
      return 2;
    case "GET /api/v3/ticker/price":
      return hasSymbol ? 2 : 4;
    case "GET /api/v3/ticker/24hr":
      return hasSymbol ? 2 : 80;
    case "GET /api/v3/account":
    case "GET /api/v3/myTrades":
    case "GET /api/v3/allOrders":
      return 20;
    case "GET /api/v3/order":
      return 4;
    case "GET /api/v3/openOrders":
      return hasSymbol ? 6 : 80;
    default:
      return 1;
  }
}

/** Per-IP usage figures for tests and the soak report. */
export interface IpUsage {
  readonly ip: string;
  /** Weight used in the current minute. */
  readonly usedWeight1m: number;
  /** Highest weight any one minute reached. */
  readonly maxWeight1m: number;
  /** Highest number of requests in any one wall second. */
  readonly maxRequests1s: number;
  readonly requests: number;
  /** Requests refused with 429 because the weight limit was exceeded. */
  readonly rejected429: number;
}

interface Counter {
  minute: number;
  weight: number;
  maxWeight: number;
  second: number;
  secondCount: number;
  maxSecondCount: number;
  requests: number;
  rejected: number;
}

/** Fixed one-minute windows of wall time, as Binance counts them. */
export class WeightCounter {
  #byIp = new Map<string, Counter>();

  constructor(public limit: number) {}

  /** Adds a request's weight; returns the minute's total and whether it is over the limit. */
  add(
    ip: string,
    weight: number,
    wallNowMs: number,
  ): { used: number; over: boolean; retryAfterSec: number } {
    const minute = Math.floor(wallNowMs / 60_000);
    const second = Math.floor(wallNowMs / 1000);
    const c = this.#byIp.get(ip) ?? newCounter(minute, second);
    this.#byIp.set(ip, c);
    if (c.minute !== minute) [c.minute, c.weight] = [minute, 0];
    if (c.second !== second) [c.second, c.secondCount] = [second, 0];
    c.weight += weight;
    c.secondCount++;
    c.requests++;
    c.maxWeight = Math.max(c.maxWeight, c.weight);
    c.maxSecondCount = Math.max(c.maxSecondCount, c.secondCount);
    const over = c.weight > this.limit;
    if (over) c.rejected++;
    const retryAfterSec = Math.max(1, Math.ceil(((minute + 1) * 60_000 - wallNowMs) / 1000));
    return { used: c.weight, over, retryAfterSec };
  }

  /** Usage per IP. */
  usage(): IpUsage[] {
    return [...this.#byIp.entries()].map(([ip, c]) => ({
      ip,
      usedWeight1m: c.weight,
      maxWeight1m: c.maxWeight,
      maxRequests1s: c.maxSecondCount,
      requests: c.requests,
      rejected429: c.rejected,
    }));
  }

  /** Forgets all usage. */
  reset(): void {
    this.#byIp.clear();
  }
}

function newCounter(minute: number, second: number): Counter {
  return {
    minute,
    weight: 0,
    maxWeight: 0,
    second,
    secondCount: 0,
    maxSecondCount: 0,
    requests: 0,
    rejected: 0,
  };
}
