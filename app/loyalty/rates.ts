/**
 * Earn rates and tier multipliers are exact decimals with up to 4 places,
 * held as integers scaled by 10,000 ("E4"): 5 points per 1.00 = 50000,
 * x1.25 = 12500. Points are whole and rounded down.
 */
import type { Milli } from "./money";

export const E4 = 10_000;

class RateFormatError extends Error {
  constructor(value: unknown) {
    super(`not a decimal with at most 4 places: ${JSON.stringify(value)}`);
    this.name = "RateFormatError";
  }
}

export function parseE4(value: string | number): number {
  const text = typeof value === "number" ? String(value) : value.trim();
  const match = /^(\d+)(?:\.(\d{1,4}))?$/.exec(text);
  if (!match) throw new RateFormatError(value);
  return Number(match[1]) * E4 + Number((match[2] ?? "").padEnd(4, "0"));
}

export function formatE4(value: number): string {
  const whole = Math.floor(value / E4);
  const fraction = String(value % E4)
    .padStart(4, "0")
    .replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : String(whole);
}

/** floor(amount x rate x multiplier), exact. Negative amounts earn nothing. */
export function pointsFor(eligible: Milli, rateE4: number, multiplierE4: number): number {
  if (eligible <= 0n) return 0;
  const scaled = eligible * BigInt(rateE4) * BigInt(multiplierE4);
  return Number(scaled / (1000n * BigInt(E4) * BigInt(E4)));
}
