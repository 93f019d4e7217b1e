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
import { campaignTag, type CampaignInput, type SegmentRule } from "../admin/campaign-form";
import { orderRevenue } from "../db/orders.server";
import { CSV_TYPE, exportCampaignCodes } from "./csv-export.server";
import type { DownloadFile } from "./download-route.server";
import { inTransaction } from "../db/tx.server";
import { noteFollowUp } from "../jobs/follow-ups.server";
import { formatMilli } from "../loyalty/money";
import { rewardCode, shopCodePrefix } from "../loyalty/rewards";
import { atRiskMembers } from "./customer-pages.server";

const DAY = 86_400_000;

/** A launch or an action that cannot go ahead; field errors say where. */
export class CampaignError extends Error {
  constructor(
    message: string,
    readonly status: 404 | 409 | 422,
    readonly fieldErrors: Record<string, string> = {},
  ) {
    super(message);
    this.name = "CampaignError";
  }
}

/** How many customers the segment holds now. */
export function segmentSize(db: PrismaClient, shop: string, rule: SegmentRule, now: Date): Promise<number> {
  return db.member.count({ where: atRiskMembers(shop, { ...rule, now }) });
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
  const byKey = () =>
    db.campaign.findUnique({
      where: { shop_idempotencyKey: { shop, idempotencyKey: input.idempotencyKey } },
    });
  try {
    // A large segment is written in chunks, all in this one transaction: allow it the time.
    const result = await db.$transaction(async (tx) => {
      const previous = await tx.campaign.findUnique({
        where: { shop_idempotencyKey: { shop, idempotencyKey: input.idempotencyKey } },
      });
      if (previous) return { campaign: previous, created: false };
      if (await tx.campaign.findUnique({ where: { shop_tag: { shop, tag } }, select: { id: true } })) {
        throw nameTaken(name);
      }
      const segment = await tx.member.findMany({
        where: atRiskMembers(shop, { inactiveDays: input.inactiveDays, minOrders: input.minOrders, now }),
        select: { customerGid: true },
        orderBy: { id: "asc" },
      });
      if (segment.length === 0) {
        throw new CampaignError("The segment is empty", 422, {
          inactiveDays: "no customer is in this segment: try fewer days or fewer orders",
        });
      }
      const campaign = await tx.campaign.create({
        data: {
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
        },
      });
      // Two array parameters per chunk: far fewer bound values than a multi-row insert.
      for (let i = 0; i < segment.length; i += CHUNK) {
        const customers = segment.slice(i, i + CHUNK).map((m) => m.customerGid);
        const bytes = random(12 * customers.length);
        const codes = customers.map((_, k) => campaignCode(shop, () => bytes.subarray(12 * k, 12 * k + 12)));
        await tx.$executeRaw`
          INSERT INTO "CampaignRecipient" (id, shop, "campaignId", "customerGid", code, "updatedAt")
          SELECT 'rcp_' || gen_random_uuid(), ${shop}, ${campaign.id}, t.customer, t.code, now()
            FROM unnest(${customers}::text[], ${codes}::text[]) AS t(customer, code)`;
      }
      return { campaign, created: true };
    }, LAUNCH_TIMEOUT);
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
  new CampaignError("Name already used", 422, {
    name: `another campaign is called "${name}" (its customer tag would be the same): choose another name`,
  });

async function findCampaign(db: PrismaClient, shop: string, campaignId: string) {
  const campaign = await db.campaign.findFirst({ where: { shop, id: campaignId } });
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
    const stopped = await tx.campaign.updateMany({
      where: { shop, id: campaignId, status: "RUNNING" },
      data: { status: "CANCELLED", cancelledAt: now },
    });
    if (stopped.count === 0) throw new CampaignError("The campaign is not running", 409);
    await tx.campaignRecipient.updateMany({
      where: {
        shop,
        campaignId,
        status: "PENDING",
        attempts: 0,
        OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }],
      },
      data: { status: "CANCELLED" },
    });
    return tx.campaignRecipient.count({ where: { shop, campaignId, status: "PENDING" } });
  });
  if (left > 0) noteFollowUp({ queue: "campaign-issue", shop, campaignId });
}

/** Puts the recipients Shopify refused back in line (and the campaign back to running). */
export async function retryCampaignFailures(db: PrismaClient, shop: string, campaignId: string) {
  const campaign = await findCampaign(db, shop, campaignId);
  if (campaign.status === "CANCELLED") throw new CampaignError("The campaign was cancelled", 409);
  const retried = await inTransaction(db, async (tx) => {
    // No code yet: create it; a code but no tag: tag the customer.
    const codes = await tx.campaignRecipient.updateMany({
      where: { shop, campaignId, status: "FAILED", discountNodeId: null },
      data: { status: "PENDING", error: null, claimedUntil: null },
    });
    const tags = await tx.campaignRecipient.updateMany({
      where: { shop, campaignId, status: "FAILED", discountNodeId: { not: null } },
      data: { status: "ISSUED", error: null, taggedAt: null, claimedUntil: null },
    });
    const stuck = await tx.campaignRecipient.count({
      where: { shop, campaignId, status: "PENDING", error: { not: null } },
    });
    if (codes.count + tags.count > 0) {
      await tx.campaign.updateMany({
        where: { shop, id: campaignId },
        data: { status: "RUNNING", finishedAt: null },
      });
    }
    return codes.count + tags.count + stuck;
  });
  if (retried === 0) throw new CampaignError("Nothing to retry", 409);
  noteFollowUp({ queue: "campaign-issue", shop, campaignId });
  return retried;
}

