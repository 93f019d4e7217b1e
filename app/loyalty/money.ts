/**
 * Money as exact integers: milli-units of the shop currency (1.00 = 1000),
 * which holds every currency Shopify supports (0, 2 or 3 decimals).
 * Shopify sends money as decimal strings; floats never touch it.
 */
export type Milli = bigint;

const MONEY = /^(-)?(\d+)(?:\.(\d{1,3})\d*)?$/;

export class MoneyFormatError extends Error {
  constructor(value: unknown) {
    super(`not a money amount: ${JSON.stringify(value)}`);
    this.name = "MoneyFormatError";
  }
}

/** "12.34" -> 12340n. Digits past the third decimal are dropped (Shopify sends at most 2-3). */
export function parseMilli(value: string | number): Milli {
  const text = typeof value === "number" ? value.toFixed(3) : value.trim();
  const match = MONEY.exec(text);
  if (!match) throw new MoneyFormatError(value);
  const [, sign, whole, fraction = ""] = match;
  const milli = BigInt(whole!) * 1000n + BigInt(fraction.padEnd(3, "0"));
  return sign ? -milli : milli;
}

export function formatMilli(milli: Milli, decimals = 2): string {
  const negative = milli < 0n;
  const abs = negative ? -milli : milli;
  const whole = abs / 1000n;
  const fraction = (abs % 1000n).toString().padStart(3, "0").slice(0, decimals);
  return `${negative ? "-" : ""}${whole}${decimals > 0 ? `.${fraction}` : ""}`;
}

export const maxMilli = (a: Milli, b: Milli): Milli => (a > b ? a : b);
