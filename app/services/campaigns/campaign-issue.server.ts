/**
 * The campaign-issue job's work: for each recipient of a running campaign,
 * create their personal code in Shopify (one customer, one use, the
 * campaign's expiry), then add the campaign's tag to the customer. A batch
 * at a time, one recipient after another (Shopify's rate limit is per shop).
 *
 * Never twice: each recipient is claimed by one attempt at a time, and its
 * code string was chosen at launch, so an attempt after an earlier one (a
 * crash, a lost answer) first asks Shopify whether the code exists
 * (codeDiscountNodeByCode). A definite refusal marks the recipient FAILED
 * (the page lists it, with retry); a transient failure (throttled, 5xx) is
 * recorded and rethrown, so the job retries with backoff.
 */
import type { Campaign, CampaignRecipient, Prisma, PrismaClient } from "@prisma/client";
import {
  campaignStatus,
  claimableRecipientIds,
  claimRecipient,
  countPendingRecipients,
  findCampaign,
  finishCampaign,
  getRecipient,
  markRecipientIssued,
  nextOutstandingRecipient,
  pendingRecipientIds,
  releaseRecipient,
  renewRecipientClaim,
  settleCancelledRecipient,
} from "../../db/campaigns.server";
import type { RewardRule } from "../../loyalty/rewards";
import { LEASE_MS, RowClaim } from "../../jobs/lease";
import { AdminTransientError, type AdminGraphql } from "../../shopify/admin-api/admin-client.server";
import { addCustomerTags } from "../../shopify/admin-api/customer-tags.server";
import { createRewardCode, findRewardCode } from "../../shopify/admin-api/discount-codes.server";
import { storedText } from "../../db/stored-text";

export const CAMPAIGN_BATCH = 50;

export interface IssueReport {
  issued: number;
  tagged: number;
  failed: number;
  settled: number;
  /** Seconds until the job should run again (0: at once), or null when nothing is left. */
  next: number | null;
  status: Campaign["status"] | "missing";
}

/** The campaign's offer as the discount-codes adapter takes it. */
function campaignOffer(campaign: Campaign): RewardRule {
  return {
    key: `campaign-${campaign.id}`,
    title: campaign.name,
    type: campaign.offerType,
    pointsCost: 0,
    amountMilli: campaign.amountMilli,
    percentBps: campaign.percentBps,
    minimumSubtotalMilli: campaign.minimumSubtotalMilli,
    codeLifetimeDays: campaign.validDays,
    combinesWithOrder: false,
    combinesWithProduct: false,
    combinesWithShipping: true,
    tierKeys: [],
    enabled: true,
  };
}

/**
 * Claims one recipient for this attempt (counting the attempt) under a short
 * lease; null when another attempt holds it. The caller holds the claim
 * (RowClaim.hold) while it calls Shopify.
 */
async function claim(
  db: PrismaClient,
  shop: string,
  id: string,
  at: Date,
  running: boolean,
  now: () => Date,
) {
  const held = RowClaim.startingAt(at, (was, next) => renewRecipientClaim(db, shop, id, was, next), now);
  if (!(await claimRecipient(db, shop, id, at, held.until, running))) return null;
  return { recipient: await getRecipient(db, shop, id), held };
}

/** Ends this attempt's claim with `data`; nothing if another attempt took the recipient over meanwhile. */
const release = (
  db: PrismaClient,
  recipient: CampaignRecipient,
  held: RowClaim,
  data: Prisma.CampaignRecipientUpdateManyMutationInput,
) => held.release((until) => releaseRecipient(db, recipient, until, data));

/** Records a transient failure on the recipient and rethrows it (the job retries). */
async function transient(
  db: PrismaClient,
  recipient: CampaignRecipient,
  held: RowClaim,
  error: unknown,
): Promise<never> {
  await release(db, recipient, held, { error: storedText((error as Error).message) });
  throw error;
}

type Outcome = "issued" | "tagged" | "failed";

