/**
 * Everything held on one customer of one shop: read a page at a time for a
 * data request's download, deleted for customers/redact. A page is the rows
 * after `after` (an id) in id order.
 */
import { normaliseEmail } from "../loyalty/referrals";
import type { Tx } from "./tx.server";

export function memberOfCustomer(tx: Tx, shop: string, customerGid: string) {
  return tx.member.findUnique({ where: { shop_customerGid: { shop, customerGid } } });
}

export function customerFiguresOf(tx: Tx, shop: string, customerGid: string) {
  return tx.customerFigures.findUnique({ where: { shop_customerGid: { shop, customerGid } } });
}

export function ledgerPage(tx: Tx, shop: string, memberId: string, after: bigint | null, take: number) {
  return tx.ledgerEntry.findMany({
    where: { shop, memberId, ...(after !== null ? { id: { gt: after } } : {}) },
    orderBy: { id: "asc" },
    take,
  });
}

/** The customer's recorded orders with their refunds. */
export function customerOrdersPage(
  tx: Tx,
  shop: string,
  customerGid: string,
  after: string | null,
  take: number,
) {
  return tx.orderRecord.findMany({
    where: { shop, customerGid, ...(after !== null ? { id: { gt: after } } : {}) },
    orderBy: { id: "asc" },
    take,
    include: { refunds: { where: { shop }, orderBy: { refundedAt: "asc" } } },
  });
}

export function customerRedemptionsPage(
  tx: Tx,
  shop: string,
  customerGid: string,
  after: string | null,
  take: number,
) {
  return tx.redemption.findMany({
    where: { shop, customerGid, ...(after !== null ? { id: { gt: after } } : {}) },
    orderBy: { id: "asc" },
    take,
  });
}

/** The customer's win-back codes with their campaign's name, tag and end. */
export function customerCampaignCodesPage(
  tx: Tx,
  shop: string,
  customerGid: string,
  after: string | null,
  take: number,
) {
  return tx.campaignRecipient.findMany({
    where: { shop, customerGid, ...(after !== null ? { id: { gt: after } } : {}) },
    orderBy: { id: "asc" },
    take,
    include: { campaign: { select: { name: true, tag: true, endsAt: true } } },
  });
}

/** Flow events about the customer: their payloads name it by numeric id (`flowCustomerId`). */
export function customerFlowEventsPage(
  tx: Tx,
  shop: string,
  flowCustomerId: string,
  after: string | null,
  take: number,
) {
  return tx.$queryRaw<
    { id: string; trigger: string; payload: unknown; createdAt: Date; sentAt: Date | null }[]
  >`
    SELECT id, trigger, payload, "createdAt", "sentAt" FROM "FlowEvent"
    WHERE shop = ${shop} AND payload->>'customer_id' = ${flowCustomerId}
      AND (${after}::text IS NULL OR id > ${after})
    ORDER BY id LIMIT ${take}`;
}

/**
 * Deletes the member (its ledger goes with it), its redemptions, the Flow
 * events about it (`flowCustomerId`, as in their payloads), its win-back
 * recipient rows and data requests, its referrals (as the friend, by customer
 * or by its normalised email, and as the member who referred) and its link's
 * visits, and takes the customer off its orders.
 */
export async function deleteCustomerRecords(
  tx: Tx,
  shop: string,
  customerGid: string,
  flowCustomerId: string,
): Promise<void> {
  const member = await tx.member.findUnique({
    where: { shop_customerGid: { shop, customerGid } },
    select: { id: true, email: true },
  });
  const email = member?.email ? normaliseEmail(member.email) : null;
  await tx.referral.deleteMany({
    where: {
      shop,
      OR: [
        { refereeCustomerGid: customerGid },
        ...(email ? [{ refereeEmail: email }] : []),
        ...(member ? [{ referrerId: member.id }] : []),
      ],
    },
  });
  if (member) await tx.referralVisit.deleteMany({ where: { shop, referrerId: member.id } });
  await tx.member.deleteMany({ where: { shop, customerGid } });
  await tx.redemption.deleteMany({ where: { shop, customerGid } });
  await tx.$executeRaw`DELETE FROM "FlowEvent"
    WHERE shop = ${shop} AND payload->>'customer_id' = ${flowCustomerId}`;
  await tx.campaignRecipient.deleteMany({ where: { shop, customerGid } });
  // Where their orders shipped goes too (a hash, but theirs).
  await tx.orderRecord.updateMany({
    where: { shop, customerGid },
    data: { customerGid: null, shippingAddressHash: null },
  });
  await tx.dataRequest.deleteMany({ where: { shop, customerGid } });
  await tx.notificationEmail.deleteMany({ where: { shop, customerGid } });
  await tx.notificationContact.deleteMany({ where: { shop, customerGid } });
}
