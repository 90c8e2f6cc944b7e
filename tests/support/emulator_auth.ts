/** Binance's signed-request checks: API key, timestamp within recvWindow, HMAC-SHA256 signature. */
import { BinanceError, type EmulatorAccount } from "./emulator_book.ts";

/** The raw request parts the signature covers. */
export interface SignedParts {
  readonly apiKey: string | null;
  readonly rawQuery: string;
  readonly rawBody: string;
  readonly params: URLSearchParams;
}

/** Removes `signature=…` from a raw query string, keeping the rest byte for byte. */
function withoutSignature(raw: string): string {
  return raw.split("&").filter((kv) => kv !== "" && !kv.startsWith("signature=")).join("&");
}

/** Lower-case hex HMAC-SHA256 of `payload` with `secret`. */
export async function hmacHex(secret: string, payload: string): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey(
    "raw",
    enc.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const sig = new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(payload)));
  return [...sig].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Checks a signed request as Binance does; returns the account or throws Binance's error. */
export async function authenticate(
  parts: SignedParts,
  accounts: ReadonlyMap<string, EmulatorAccount>,
  serverTimeMs: number,
  forcedSkew: boolean,
): Promise<EmulatorAccount> {
  if (!parts.apiKey) throw new BinanceError(401, -2014, "API-key format invalid.");
  const account = accounts.get(parts.apiKey);
  if (!account) {
    throw new BinanceError(401, -2015, "Invalid API-key, IP, or permissions for action.");
  }
  const timestamp = Number(parts.params.get("timestamp"));
  if (!parts.params.get("timestamp") || !Number.isFinite(timestamp)) {
    throw new BinanceError(
      400,
      -1102,
      "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.",
    );
  }
  const recvWindow = Number(parts.params.get("recvWindow") ?? 5000);
  if (!(recvWindow > 0 && recvWindow <= 60_000)) {
    throw new BinanceError(400, -1131, "recvWindow must be less than 60000");
  }
  if (forcedSkew || timestamp >= serverTimeMs + 1000) {
    throw new BinanceError(
      400,
      -1021,
      "Timestamp for this request was 1000ms ahead of the server's time.",
    );
  }
  if (serverTimeMs - timestamp > recvWindow) {
    throw new BinanceError(400, -1021, "Timestamp for this request is outside of the recvWindow.");
  }
  const signature = parts.params.get("signature");
  if (!signature) {
    throw new BinanceError(
      400,
      -1102,
      "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.",
    );
  }
  const payload = withoutSignature(parts.rawQuery) + withoutSignature(parts.rawBody);
  if (await hmacHex(account.secret, payload) !== signature.toLowerCase()) {
    throw new BinanceError(400, -1022, "Signature for this request is not valid.");
  }
  return account;
}
