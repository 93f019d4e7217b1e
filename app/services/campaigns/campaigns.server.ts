/**
 * Win-back campaigns: an offer to the at-risk segment.
 *   - segment: members whose last order is more than N days old, with at
 *     least M orders (the customer list's and dashboard's at-risk rule);
 *   - launch: in one transaction, the campaign and one recipient per customer
 *     in the segment (frozen: later orders do not change who gets the offer),
 *     each with its code string chosen now; the campaign-issue job then
 *     creates the codes in Shopify and tags the customers. The form's
 *     idempotency key is unique per shop: a repeated POST finds the first
 *     campaign and creates nothing;
 *   - cancel: stops issuing (codes already created stay valid);
 *   - measures: codes used, customers who came back, their revenue.
 * Every query is scoped by shop.
 */
import { randomBytes } from "node:crypto";
import { Prisma, type Campaign, type PrismaClient } from "@prisma/client";
import { campaignTag, type CampaignInput, type SegmentRule } from "../../admin/campaign-form";
import {
  campaignOutcome,
  campaignProgress,
  campaignTagTaken,
  cancelUntouchedRecipients,
  countPendingRecipients,
  createCampaign,
  findCampaign as findCampaignRow,
  findCampaignByKey,
  insertRecipients,
  listCampaignRows,
  recipientFailures,
  requeueFailedRecipients,
  stopCampaign,
  type CampaignProgress,
} from "../../db/campaigns.server";
import { atRiskCustomers, countAtRiskMembers, memberEmails } from "../../db/members.server";
import { CSV_TYPE, exportCampaignCodes } from "../exports/csv-export.server";
import type { DownloadFile } from "../exports/download-file";
import { inTransaction } from "../../db/tx.server";
import { noteFollowUp } from "../../jobs/follow-ups.server";
import type { FieldErrors } from "../../loyalty/field-error";
import { formatMilli } from "../../loyalty/money";
import { rewardCode, shopCodePrefix } from "../../loyalty/rewards";

const DAY = 86_400_000;

/** A launch or an action that cannot go ahead; field errors say where. */
export class CampaignError extends Error {
  constructor(
    message: string,
    readonly status: 404 | 409 | 422,
    readonly fieldErrors: FieldErrors = {},
    /** Why an action on a launched campaign cannot go ahead, for the page to say in words. */
    readonly reason?: "notRunning" | "cancelled" | "nothingToRetry",
  ) {
    super(message);
    this.name = "CampaignError";
  }
}

/** How many customers the segment holds now. */
export function segmentSize(db: PrismaClient, shop: string, rule: SegmentRule, now: Date): Promise<number> {
  return countAtRiskMembers(db, shop, { ...rule, now });
}

/**
 * A campaign's codes: prefix and three groups of four from an unambiguous
 * alphabet (25^12 strings), so a collision with any other code of the shop
 * is out of reach even for large segments.
 */
const campaignCode = (shop: string, random: (size: number) => Uint8Array) =>
  rewardCode(shopCodePrefix(shop), random(12), 3, 4);

const CHUNK = 10_000;
const LAUNCH_TIMEOUT = { maxWait: 10_000, timeout: 300_000 };

