/**
 * Points expiry: the whole balance expires after N months without earning or
 * redeeming; the member is warned some days before.
 */
import { addMonths } from "./tiers";

export type ExpiryState = "off" | "active" | "warning" | "due";

export function expiryStatus(input: {
  lastActivityAt: Date | null;
  expiryMonths: number | null;
  warningDays: number;
  now: Date;
}): { state: ExpiryState; expiresAt: Date | null } {
  const { lastActivityAt, expiryMonths, warningDays, now } = input;
  if (expiryMonths === null || lastActivityAt === null) return { state: "off", expiresAt: null };
  const expiresAt = addMonths(lastActivityAt, expiryMonths);
  if (now >= expiresAt) return { state: "due", expiresAt };
  const warnFrom = new Date(expiresAt.getTime() - warningDays * 86_400_000);
  return { state: now >= warnFrom ? "warning" : "active", expiresAt };
}
