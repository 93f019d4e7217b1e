/**
 * Work the database says is outstanding for a shop, whether or not a job for
 * it was enqueued: the safety net under the follow-up nudges. Things that
 * failed before (an error recorded) are left to their job's retries and the
 * dead-letter list, so a broken item is not hammered every minute.
 */
import type { PrismaClient } from "@prisma/client";
import { campaignsWithWorkLeft } from "../db/campaigns.server";
import { hasUnsentFlowEvents } from "../db/flow-events.server";
import { hasNotificationWork } from "../db/notifications.server";
import { EMAILED_TRIGGERS } from "../services/notifications/notification-events.server";
import { membersDueForSync } from "../db/members.server";
import { programSyncDue } from "../db/program.server";
import { reservedRedemptionsDue } from "../db/redemptions.server";
import { findShop, setupDue } from "../db/shops.server";
import type { FollowUp } from "./follow-ups.server";

const LIMIT = 500;
/** A redemption younger than this may still be in the hands of its request. */
const RESERVED_GRACE_MS = 2 * 60_000;

export async function findOutstandingWork(db: PrismaClient, shop: string, now: Date): Promise<FollowUp[]> {
  const work: FollowUp[] = [];
  for (const { id } of await membersDueForSync(db, shop, now, LIMIT)) {
    work.push({ queue: "member-sync", shop, memberId: id });
  }
  const reserved = await reservedRedemptionsDue(
    db,
    shop,
    new Date(now.getTime() - RESERVED_GRACE_MS),
    now,
    LIMIT,
  );
  for (const { id } of reserved) work.push({ queue: "code-issue", shop, redemptionId: id });
  for (const { id } of await campaignsWithWorkLeft(db, shop, now, LIMIT)) {
    work.push({ queue: "campaign-issue", shop, campaignId: id });
  }
  if (await hasUnsentFlowEvents(db, shop)) work.push({ queue: "flow-send", shop });
  if (await hasNotificationWork(db, shop, EMAILED_TRIGGERS)) work.push({ queue: "notification-send", shop });
  if (await programSyncDue(db, shop)) work.push({ queue: "program-sync", shop });
  // The install's setup, due (a lost nudge, or a scope change from app/scopes_update) and not failing.
  const record = await findShop(db, shop);
  if (record && record.setupError === null && setupDue(record)) work.push({ queue: "shop-setup", shop });
  return work;
}
