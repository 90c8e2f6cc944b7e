/** Which client order ids an exchange accepts: the kernel makes them, the exchange checks them. */

const BINANCE_ID = /^[.A-Z:/a-z0-9_-]{1,36}$/;
// A conservative default for exchanges whose rule we have not checked: letters, digits, - and _.
const DEFAULT_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** True when `id` is a valid client order id on `exchangeId` (Binance: ≤ 36 of `[.A-Z:/a-z0-9_-]`). */
export function isValidClientOrderId(exchangeId: string, id: string): boolean {
  return (exchangeId.startsWith("binance") ? BINANCE_ID : DEFAULT_ID).test(id);
}
