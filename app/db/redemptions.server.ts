/**
 * Redemptions: a reward's code for one member, from the reservation of its
 * points to the code's use, expiry, revocation or failure. Every query is
 * scoped by shop.
 */
import type { Prisma, Redemption, RedemptionStatus } from "@prisma/client";
import type { Tx } from "./tx.server";

export function getRedemption(tx: Tx, shop: string, id: string): Promise<Redemption> {
  return tx.redemption.findFirstOrThrow({ where: { shop, id } });
}

export function findRedemption(tx: Tx, shop: string, id: string): Promise<Redemption | null> {
  return tx.redemption.findFirst({ where: { shop, id } });
}

/** The redemption a request (its idempotency key) made, if any. */
export function findRedemptionByKey(
  tx: Tx,
  shop: string,
  idempotencyKey: string,
): Promise<Redemption | null> {
  return tx.redemption.findUnique({ where: { shop_idempotencyKey: { shop, idempotencyKey } } });
}

export function createRedemption(tx: Tx, data: Prisma.RedemptionUncheckedCreateInput): Promise<Redemption> {
  return tx.redemption.create({ data });
}

/** The shop's redemptions whose code is one of `codes` (stored upper case). */
export function redemptionsWithCodes(tx: Tx, shop: string, codes: string[]): Promise<Redemption[]> {
  return tx.redemption.findMany({ where: { shop, code: { in: codes.map((code) => code.toUpperCase()) } } });
}

/** Which of these codes (upper case) are the shop's redemption codes. */
export async function redemptionCodesAmong(tx: Tx, shop: string, codes: string[]): Promise<Set<string>> {
  const rows = await tx.redemption.findMany({ where: { shop, code: { in: codes } }, select: { code: true } });
  return new Set(rows.map((r) => r.code));
}

/** Closes a redemption whose points came back, with its final status. */
export function markPointsReturned(
  tx: Tx,
  id: string,
  input: { status: RedemptionStatus; now: Date; error?: string },
): Promise<Redemption> {
  return tx.redemption.update({
    where: { id },
    data: {
      status: input.status,
      pointsReturnedAt: input.now,
      claimedUntil: null,
      ...(input.error ? { error: input.error } : {}),
    },
  });
}

export async function markRedemptionUsed(tx: Tx, id: string, orderGid: string, now: Date): Promise<void> {
  await tx.redemption.update({
    where: { id },
    data: { status: "USED", usedOrderGid: orderGid, usedAt: now },
  });
}

export async function markRedemptionExpired(tx: Tx, id: string): Promise<void> {
  await tx.redemption.update({ where: { id }, data: { status: "EXPIRED" } });
}

/** Issued codes past their end, at most `take`. */
export function expiredIssuedIds(tx: Tx, shop: string, now: Date, take: number) {
  return tx.redemption.findMany({
    where: { shop, status: "ISSUED", endsAt: { lte: now } },
    select: { id: true },
    take,
  });
}

/** Claims a reserved redemption until `until` (counting the attempt) when no other attempt holds it. */
export async function claimRedemption(
  tx: Tx,
  shop: string,
  id: string,
  at: Date,
  until: Date,
): Promise<boolean> {
  const claim = await tx.redemption.updateMany({
    where: {
      shop,
      id,
      status: "RESERVED",
      OR: [{ claimedUntil: null }, { claimedUntil: { lt: at } }],
    },
    data: { attempts: { increment: 1 }, claimedUntil: until },
  });
  return claim.count > 0;
}

/** Moves a claim from `held` to `next`; false when the redemption is no longer held so. */
export async function renewRedemptionClaim(
  tx: Tx,
  shop: string,
  id: string,
  held: Date,
  next: Date,
): Promise<boolean> {
  const { count } = await tx.redemption.updateMany({
    where: { shop, id, claimedUntil: held },
    data: { claimedUntil: next },
  });
  return count === 1;
}

/** Ends a claim held until `until`, recording the attempt's error; nothing when another attempt holds it. */
export function releaseRedemption(tx: Tx, shop: string, id: string, until: Date, error: string) {
  return tx.redemption.updateMany({
    where: { shop, id, claimedUntil: until },
    data: { error, claimedUntil: null },
  });
}

/** A reserved redemption's code was created in Shopify; false when it was no longer reserved. */
export async function markRedemptionIssued(
  tx: Tx,
  shop: string,
  id: string,
  nodeId: string,
): Promise<boolean> {
  const confirmed = await tx.redemption.updateMany({
    where: { shop, id, status: "RESERVED" },
    data: { status: "ISSUED", discountNodeId: nodeId, error: null, claimedUntil: null },
  });
  return confirmed.count > 0;
}

/** How many redemptions the customer asked for since `since`. */
export function countRedemptionsSince(
  tx: Tx,
  shop: string,
  customerGid: string,
  since: Date,
): Promise<number> {
  return tx.redemption.count({ where: { shop, customerGid, createdAt: { gt: since } } });
}

/** Creates the redemption unless one with its idempotency key exists; its id, or null when it existed. */
export async function createRedemptionOnce(
  tx: Tx,
  data: Prisma.RedemptionCreateManyInput,
): Promise<string | null> {
  const created = await tx.redemption.createManyAndReturn({ data: [data], skipDuplicates: true });
  return created[0]?.id ?? null;
}

/**
 * Reserved redemptions no request or attempt is working on: older than
 * `olderThan`, unclaimed, and without a recorded error (those are left to the
 * code-issue job's retries).
 */
export function reservedRedemptionsDue(tx: Tx, shop: string, olderThan: Date, now: Date, take: number) {
  return tx.redemption.findMany({
    where: {
      shop,
      status: "RESERVED",
      error: null,
      updatedAt: { lt: olderThan },
      OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }],
    },
    select: { id: true },
    take,
  });
}

/** The member's redemption with this id; null for another member's or shop's. */
export function findMemberRedemption(
  tx: Tx,
  shop: string,
  memberId: string,
  id: string,
): Promise<Redemption | null> {
  return tx.redemption.findFirst({ where: { shop, id, memberId } });
}

/** The member's latest redemptions, newest first. */
export function memberRedemptions(tx: Tx, shop: string, memberId: string, take: number) {
  return tx.redemption.findMany({ where: { shop, memberId }, orderBy: { createdAt: "desc" }, take });
}

/** The expiries of the member's store credit redemptions (a new one takes another second). */
export async function memberCreditExpiries(tx: Tx, shop: string, memberId: string): Promise<Date[]> {
  const rows = await tx.redemption.findMany({
    where: { shop, memberId, creditCurrency: { not: null } },
    select: { endsAt: true },
  });
  return rows.map((row) => row.endsAt);
}

/** Credit transactions already recorded on the member's redemptions (a retry must not claim them). */
export async function recordedCreditTransactions(
  tx: Tx,
  shop: string,
  memberId: string,
): Promise<Set<string>> {
  const rows = await tx.redemption.findMany({
    where: { shop, memberId, creditTransactionId: { not: null } },
    select: { creditTransactionId: true },
  });
  return new Set(rows.map((row) => row.creditTransactionId!));
}

/** A reserved store credit redemption's credit was made in Shopify; false when it was no longer reserved. */
export async function markRedemptionCredited(
  tx: Tx,
  shop: string,
  id: string,
  transactionId: string,
  now: Date,
): Promise<boolean> {
  const confirmed = await tx.redemption.updateMany({
    where: { shop, id, status: "RESERVED" },
    data: {
      status: "CREDITED",
      creditTransactionId: transactionId,
      usedAt: now,
      error: null,
      claimedUntil: null,
    },
  });
  return confirmed.count > 0;
}
