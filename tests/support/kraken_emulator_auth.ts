/**
 * Kraken's private-request checks: the `API-Key` header names the account, `API-Sign` is the
 * base64 HMAC-SHA512 (keyed with the base64-decoded secret) of the URI path followed by
 * SHA-256(nonce + POST body), and each key's nonce must grow from one request to the next.
 */
import type { EmulatorAccount } from "./emulator_book.ts";

/** A Kraken error: the text that goes in `{"error": [...]}`. */
export class KrakenError extends Error {
  constructor(message: string, readonly httpStatus = 200) {
    super(message);
  }
}

/** The parts of a private request that the signature covers. */
export interface KrakenSignedParts {
  readonly path: string;
  readonly apiKey: string | null;
  readonly apiSign: string | null;
  readonly rawBody: string;
  readonly params: URLSearchParams;
}

function base64ToBytes(text: string): Uint8Array | null {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

function bytesToBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

/** Kraken's API-Sign of a request, for a base64 `secret`. */
export async function krakenSignature(
  secret: string,
  path: string,
  nonce: string,
  body: string,
): Promise<string> {
  const enc = new TextEncoder();
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", enc.encode(nonce + body)));
  const pathBytes = enc.encode(path);
  const message = new Uint8Array(pathBytes.length + digest.length);
  message.set(pathBytes);
  message.set(digest, pathBytes.length);
  const keyBytes = base64ToBytes(secret) ?? new Uint8Array();
  const key = await crypto.subtle.importKey(
    "raw",
    keyBytes as Uint8Array<ArrayBuffer>,
    { name: "HMAC", hash: "SHA-512" },
    false,
    ["sign"],
  );
  return bytesToBase64(new Uint8Array(await crypto.subtle.sign("HMAC", key, message)));
}

/** The last nonce each API key used. */
export class NonceLedger {
  readonly #last = new Map<string, bigint>();

  /** Accepts a nonce strictly greater than the key's last one (and records it). */
  accept(apiKey: string, nonce: bigint): boolean {
    const last = this.#last.get(apiKey);
    if (last !== undefined && nonce <= last) return false;
    this.#last.set(apiKey, nonce);
    return true;
  }
}

/** Checks a private request as Kraken does; returns the account or throws Kraken's error. */
export async function authenticateKraken(
  parts: KrakenSignedParts,
  accounts: ReadonlyMap<string, EmulatorAccount>,
  nonces: NonceLedger,
  forcedBadNonce: boolean,
): Promise<EmulatorAccount> {
  if (!parts.apiKey) throw new KrakenError("EAPI:Invalid key");
  const account = accounts.get(parts.apiKey);
  if (!account) throw new KrakenError("EAPI:Invalid key");
  const nonceText = parts.params.get("nonce");
  if (!nonceText || !/^\d{1,20}$/.test(nonceText)) throw new KrakenError("EAPI:Invalid nonce");
  if (!parts.apiSign) throw new KrakenError("EAPI:Invalid signature");
  const expected = await krakenSignature(account.secret, parts.path, nonceText, parts.rawBody);
  if (expected !== parts.apiSign) throw new KrakenError("EAPI:Invalid signature");
  if (forcedBadNonce || !nonces.accept(account.apiKey, BigInt(nonceText))) {
    throw new KrakenError("EAPI:Invalid nonce");
  }
  return account;
}
