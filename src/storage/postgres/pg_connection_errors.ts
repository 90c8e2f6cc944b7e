/**
 * Which failures of a PostgreSQL call mean "the server cannot be reached now" rather than "this
 * statement is wrong": the driver's network codes, SQLSTATE class 08 (connection exception) and
 * 57P01–57P03 (admin or crash shutdown, cannot connect now), and the driver's connect and socket
 * timeouts. The connection's worker and `PgDatabase` share this list. (A call the worker does not
 * answer in time is not here: its late answer would be read as the next call's, so it is final.)
 */

/** Codes of a lost or refused connection (driver and system codes, and single SQLSTATEs). */
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "57P01",
  "57P02",
  "57P03",
]);

/** Messages of a lost connection that came without a code. */
const CONNECTION_MESSAGE =
  /connection (?:terminated|closed|reset|refused|ended|destroyed)|connection to the database was lost|ECONNREFUSED|ECONNRESET|EPIPE|socket hang up/i;

/** True when `code` (SQLSTATE or driver code) or, without one, `message` tells a lost server. */
export function isConnectionFailure(code: string | null, message = ""): boolean {
  if (code !== null && code !== "") {
    return CONNECTION_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code);
  }
  return CONNECTION_MESSAGE.test(message);
}