/** Launches the campaign, or returns the one this idempotency key already launched. */
export async function launchCampaign(
  db: PrismaClient,
  shop: string,
  input: CampaignInput,
  now: Date,
  options: { random?: (size: number) => Uint8Array } = {},
): Promise<{ campaign: Campaign; created: boolean }> {
  const random = options.random ?? ((size: number) => randomBytes(size));
  const name = input.name || `${now.toISOString().slice(0, 10)}`;
  const tag = campaignTag(name);
  const byKey = () => findCampaignByKey(db, shop, input.idempotencyKey);
  try {
    // A large segment is written in chunks, all in this one transaction: allow it the time.
    const result = await inTransaction(
      db,
      async (tx) => {
        const previous = await findCampaignByKey(tx, shop, input.idempotencyKey);
        if (previous) return { campaign: previous, created: false };
        if (await campaignTagTaken(tx, shop, tag)) throw nameTaken(name);
        const segment = await atRiskCustomers(tx, shop, {
          inactiveDays: input.inactiveDays,
          minOrders: input.minOrders,
          now,
        });
        if (segment.length === 0) {
          throw new CampaignError("The segment is empty", 422, {
            inactiveDays: { code: "emptySegment" },
          });
        }
        const campaign = await createCampaign(tx, {
          shop,
          idempotencyKey: input.idempotencyKey,
          name,
          tag,
          inactiveDays: input.inactiveDays,
          minOrders: input.minOrders,
          offerType: input.offerType,
          percentBps: input.percentBps,
          amountMilli: input.amountMilli,
          minimumSubtotalMilli: input.minimumSubtotalMilli,
          validDays: input.validDays,
          recipientCount: segment.length,
          launchedAt: now,
          endsAt: new Date(now.getTime() + input.validDays * DAY),
        });
        // Two array parameters per chunk: far fewer bound values than a multi-row insert.
        for (let i = 0; i < segment.length; i += CHUNK) {
          const customers = segment.slice(i, i + CHUNK);
          const bytes = random(12 * customers.length);
          const codes = customers.map((_, k) =>
            campaignCode(shop, () => bytes.subarray(12 * k, 12 * k + 12)),
          );
          await insertRecipients(tx, shop, campaign.id, customers, codes);
        }
        return { campaign, created: true };
      },
      LAUNCH_TIMEOUT,
    );
    if (result.created) noteFollowUp({ queue: "campaign-issue", shop, campaignId: result.campaign.id });
    return result;
  } catch (error) {
    if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== "P2002") throw error;
    // A concurrent launch won the race: the same form (its campaign), or another with this name.
    const previous = await byKey();
    if (previous) return { campaign: previous, created: false };
    throw nameTaken(name);
  }
}

const nameTaken = (name: string) =>
  new CampaignError(`Name already used: ${name}`, 422, {
    // Another campaign has the name, so its customer tag would be the same.
    name: { code: "taken" },
  });

async function findCampaign(db: PrismaClient, shop: string, campaignId: string) {
  const campaign = await findCampaignRow(db, shop, campaignId);
  if (!campaign) throw new CampaignError("No such campaign", 404);
  return campaign;
}

/**
 * Stops issuing. Recipients no attempt has touched are cancelled at once;
 * one an attempt is creating (or may have created) is settled by the job,
 * which asks Shopify and never creates. Codes already created stay valid.
 */
export async function cancelCampaign(db: PrismaClient, shop: string, campaignId: string, now: Date) {
  await findCampaign(db, shop, campaignId);
  const left = await inTransaction(db, async (tx) => {
    if (!(await stopCampaign(tx, shop, campaignId, now))) {
      throw new CampaignError("The campaign is not running", 409, {}, "notRunning");
    }
    await cancelUntouchedRecipients(tx, shop, campaignId, now);
    return countPendingRecipients(tx, shop, campaignId);
  });
  if (left > 0) noteFollowUp({ queue: "campaign-issue", shop, campaignId });
}

/** Puts the recipients Shopify refused back in line (and the campaign back to running). */
export async function retryCampaignFailures(db: PrismaClient, shop: string, campaignId: string) {
  const campaign = await findCampaign(db, shop, campaignId);
  if (campaign.status === "CANCELLED")
    throw new CampaignError("The campaign was cancelled", 409, {}, "cancelled");
  const retried = await inTransaction(db, (tx) => requeueFailedRecipients(tx, shop, campaignId));
  if (retried === 0) throw new CampaignError("Nothing to retry", 409, {}, "nothingToRetry");
  noteFollowUp({ queue: "campaign-issue", shop, campaignId });
  return retried;
}

const EMPTY_PROGRESS: CampaignProgress = {
  recipients: 0,
  codesCreated: 0,
  tagged: 0,
  pending: 0,
  failed: 0,
  cancelled: 0,
};

export interface CampaignMeasures {
  /** Customers in the segment at launch. */
  segment: number;
  /** Recipients whose code is on a paid, not cancelled order. */
  codesUsed: number;
  codeOrders: number;
  /** Revenue of the orders that carry a campaign code, less refunds. */
  codeRevenue: string;
  /** Recipients with any paid, not cancelled order since launch. */
  cameBack: number;
  orders: number;
  /** Revenue of all their orders since launch, less refunds. */
  revenue: string;
  codeUseRate: number | null;
  comeBackRate: number | null;
}

