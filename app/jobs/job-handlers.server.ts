/**
 * What each queue's job does. Handlers are idempotent (a job may run again
 * after a crash or a retry) and skip shops that uninstalled the app.
 */
import type { PrismaClient } from "@prisma/client";
import { dropStaleHeldDeliveries } from "../db/deliveries.server";
import { installedShopDomains, isInstalled } from "../db/shops.server";
import { runDailyMaintenance } from "../services/shops/daily-maintenance.server";
import { settleReferrals, settleReferralsOfOrder } from "../services/referrals/referrals.server";
import { catchUpRollups } from "../services/dashboard/dashboard-rollups.server";
import { sendFlowEvents } from "../services/flow/flow-send.server";
import { sendNotificationEmails } from "../services/notifications/notification-send.server";
import { syncMember } from "../services/members/member-sync.server";
import { recordBackfillError } from "../db/backfill-runs.server";
import { runBackfillStep } from "../services/orders/backfill.server";
import { releaseDuePoints } from "../services/orders/order-points.server";
import { syncProgram } from "../services/program/program-sync.server";
import { runShopSetup } from "../services/shops/shop-setup.server";
import { issueCode } from "../services/rewards/redeem-reward.server";
import { expireCodes } from "../services/rewards/reward-lifecycle.server";
import { issueCampaignCodes } from "../services/campaigns/campaign-issue.server";
import type { AdminGraphql } from "../shopify/admin-api/admin-client.server";
import type { FollowUp } from "./follow-ups.server";
import type { JobQueue } from "./job-queue.server";
import { findOutstandingWork } from "./reconcile.server";
import type { JobHandlers } from "./worker.server";

export interface JobDeps {
  db: PrismaClient;
  queue: JobQueue;
  /** An Admin API client for the shop, from its offline session. */
  adminFor(shop: string): AdminGraphql;
  now(): Date;
}

const SKIPPED = { skipped: "the shop uninstalled the app" };

export function jobHandlers({ db, queue, adminFor, now }: JobDeps): JobHandlers {
  return {
    "member-sync": async ({ shop, memberId }) => {
      if (!(await isInstalled(db, shop))) return SKIPPED;
      const result = await syncMember(db, adminFor(shop), shop, memberId, now);
      // Another sync held the member: look again shortly, so its last change is not left behind.
      if (result.deferred) await queue.send("member-sync", { shop, memberId }, { startAfterSeconds: 5 });
      return result;
    },
    "code-issue": async ({ shop, redemptionId }) => {
      if (!(await isInstalled(db, shop))) return SKIPPED;
      const redemption = await issueCode(db, adminFor(shop), shop, redemptionId, now);
      return { status: redemption.status };
    },
    "campaign-issue": async ({ shop, campaignId }) => {
      if (!(await isInstalled(db, shop))) return SKIPPED;
      const report = await issueCampaignCodes(db, adminFor(shop), shop, campaignId, now);
      // The next batch (or, after attempts that still hold recipients, a later look).
      if (report.next !== null) {
        await queue.send("campaign-issue", { shop, campaignId }, { startAfterSeconds: report.next });
      }
      return report;
    },
    "flow-send": async ({ shop }) => {
      if (!(await isInstalled(db, shop))) return SKIPPED;
      // The same events, emailed to shops that send email (whether or not Flow listens).
      await queue.send("notification-send", { shop });
      return sendFlowEvents(db, adminFor(shop), shop, now);
    },
    "notification-send": async ({ shop }) => {
      if (!(await isInstalled(db, shop))) return SKIPPED;
      return sendNotificationEmails(db, shop, now);
    },
    "shop-setup": async ({ shop }) => {
      if (!(await isInstalled(db, shop))) return SKIPPED;
      return runShopSetup(db, adminFor(shop), shop, now());
    },
    "program-sync": async ({ shop }) => {
      if (!(await isInstalled(db, shop))) return SKIPPED;
      return syncProgram(db, adminFor(shop), shop);
    },
    backfill: async ({ shop, runId }) => {
      if (!(await isInstalled(db, shop))) return SKIPPED;
      const deps = {
        db,
        admin: adminFor(shop),
        now,
        sendFollowUps: (followUps: FollowUp[]) => queue.sendFollowUps(followUps),
      };
      const step = await runBackfillStep(deps, shop, runId).catch(async (error: Error) => {
        await recordBackfillError(db, shop, runId, error.message);
        throw error;
      });
      // Shopify's query is still running: ask again shortly; the file has more: read on.
      if (step.next === "poll") await queue.send("backfill", { shop, runId }, { startAfterSeconds: 5 });
      if (step.next === "continue") await queue.send("backfill", { shop, runId });
      return step;
    },
    "referral-settle": async ({ shop, orderGid }) => {
      if (!(await isInstalled(db, shop))) return SKIPPED;
      const at = now();
      const result = await settleReferralsOfOrder(db, shop, orderGid, at);
      // The first order's pending window still runs: look again the moment it ends.
      if (result.waitUntil) {
        const seconds = Math.max(1, Math.ceil((result.waitUntil.getTime() - at.getTime()) / 1000));
        await queue.send("referral-settle", { shop, orderGid }, { startAfterSeconds: seconds });
      }
      return { ...result, waitUntil: result.waitUntil?.toISOString() ?? null };
    },
    "dashboard-rollups": async ({ shop }) => {
      if (!(await isInstalled(db, shop))) return SKIPPED;
      return catchUpRollups(db, shop, now());
    },
    maintenance: async ({ shop, kind }) => {
      if (!(await isInstalled(db, shop))) return SKIPPED;
      if (kind === "daily") return runDailyMaintenance(db, shop, now());
      return {
        released: await releaseDuePoints(db, shop, now()),
        codesExpired: await expireCodes(db, shop, now()),
        // The safety net of the referral-settle jobs (one lost in a crash is settled within the hour).
        referrals: await settleReferrals(db, shop, now()),
        // The dashboard's unfolded changes stay under an hour's worth even if nobody looks.
        rollups: await catchUpRollups(db, shop, now()),
      };
    },
    "schedule-hourly": async () => {
      const shops = await installedShopDomains(db);
      for (const shop of shops) await queue.send("maintenance", { shop, kind: "hourly" });
      return { shops: shops.length };
    },
    "schedule-daily": async () => {
      const shops = await installedShopDomains(db);
      for (const shop of shops) await queue.send("maintenance", { shop, kind: "daily" });
      // Deliveries held for shops that never confirmed an installation (app/db/deliveries.server.ts).
      const heldDropped = await dropStaleHeldDeliveries(db);
      return { shops: shops.length, heldDropped };
    },
    reconcile: async () => {
      let enqueued = 0;
      for (const shop of await installedShopDomains(db)) {
        const work = await findOutstandingWork(db, shop, now());
        await queue.sendFollowUps(work);
        enqueued += work.length;
      }
      return { enqueued };
    },
  };
}
