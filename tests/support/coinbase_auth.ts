/**
 * Coinbase CDP API keys as the emulator hands them out, and the check of the ES256 JWT bearer
 * token CCXT's `coinbase` class signs with one: key name in `kid` and `sub`, signature, `nbf` and
 * `exp`, and the `uri` claim (`METHOD host/path`).
 */

/** A CDP key: its name (`organizations/…/apiKeys/…`) and its SEC1 PEM private key. */
export interface CdpKey {
  readonly apiKey: string;
  readonly secret: string;
}

const P256_OID = [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];

function base64url(text: string): Uint8Array<ArrayBuffer> {
  const b64 = text.replaceAll("-", "+").replaceAll("_", "/");
  const bin = atob(b64 + "=".repeat((4 - b64.length % 4) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

function toBase64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_")
    .replace(/=+$/, "");
}

/** A new P-256 CDP key, its private half as `-----BEGIN EC PRIVATE KEY-----` (what CCXT reads). */
export async function generateCdpKey(): Promise<CdpKey> {
  const pair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
    "sign",
    "verify",
  ]) as CryptoKeyPair;
  const jwk = await crypto.subtle.exportKey("jwk", pair.privateKey);
  const [d, x, y] = [base64url(jwk.d!), base64url(jwk.x!), base64url(jwk.y!)];
  // ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING, [0] curve OID, [1] publicKey }
  const der = Uint8Array.from([
    0x30,
    0x77,
    0x02,
    0x01,
    0x01,
    0x04,
    0x20,
    ...d,
    0xa0,
    0x0a,
    ...P256_OID,
    0xa1,
    0x44,
    0x03,
    0x42,
    0x00,
    0x04,
    ...x,
    ...y,
  ]);
  const body = btoa(String.fromCharCode(...der)).match(/.{1,64}/g)!.join("\n");
  const org = crypto.randomUUID();
  return {
    apiKey: `organizations/${org}/apiKeys/${crypto.randomUUID()}`,
    secret: `-----BEGIN EC PRIVATE KEY-----\n${body}\n-----END EC PRIVATE KEY-----\n`,
  };
}

/** The public key of a SEC1 PEM made by `generateCdpKey`, for verifying; null when not one. */
export async function publicKeyOf(pem: string): Promise<CryptoKey | null> {
  const b64 = pem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, "");
  let der: Uint8Array;
  try {
    der = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
  if (der.length !== 121 || der[56] !== 0x04) return null;
  const jwk = {
    kty: "EC",
    crv: "P-256",
    x: toBase64url(der.slice(57, 89)),
    y: toBase64url(der.slice(89, 121)),
  };
  return await crypto.subtle.importKey("jwk", jwk, { name: "ECDSA", namedCurve: "P-256" }, false, [
    "verify",
  ]);
}

/** What a valid token says. */
export interface JwtClaims {
  readonly kid: string;
  readonly sub: string;
  readonly nbf: number;
  readonly exp: number;
  readonly uri?: string;
}

/**
 * Checks a bearer token: ES256 over `header.payload` with the key named in `kid`, `sub` equal to
 * it, `nbf` ≤ now < `exp` (seconds), and `uri` equal to one of `uris`. Returns the key name, or
 * the reason it is refused.
 */
export async function verifyJwt(
  token: string,
  keys: (kid: string) => Promise<CryptoKey | null>,
  nowSec: number,
  uris: readonly string[],
): Promise<{ ok: true; apiKey: string } | { ok: false; reason: string }> {
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, reason: "malformed token" };
  let header: { alg?: string; kid?: string };
  let claims: JwtClaims;
  try {
    header = JSON.parse(new TextDecoder().decode(base64url(parts[0])));
    claims = JSON.parse(new TextDecoder().decode(base64url(parts[1])));
  } catch {
    return { ok: false, reason: "malformed token" };
  }
  if (header.alg !== "ES256") return { ok: false, reason: `alg ${header.alg} is not ES256` };
  const key = header.kid ? await keys(header.kid) : null;
  if (!key || claims.sub !== header.kid) return { ok: false, reason: "unknown key" };
  const signed = new TextEncoder().encode(`${parts[0]}.${parts[1]}`);
  const valid = await crypto.subtle.verify(
    { name: "ECDSA", hash: "SHA-256" },
    key,
    base64url(parts[2]),
    signed,
  );
  if (!valid) return { ok: false, reason: "bad signature" };
  if (!(claims.nbf <= nowSec + 1) || !(nowSec < claims.exp)) {
    return { ok: false, reason: "token expired or not yet valid" };
  }
  if (claims.exp - claims.nbf > 120) return { ok: false, reason: "token lives over 2 minutes" };
  if (!claims.uri || !uris.includes(claims.uri)) {
    return { ok: false, reason: `uri claim ${claims.uri} does not name this request` };
  }
  return { ok: true, apiKey: header.kid! };
}