/**
 * What the campaign did, from the orders Regulars recorded: an order counts
 * when it is paid at or after launch, not cancelled and not a test, and its
 * customer is a recipient; it carries a campaign code when one of its
 * discount codes is that recipient's code (codes are case-insensitive).
 * Revenue is the shared definition (merchandise, shipping, tax, tips, less
 * refunds).
 */
async function campaignMeasures(
  db: PrismaClient,
  shop: string,
  campaign: Campaign,
): Promise<CampaignMeasures> {
  const outcome = await campaignOutcome(db, shop, campaign);
  const segment = campaign.recipientCount;
  const rate = (n: number) => (segment > 0 ? n / segment : null);
  return {
    segment,
    codesUsed: outcome.codesUsed,
    codeOrders: outcome.codeOrders,
    codeRevenue: formatMilli(outcome.codeRevenueMilli),
    cameBack: outcome.cameBack,
    orders: outcome.orders,
    revenue: formatMilli(outcome.revenueMilli),
    codeUseRate: rate(outcome.codesUsed),
    comeBackRate: rate(outcome.cameBack),
  };
}

const offerOf = (campaign: Campaign) => ({
  offerType: campaign.offerType,
  percentBps: campaign.percentBps,
  amount: campaign.amountMilli === null ? null : formatMilli(campaign.amountMilli),
  minimumSubtotal: campaign.minimumSubtotalMilli === null ? null : formatMilli(campaign.minimumSubtotalMilli),
});

const summaryOf = (campaign: Campaign, progress: CampaignProgress) => ({
  id: campaign.id,
  name: campaign.name,
  tag: campaign.tag,
  status: campaign.status,
  inactiveDays: campaign.inactiveDays,
  minOrders: campaign.minOrders,
  offer: offerOf(campaign),
  validDays: campaign.validDays,
  recipientCount: campaign.recipientCount,
  launchedAt: campaign.launchedAt.toISOString(),
  endsAt: campaign.endsAt.toISOString(),
  cancelledAt: campaign.cancelledAt?.toISOString() ?? null,
  finishedAt: campaign.finishedAt?.toISOString() ?? null,
  progress,
});

export async function listCampaigns(db: PrismaClient, shop: string, limit = 50) {
  const campaigns = await listCampaignRows(db, shop, limit);
  const progress = await campaignProgress(
    db,
    shop,
    campaigns.map((c) => c.id),
  );
  return campaigns.map((campaign) => summaryOf(campaign, progress.get(campaign.id) ?? EMPTY_PROGRESS));
}

/** The campaign's customers and codes as a CSV file; null for another shop's campaign. */
export async function campaignCodesFile(
  db: PrismaClient,
  shop: string,
  campaignId: string,
): Promise<DownloadFile | null> {
  const campaign = await findCampaignRow(db, shop, campaignId);
  if (!campaign) return null;
  return {
    name: `regulars-win-back-${campaign.id}.csv`,
    type: CSV_TYPE,
    open: () => exportCampaignCodes(db, shop, campaign.id, campaign.endsAt),
  };
}

/** The campaign page: settings, progress, failures and measures; null for another shop's campaign. */
export async function campaignPage(db: PrismaClient, shop: string, campaignId: string) {
  const campaign = await findCampaignRow(db, shop, campaignId);
  if (!campaign) return null;
  const [progress, measures, failures] = await Promise.all([
    campaignProgress(db, shop, [campaign.id]),
    campaignMeasures(db, shop, campaign),
    recipientFailures(db, shop, campaignId),
  ]);
  const emails = await memberEmails(
    db,
    shop,
    failures.map((f) => f.customerGid),
  );
  return {
    campaign: summaryOf(campaign, progress.get(campaign.id) ?? EMPTY_PROGRESS),
    measures,
    failures: failures.map((failure) => ({
      ...failure,
      email: emails.find((e) => e.customerGid === failure.customerGid)?.email ?? null,
    })),
  };
}
