/**
 * customers/create and customers/update keep the member's identity; the
 * account-created bonus is paid once per customer when the account becomes
 * enabled. customers/redact and customers/data_request do what Shopify's
 * privacy rules require.
 */
import { dropStagedOrdersOf } from "../db/backfill-orders.server";
import type { Prisma, PrismaClient } from "@prisma/client";
import { toJsonValue } from "../db/json.server";
import {
  appendEntry,
  findMemberByCustomer,
  ledgerEntryExists,
  lockMember,
  upsertMember,
} from "../db/members.server";
import { dropUnappliedDeliveriesOf } from "../db/deliveries.server";
import { customerIdOf } from "../db/flow-events.server";
import { ensureProgram } from "../db/program.server";
import { inTransaction } from "../db/tx.server";
import { forgetCustomerInRollups } from "./dashboard-rollups.server";
import type { CustomerFacts } from "../shopify/order-payload";

export async function recordCustomer(
  db: PrismaClient,
  shop: string,
  customer: CustomerFacts,
  now: Date,
): Promise<{ signupBonus: number }> {
  return inTransaction(db, async (tx) => {
    const program = await ensureProgram(tx, shop);
    const member = await upsertMember(tx, shop, customer.customerGid, {
      email: customer.email,
      firstName: customer.firstName,
      lastName: customer.lastName,
      // Since API 2025-01 customer webhooks may omit tags: keep the stored ones then.
      tags: customer.tagsPresent ? customer.tags : undefined,
      accountState: customer.state,
    });
    const key = `bonus:signup:${customer.customerGid}`;
    if (customer.state !== "enabled" || !program.active || program.signupBonus <= 0)
      return { signupBonus: 0 };
    const locked = await lockMember(tx, shop, member.id);
    if (await ledgerEntryExists(tx, shop, key)) return { signupBonus: 0 };
    await appendEntry(tx, shop, locked, {
      kind: "BONUS",
      points: program.signupBonus,
      sourceKey: key,
      note: "Account created",
      activityAt: now,
    });
    return { signupBonus: program.signupBonus };
  });
}

/**
 * customers/redact: the member, its ledger, its redemptions (codes), its Flow
 * events, its win-back campaign rows and every personal field go, and so do
 * the bodies of deliveries about the customer not applied yet.
 */
export async function redactCustomer(db: PrismaClient, shop: string, customerGid: string): Promise<void> {
  await inTransaction(db, async (tx) => {
    await tx.member.deleteMany({ where: { shop, customerGid } });
    await tx.redemption.deleteMany({ where: { shop, customerGid } });
    // Flow payloads carry the numeric id as customer_id (a number, or its digits when too big for one).
    await tx.$executeRaw`DELETE FROM "FlowEvent"
      WHERE shop = ${shop} AND payload->>'customer_id' = ${String(customerIdOf(customerGid))}`;
    await tx.campaignRecipient.deleteMany({ where: { shop, customerGid } });
    await tx.orderRecord.updateMany({ where: { shop, customerGid }, data: { customerGid: null } });
    await tx.dataRequest.deleteMany({ where: { shop, customerGid } });
    await dropUnappliedDeliveriesOf(tx, shop, String(customerIdOf(customerGid)), new Date());
    await dropStagedOrdersOf(tx, shop, customerGid);
    // Last: the deletions above queued the customer for the dashboard's figures; none may remain.
    await forgetCustomerInRollups(tx, shop, customerGid);
  });
}

/** customers/data_request: keeps what Regulars holds about the customer for the shop owner. */
export async function recordDataRequest(db: PrismaClient, shop: string, customerGid: string, now: Date) {
  const member = await findMemberByCustomer(db, shop, customerGid);
  const ledger = member
    ? await db.ledgerEntry.findMany({ where: { shop, memberId: member.id }, orderBy: { id: "asc" } })
    : [];
  const orders = await db.orderRecord.findMany({
    where: { shop, customerGid },
    select: { orderGid: true, paidAt: true, points: true, cancelledAt: true },
  });
  const campaigns = await db.campaignRecipient.findMany({
    where: { shop, customerGid },
    select: {
      code: true,
      status: true,
      createdAt: true,
      campaign: { select: { name: true, tag: true, launchedAt: true, endsAt: true } },
    },
  });
  const data = toJsonValue({ member, ledger, orders, campaigns }) as Prisma.InputJsonValue;
  return db.dataRequest.create({ data: { shop, customerGid, requestedAt: now, data } });
}
