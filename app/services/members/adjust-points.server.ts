/**
 * Manual adjustment by staff: a signed number of points with a required
 * reason; the staff member is recorded on the ledger entry. A deduction
 * cannot take the balance below zero. The request's
 * idempotency key makes a double-submitted form apply once.
 */
import type { PrismaClient } from "@prisma/client";
import { appendEntry, ledgerEntryExists, lockMember, upsertMember } from "../../db/members.server";
import { inTransaction } from "../../db/tx.server";
import { SettingsError } from "../program/program-settings.server";

export async function adjustPoints(
  db: PrismaClient,
  shop: string,
  input: { customerGid: string; points: number; reason: string; staffId: string; idempotencyKey: string },
  now: Date,
): Promise<{ balance: number; applied: boolean }> {
  const errors: Record<string, string> = {};
  if (!Number.isSafeInteger(input.points) || input.points === 0 || Math.abs(input.points) > 10_000_000) {
    errors.points = "must be a whole number of points, not 0, at most 10,000,000 either way";
  }
  if (input.reason.trim().length < 3) errors.reason = "is required";
  if (!/^[\w-]{8,100}$/.test(input.idempotencyKey)) errors.idempotencyKey = "is missing or malformed";
  if (Object.keys(errors).length > 0) throw new SettingsError(errors);

  return inTransaction(db, async (tx) => {
    const member = await lockMember(tx, shop, (await upsertMember(tx, shop, input.customerGid, {})).id);
    const sourceKey = `adjust:${input.idempotencyKey}`;
    if (await ledgerEntryExists(tx, shop, sourceKey)) return { balance: member.balance, applied: false };
    if (member.balance + input.points < 0) {
      throw new SettingsError({ points: `would leave the balance below 0 (it is ${member.balance})` });
    }
    const updated = await appendEntry(tx, shop, member, {
      kind: "ADJUST",
      points: input.points,
      sourceKey,
      note: input.reason.trim(),
      staffId: input.staffId,
      ...(input.points > 0 ? { activityAt: now } : {}),
    });
    return { balance: updated.balance, applied: true };
  });
}