export interface CampaignProgress {
  recipients: number;
  codesCreated: number;
  tagged: number;
  pending: number;
  failed: number;
  cancelled: number;
}

async function progressOf(db: PrismaClient, shop: string, campaignIds: string[]) {
  if (campaignIds.length === 0) return new Map<string, CampaignProgress>();
  const rows = await db.$queryRaw<
    {
      campaign_id: string;
      recipients: number;
      codes: number;
      tagged: number;
      pending: number;
      failed: number;
      cancelled: number;
    }[]
  >`
    SELECT "campaignId" AS campaign_id,
           count(*)::int AS recipients,
           (count(*) FILTER (WHERE "discountNodeId" IS NOT NULL))::int AS codes,
           (count(*) FILTER (WHERE "taggedAt" IS NOT NULL))::int AS tagged,
           (count(*) FILTER (WHERE status = 'PENDING'))::int AS pending,
           (count(*) FILTER (WHERE status = 'FAILED'))::int AS failed,
           (count(*) FILTER (WHERE status = 'CANCELLED'))::int AS cancelled
      FROM "CampaignRecipient"
     WHERE shop = ${shop} AND "campaignId" IN (${Prisma.join(campaignIds)})
     GROUP BY "campaignId"`;
  return new Map(
    rows.map((row) => [
      row.campaign_id,
      {
        recipients: Number(row.recipients),
        codesCreated: Number(row.codes),
        tagged: Number(row.tagged),
        pending: Number(row.pending),
        failed: Number(row.failed),
        cancelled: Number(row.cancelled),
      },
    ]),
  );
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
  const [row] = await db.$queryRaw<
    {
      came_back: number;
      orders: number;
      revenue: bigint | null;
      codes_used: number;
      code_orders: number;
      code_revenue: bigint | null;
    }[]
  >`
    WITH back AS (
      SELECT r."customerGid" AS customer, r.code AS code,
             ${orderRevenue(shop)} AS revenue,
             EXISTS (SELECT 1 FROM unnest(o."discountCodes") AS used(code) WHERE upper(used.code) = r.code) AS with_code
        FROM "CampaignRecipient" r
        JOIN "OrderRecord" o ON o.shop = ${shop} AND o."customerGid" = r."customerGid"
       WHERE r.shop = ${shop} AND r."campaignId" = ${campaign.id}
         AND o."paidAt" >= ${campaign.launchedAt} AND o."cancelledAt" IS NULL AND NOT o.test
    )
    SELECT count(DISTINCT customer)::int AS came_back,
           count(*)::int AS orders,
           sum(revenue)::bigint AS revenue,
           (count(DISTINCT code) FILTER (WHERE with_code))::int AS codes_used,
           (count(*) FILTER (WHERE with_code))::int AS code_orders,
           (sum(revenue) FILTER (WHERE with_code))::bigint AS code_revenue
      FROM back`;
  const segment = campaign.recipientCount;
  const rate = (n: number) => (segment > 0 ? n / segment : null);
  const codesUsed = Number(row?.codes_used ?? 0);
  const cameBack = Number(row?.came_back ?? 0);
  return {
    segment,
    codesUsed,
    codeOrders: Number(row?.code_orders ?? 0),
    codeRevenue: formatMilli(BigInt(row?.code_revenue ?? 0n)),
    cameBack,
    orders: Number(row?.orders ?? 0),
    revenue: formatMilli(BigInt(row?.revenue ?? 0n)),
    codeUseRate: rate(codesUsed),
    comeBackRate: rate(cameBack),
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
  const campaigns = await db.campaign.findMany({
    where: { shop },
    orderBy: [{ launchedAt: "desc" }, { id: "asc" }],
    take: limit,
  });
  const progress = await progressOf(
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
  const campaign = await db.campaign.findFirst({
    where: { shop, id: campaignId },
    select: { id: true, endsAt: true },
  });
  if (!campaign) return null;
  return {
    name: `regulars-win-back-${campaign.id}.csv`,
    type: CSV_TYPE,
    open: () => exportCampaignCodes(db, shop, campaign.id, campaign.endsAt),
  };
}

/** The campaign page: settings, progress, failures and measures; null for another shop's campaign. */
export async function campaignPage(db: PrismaClient, shop: string, campaignId: string) {
  const campaign = await db.campaign.findFirst({ where: { shop, id: campaignId } });
  if (!campaign) return null;
  const [progress, measures, failures] = await Promise.all([
    progressOf(db, shop, [campaign.id]),
    campaignMeasures(db, shop, campaign),
    db.campaignRecipient.findMany({
      where: { shop, campaignId, OR: [{ status: "FAILED" }, { status: "PENDING", error: { not: null } }] },
      orderBy: { updatedAt: "desc" },
      take: 50,
      select: { id: true, customerGid: true, status: true, error: true, attempts: true },
    }),
  ]);
  const emails = await db.member.findMany({
    where: { shop, customerGid: { in: failures.map((f) => f.customerGid) } },
    select: { customerGid: true, email: true },
  });
  return {
    campaign: summaryOf(campaign, progress.get(campaign.id) ?? EMPTY_PROGRESS),
    measures,
    failures: failures.map((failure) => ({
      ...failure,
      email: emails.find((e) => e.customerGid === failure.customerGid)?.email ?? null,
    })),
  };
}
