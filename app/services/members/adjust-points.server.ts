/**
 * Manual adjustment by staff: a signed number of points with a required
 * reason; the staff member is recorded on the ledger entry. A deduction
 * cannot take the balance below zero. The request's
 * idempotency key makes a double-submitted form apply once.
 */
import type { PrismaClient } from "@prisma/client";
import { appendEntry, ledgerEntryExists, lockMember, upsertMember } from "../../db/members.server";
import { inTransaction } from "../../db/tx.server";
import type { FieldErrors } from "../../loyalty/field-error";
import { SettingsError } from "../program/program-settings.server";

/** The most points one adjustment adds or removes. */
const MAX_ADJUSTMENT = 10_000_000;

export async function adjustPoints(
  db: PrismaClient,
  shop: string,
  input: { customerGid: string; points: number; reason: string; staffId: string; idempotencyKey: string },
  now: Date,
): Promise<{ balance: number; applied: boolean }> {
  const errors: FieldErrors = {};
  if (!Number.isSafeInteger(input.points)) errors.points = { code: "wholeNumber" };
  else if (input.points === 0) errors.points = { code: "notZero" };
  else if (Math.abs(input.points) > MAX_ADJUSTMENT)
    errors.points = { code: "range", min: -MAX_ADJUSTMENT, max: MAX_ADJUSTMENT, unit: "points" };
  if (input.reason.trim().length < 3) errors.reason = { code: "required" };
  if (!/^[\w-]{8,100}$/.test(input.idempotencyKey)) errors.idempotencyKey = { code: "stale" };
  if (Object.keys(errors).length > 0) throw new SettingsError(errors);

  return inTransaction(db, async (tx) => {
    const member = await lockMember(tx, shop, (await upsertMember(tx, shop, input.customerGid, {})).id);
    const sourceKey = `adjust:${input.idempotencyKey}`;
    if (await ledgerEntryExists(tx, shop, sourceKey)) return { balance: member.balance, applied: false };
    if (member.balance + input.points < 0) {
      throw new SettingsError({ points: { code: "belowZero", balance: member.balance } });
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
