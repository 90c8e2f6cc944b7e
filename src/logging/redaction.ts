/** What the logs must never contain: secret-looking fields and secret-looking text. */
import {
  DEFAULT_REDACT_FIELDS,
  type FieldPatterns,
  JWT_PATTERN,
  type RedactionPatterns,
} from "@logtape/redaction";

/** Placeholder written instead of a redacted value. */
export const REDACTED = "[REDACTED]";

/** Field names whose values are replaced, at any depth (keys, secrets, signatures, auth headers). */
export const SECRET_FIELDS: FieldPatterns = [
  ...DEFAULT_REDACT_FIELDS,
  /apikey|api_key|api-key/i,
  /x-mbx-apikey/i,
  /cookie/i,
  /^sign$/i,
  /nonce/i,
];

const SECRET_QUERY =
  /([?&;](?:signature|sign|api_?key|apikey|secret|token|password|passphrase)=)[^&\s"'<>\\]+/gi;
// Also matches inside JSON-lines text, where quotes arrive escaped (\"), without breaking JSON.
const SECRET_ASSIGNMENT =
  /((?:authorization|x-mbx-apikey|api[-_]?key|api[-_]?secret|secret|password|passphrase|signature|token)\\?["']?\s*[:=]\s*\\?["']?)(?:(?:bearer|basic)\s+)?\\?["']?[^\s"'\\,;}&]+/gi;
// HMAC-SHA256/512 signatures in hex, as exchanges want them.
const HEX_SIGNATURE = /\b[0-9a-f]{64}(?:[0-9a-f]{64})?\b/gi;

/** Text patterns replaced in every formatted line, after field redaction. */
export const SECRET_PATTERNS: RedactionPatterns = [
  JWT_PATTERN,
  { pattern: SECRET_QUERY, replacement: `$1${REDACTED}` },
  { pattern: SECRET_ASSIGNMENT, replacement: `$1${REDACTED}` },
  { pattern: HEX_SIGNATURE, replacement: REDACTED },
];