async function issueOne(
  db: PrismaClient,
  admin: AdminGraphql,
  campaign: Campaign,
  recipient: CampaignRecipient,
  held: RowClaim,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let nodeId = recipient.discountNodeId;
  if (recipient.status === "PENDING") {
    try {
      // An earlier attempt may have created the code before its answer was lost.
      if (recipient.attempts > 1) nodeId = await findRewardCode(admin, recipient.code);
      if (!nodeId) {
        const result = await createRewardCode(admin, {
          code: recipient.code,
          title: `${campaign.name} (Regulars win-back)`,
          customerGid: recipient.customerGid,
          reward: campaignOffer(campaign),
          startsAt: campaign.launchedAt,
          endsAt: campaign.endsAt,
        });
        if (result.status === "created") nodeId = result.nodeId;
        else {
          // Refused; but if the code exists anyway (a concurrent or lost attempt made it), it is issued.
          nodeId = await findRewardCode(admin, recipient.code);
          if (!nodeId) {
            await release(db, recipient, held, {
              status: "FAILED",
              error: storedText(result.errors.join("; ")),
            });
            return ["failed"];
          }
        }
      }
    } catch (error) {
      if (error instanceof AdminTransientError) return transient(db, recipient, held, error);
      await release(db, recipient, held, {
        status: "FAILED",
        error: storedText((error as Error).message),
      });
      return ["failed"];
    }
    await markRecipientIssued(db, recipient, nodeId);
    outcomes.push("issued");
  }
  // The code exists: now the tag, which lets Shopify Email, Flow or Klaviyo send it.
  try {
    await addCustomerTags(admin, recipient.customerGid, [campaign.tag]);
  } catch (error) {
    if (error instanceof AdminTransientError) return transient(db, recipient, held, error);
    await release(db, recipient, held, {
      status: "FAILED",
      error: storedText(`tag: ${(error as Error).message}`),
    });
    return [...outcomes, "failed"];
  }
  await release(db, recipient, held, { taggedAt: new Date(), error: null });
  return [...outcomes, "tagged"];
}

/**
 * A cancelled campaign's recipients still PENDING: one an attempt touched
 * may exist in Shopify. Ask (never create): it is ISSUED if found, else
 * CANCELLED.
 */
async function settleCancelled(
  db: PrismaClient,
  admin: AdminGraphql,
  shop: string,
  campaign: Campaign,
  at: Date,
  now: () => Date,
): Promise<{ settled: number; waiting: boolean }> {
  let settled = 0;
  const pending = await pendingRecipientIds(db, shop, campaign.id, CAMPAIGN_BATCH);
  let waiting = false;
  for (const { id } of pending) {
    const claimed = await claim(db, shop, id, at, false, now);
    if (!claimed) {
      waiting = true; // an attempt still holds it: look again when its claim runs out
      continue;
    }
    const { recipient, held } = claimed;
    let nodeId: string | null = null;
    try {
      if (recipient.attempts > 1) nodeId = await held.hold(() => findRewardCode(admin, recipient.code));
    } catch (error) {
      if (error instanceof AdminTransientError) return transient(db, recipient, held, error);
      throw error;
    }
    await settleCancelledRecipient(db, shop, id, nodeId);
    settled++;
  }
  const left = await countPendingRecipients(db, shop, campaign.id);
  return { settled, waiting: waiting || left > 0 };
}

/**
 * One batch of a campaign. Returns when the batch is done, when nothing
 * claimable is left, or the campaign stopped; says whether to run again.
 */
export async function issueCampaignCodes(
  db: PrismaClient,
  admin: AdminGraphql,
  shop: string,
  campaignId: string,
  now: () => Date = () => new Date(),
  batch = CAMPAIGN_BATCH,
): Promise<IssueReport> {
  const report: IssueReport = { issued: 0, tagged: 0, failed: 0, settled: 0, next: null, status: "missing" };
  const campaign = await findCampaign(db, shop, campaignId);
  if (!campaign) return report;
  report.status = campaign.status;
  if (campaign.status === "CANCELLED") {
    const { settled, waiting } = await settleCancelled(db, admin, shop, campaign, now(), now);
    report.settled = settled;
    report.next = waiting ? (settled > 0 ? 0 : LEASE_MS / 1000) : null;
    return report;
  }
  if (campaign.status !== "RUNNING") return report;

  const at = now();
  const candidates = await claimableRecipientIds(db, shop, campaignId, at, batch);
  for (const { id } of candidates) {
    const claimed = await claim(db, shop, id, now(), true, now);
    if (!claimed) {
      // Claimed meanwhile, or the campaign was cancelled: look at the campaign again.
      const status = await campaignStatus(db, shop, campaignId);
      if (status === "RUNNING") continue;
      report.status = status ?? "missing";
      report.next = status === "CANCELLED" ? 0 : null;
      return report;
    }
    const { recipient, held } = claimed;
    const outcomes = await held.hold(() => issueOne(db, admin, campaign, recipient, held));
    for (const outcome of outcomes) report[outcome]++;
  }

  // More to do: at once, or when the claims of attempts that still hold the rest run out.
  const left = await nextOutstandingRecipient(db, shop, campaignId);
  if (!left) {
    await finishCampaign(db, shop, campaignId, now());
    report.status = "DONE";
    return report;
  }
  const wait = left.claimedUntil ? left.claimedUntil.getTime() - now().getTime() : 0;
  report.next = wait > 0 ? Math.ceil(wait / 1000) + 1 : 0;
  return report;
}
