/**
 * Win-back campaigns and their recipients: the rows launch writes, the
 * campaign-issue job claims and settles, and the campaign pages read.
 * Every query is scoped by shop.
 */
import { Prisma, type Campaign, type CampaignRecipient } from "@prisma/client";
import { orderRevenue } from "./orders.server";
import type { Tx } from "./tx.server";

export function findCampaign(tx: Tx, shop: string, campaignId: string): Promise<Campaign | null> {
  return tx.campaign.findFirst({ where: { shop, id: campaignId } });
}

/** The campaign a launch form (its idempotency key) created, if any. */
export function findCampaignByKey(tx: Tx, shop: string, idempotencyKey: string): Promise<Campaign | null> {
  return tx.campaign.findUnique({ where: { shop_idempotencyKey: { shop, idempotencyKey } } });
}

/** Whether another campaign of the shop has this customer tag. */
export async function campaignTagTaken(tx: Tx, shop: string, tag: string): Promise<boolean> {
  return (
    (await tx.campaign.findUnique({ where: { shop_tag: { shop, tag } }, select: { id: true } })) !== null
  );
}

export function createCampaign(tx: Tx, data: Prisma.CampaignUncheckedCreateInput): Promise<Campaign> {
  return tx.campaign.create({ data });
}

/** One recipient per customer, each with its code; two array parameters, not one value per field. */
export async function insertRecipients(
  tx: Tx,
  shop: string,
  campaignId: string,
  customers: string[],
  codes: string[],
): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "CampaignRecipient" (id, shop, "campaignId", "customerGid", code, "updatedAt")
    SELECT 'rcp_' || gen_random_uuid(), ${shop}, ${campaignId}, t.customer, t.code, now()
      FROM unnest(${customers}::text[], ${codes}::text[]) AS t(customer, code)`;
}

export function listCampaignRows(tx: Tx, shop: string, limit: number): Promise<Campaign[]> {
  return tx.campaign.findMany({
    where: { shop },
    orderBy: [{ launchedAt: "desc" }, { id: "asc" }],
    take: limit,
  });
}

/** Stops a running campaign; false when it was not running. */
export async function stopCampaign(tx: Tx, shop: string, campaignId: string, now: Date): Promise<boolean> {
  const stopped = await tx.campaign.updateMany({
    where: { shop, id: campaignId, status: "RUNNING" },
    data: { status: "CANCELLED", cancelledAt: now },
  });
  return stopped.count > 0;
}

/** Cancels the pending recipients no attempt has touched (nor holds). */
export async function cancelUntouchedRecipients(
  tx: Tx,
  shop: string,
  campaignId: string,
  now: Date,
): Promise<void> {
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
}

export function countPendingRecipients(tx: Tx, shop: string, campaignId: string): Promise<number> {
  return tx.campaignRecipient.count({ where: { shop, campaignId, status: "PENDING" } });
}

/**
 * Puts the recipients Shopify refused back in line: no code yet, create it;
 * a code but no tag, tag the customer; the campaign runs again when any was.
 * Returns how many are now waiting for a retry (those with a recorded error included).
 */
export async function requeueFailedRecipients(tx: Tx, shop: string, campaignId: string): Promise<number> {
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
}

export interface CampaignProgress {
  recipients: number;
  codesCreated: number;
  tagged: number;
  pending: number;
  failed: number;
  cancelled: number;
}

/** Each campaign's recipients by state. */
export async function campaignProgress(
  tx: Tx,
  shop: string,
  campaignIds: string[],
): Promise<Map<string, CampaignProgress>> {
  if (campaignIds.length === 0) return new Map<string, CampaignProgress>();
  const rows = await tx.$queryRaw<
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

/** What the recipients did since launch, as counts and milli sums (see campaignMeasures). */
export interface CampaignOutcome {
  cameBack: number;
  orders: number;
  revenueMilli: bigint;
  codesUsed: number;
  codeOrders: number;
  codeRevenueMilli: bigint;
}

/**
 * An order counts when it is paid at or after launch, not cancelled and not a
 * test, and its customer is a recipient; it carries a campaign code when one
 * of its discount codes is that recipient's code (codes are case-insensitive).
 * Revenue is the shared definition (orderRevenue).
 */
export async function campaignOutcome(tx: Tx, shop: string, campaign: Campaign): Promise<CampaignOutcome> {
  const [row] = await tx.$queryRaw<
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
  return {
    cameBack: Number(row?.came_back ?? 0),
    orders: Number(row?.orders ?? 0),
    revenueMilli: BigInt(row?.revenue ?? 0n),
    codesUsed: Number(row?.codes_used ?? 0),
    codeOrders: Number(row?.code_orders ?? 0),
    codeRevenueMilli: BigInt(row?.code_revenue ?? 0n),
  };
}

/** The latest recipients Shopify refused, or whose attempt recorded an error. */
export function recipientFailures(tx: Tx, shop: string, campaignId: string) {
  return tx.campaignRecipient.findMany({
    where: { shop, campaignId, OR: [{ status: "FAILED" }, { status: "PENDING", error: { not: null } }] },
    orderBy: { updatedAt: "desc" },
    take: 50,
    select: { id: true, customerGid: true, status: true, error: true, attempts: true },
  });
}

// The campaign-issue job's claims on recipients.

/** Recipients with work left: a code to create, or a customer to tag. */
const outstanding = (shop: string, campaignId: string) => ({
  shop,
  campaignId,
  OR: [{ status: "PENDING" as const }, { status: "ISSUED" as const, taggedAt: null }],
});

/**
 * Claims one recipient until `until` (counting the attempt) when no other
 * attempt holds it and, if `running`, its campaign is running; false otherwise.
 */
export async function claimRecipient(
  tx: Tx,
  shop: string,
  id: string,
  at: Date,
  until: Date,
  running: boolean,
): Promise<boolean> {
  const claimed = await tx.campaignRecipient.updateMany({
    where: {
      shop,
      id,
      status: { in: ["PENDING", "ISSUED"] },
      OR: [{ claimedUntil: null }, { claimedUntil: { lt: at } }],
      ...(running ? { campaign: { is: { status: "RUNNING" } } } : {}),
    },
    data: { attempts: { increment: 1 }, claimedUntil: until },
  });
  return claimed.count > 0;
}

export function getRecipient(tx: Tx, shop: string, id: string): Promise<CampaignRecipient> {
  return tx.campaignRecipient.findFirstOrThrow({ where: { shop, id } });
}

/** Moves a claim from `held` to `next`; false when the recipient is no longer held so. */
export async function renewRecipientClaim(
  tx: Tx,
  shop: string,
  id: string,
  held: Date,
  next: Date,
): Promise<boolean> {
  const { count } = await tx.campaignRecipient.updateMany({
    where: { shop, id, claimedUntil: held },
    data: { claimedUntil: next },
  });
  return count === 1;
}

/** Ends a claim held until `until` with `data`; nothing when another attempt took the recipient over. */
export function releaseRecipient(
  tx: Tx,
  recipient: CampaignRecipient,
  until: Date,
  data: Prisma.CampaignRecipientUpdateManyMutationInput,
): Promise<{ count: number }> {
  return tx.campaignRecipient.updateMany({
    where: { shop: recipient.shop, id: recipient.id, claimedUntil: until },
    data: { ...data, claimedUntil: null },
  });
}

/** Marks a pending recipient's code created. */
export async function markRecipientIssued(tx: Tx, recipient: CampaignRecipient, nodeId: string | null) {
  await tx.campaignRecipient.updateMany({
    where: { shop: recipient.shop, id: recipient.id, status: "PENDING" },
    data: { status: "ISSUED", discountNodeId: nodeId, error: null },
  });
}

/** A cancelled campaign's pending recipient: ISSUED when its code was found in Shopify, else CANCELLED. */
export async function settleCancelledRecipient(tx: Tx, shop: string, id: string, nodeId: string | null) {
  await tx.campaignRecipient.updateMany({
    where: { shop, id, status: "PENDING" },
    data: nodeId
      ? { status: "ISSUED", discountNodeId: nodeId, error: null, claimedUntil: null }
      : { status: "CANCELLED", claimedUntil: null },
  });
}

export function pendingRecipientIds(tx: Tx, shop: string, campaignId: string, take: number) {
  return tx.campaignRecipient.findMany({
    where: { shop, campaignId, status: "PENDING" },
    select: { id: true },
    take,
  });
}

/** Outstanding recipients no attempt holds at `at`, in id order. */
export function claimableRecipientIds(tx: Tx, shop: string, campaignId: string, at: Date, take: number) {
  return tx.campaignRecipient.findMany({
    where: {
      ...outstanding(shop, campaignId),
      AND: [{ OR: [{ claimedUntil: null }, { claimedUntil: { lt: at } }] }],
    },
    orderBy: { id: "asc" },
    select: { id: true },
    take,
  });
}

/** The outstanding recipient whose claim runs out first (unclaimed ones first); null when none is left. */
export function nextOutstandingRecipient(tx: Tx, shop: string, campaignId: string) {
  return tx.campaignRecipient.findFirst({
    where: outstanding(shop, campaignId),
    orderBy: [{ claimedUntil: { sort: "asc", nulls: "first" } }],
    select: { claimedUntil: true },
  });
}

export async function campaignStatus(tx: Tx, shop: string, campaignId: string) {
  const row = await tx.campaign.findFirst({ where: { shop, id: campaignId }, select: { status: true } });
  return row?.status ?? null;
}

/** A running campaign with nothing outstanding is done. */
export async function finishCampaign(tx: Tx, shop: string, campaignId: string, now: Date): Promise<void> {
  await tx.campaign.updateMany({
    where: { shop, id: campaignId, status: "RUNNING" },
    data: { status: "DONE", finishedAt: now },
  });
}

/**
 * Campaigns with recipients left to issue (running) or to settle (cancelled)
 * that no attempt holds; one with a recorded failure is left to its job's
 * retries and the dead-letter list.
 */
export function campaignsWithWorkLeft(tx: Tx, shop: string, now: Date, take: number) {
  const unclaimed = { OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }] };
  return tx.campaign.findMany({
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
    take,
  });
}

/** A page of the campaign's recipients in id order, after `after` (an id). */
export function recipientsPage(tx: Tx, shop: string, campaignId: string, after: string | null, take: number) {
  return tx.campaignRecipient.findMany({
    where: { shop, campaignId, ...(after ? { id: { gt: after } } : {}) },
    orderBy: { id: "asc" },
    take,
  });
}
