/**
 * Work the database says is outstanding for a shop, whether or not a job for
 * it was enqueued: the safety net under the follow-up nudges. Things that
 * failed before (an error recorded) are left to their job's retries and the
 * dead-letter list, so a broken item is not hammered every minute.
 */
import type { PrismaClient } from "@prisma/client";
import { setupDue } from "../db/shops.server";
import type { FollowUp } from "./follow-ups.server";

const LIMIT = 500;
/** A redemption younger than this may still be in the hands of its request. */
const RESERVED_GRACE_MS = 2 * 60_000;

export async function findOutstandingWork(db: PrismaClient, shop: string, now: Date): Promise<FollowUp[]> {
  const work: FollowUp[] = [];
  const members = await db.$queryRaw<{ id: string }[]>`
    SELECT id FROM "Member"
     WHERE shop = ${shop} AND "syncVersion" > "syncedVersion" AND "syncError" IS NULL
       AND ("syncClaimedUntil" IS NULL OR "syncClaimedUntil" < ${now})
     LIMIT ${LIMIT}`;
  for (const { id } of members) work.push({ queue: "member-sync", shop, memberId: id });

  const reserved = await db.redemption.findMany({
    where: {
      shop,
      status: "RESERVED",
      error: null,
      updatedAt: { lt: new Date(now.getTime() - RESERVED_GRACE_MS) },
      OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }],
    },
    select: { id: true },
    take: LIMIT,
  });
  for (const { id } of reserved) work.push({ queue: "code-issue", shop, redemptionId: id });

  // Campaigns with recipients left to issue (or, cancelled, to settle); one with a recorded
  // failure is left to its job's retries and the dead-letter list.
  const unclaimed = { OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }] };
  const campaigns = await db.campaign.findMany({
    where: {
      shop,
      recipients: { none: { shop, status: { in: ["PENDING", "ISSUED"] }, error: { not: null } } },
      OR: [
        {
          status: "RUNNING",
          recipients: {
            some: {
              shop,
              AND: [{ OR: [{ status: "PENDING" }, { status: "ISSUED", taggedAt: null }] }, unclaimed],
            },
          },
        },
        { status: "CANCELLED", recipients: { some: { shop, status: "PENDING", ...unclaimed } } },
      ],
    },
    select: { id: true },
    take: LIMIT,
  });
  for (const { id } of campaigns) work.push({ queue: "campaign-issue", shop, campaignId: id });

  if (
    await db.flowEvent.findFirst({
      where: { shop, sentAt: null, skippedAt: null, error: null },
      select: { id: true },
    })
  ) {
    work.push({ queue: "flow-send", shop });
  }
  const program = await db.program.findUnique({
    where: { shop },
    select: { syncVersion: true, syncedVersion: true },
  });
  if (program && program.syncVersion > program.syncedVersion) work.push({ queue: "program-sync", shop });
  // The install's setup, due (a lost nudge, or a scope change from app/scopes_update) and not failing.
  const record = await db.shop.findUnique({
    where: { domain: shop },
    select: { scopes: true, setupAt: true, setupScopes: true, setupError: true },
  });
  if (record && record.setupError === null && setupDue(record)) work.push({ queue: "shop-setup", shop });
  return work;
}
