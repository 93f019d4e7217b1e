/**
 * customers/create and customers/update keep the member's identity; the
 * account-created bonus is paid once per customer when the account becomes
 * enabled. customers/redact and customers/data_request do what Shopify's
 * privacy rules require.
 */
import { dropStagedOrdersOf } from "../../db/backfill-orders.server";
import type { PrismaClient } from "@prisma/client";
import { appendEntry, ledgerEntryExists, lockMember, upsertMember } from "../../db/members.server";
import { dropUnappliedDeliveriesOf } from "../../db/deliveries.server";
import { deleteCustomerRecords } from "../../db/customer-data.server";
import { recordWaitingRequest } from "../../db/data-requests.server";
import { recordContact } from "../../db/notifications.server";
import { customerIdOf, FLOW_TRIGGERS, recordFlowEvent } from "../../db/flow-events.server";
import { ensureProgram } from "../../db/program.server";
import { inTransaction } from "../../db/tx.server";
import { forgetCustomerInRollups } from "../dashboard/dashboard-rollups.server";
import { respondBy } from "./data-requests.server";
import type { CustomerFacts } from "../../shopify/payloads/order-payload";
import { isExcludedCustomer } from "../../loyalty/exclusions";
import { awardNewsletter } from "../actions/earn-actions.server";

export async function recordCustomer(
  db: PrismaClient,
  shop: string,
  customer: CustomerFacts,
  now: Date,
): Promise<{ signupBonus: number; newsletter: number }> {
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
    // What the notification emails need: no email without consent, in the customer's language.
    await recordContact(tx, shop, customer.customerGid, {
      consentState: customer.emailConsent,
      locale: customer.locale,
    });
    // The newsletter's points when the consent became "subscribed" (decision 0023).
    const newsletter = await awardNewsletter(tx, shop, customer, now);
    const key = `bonus:signup:${customer.customerGid}`;
    if (customer.state !== "enabled" || !program.active || program.signupBonus <= 0)
      return { signupBonus: 0, newsletter };
    // A customer left out of the program (an excluded tag) earns nothing (decision 0021).
    if (isExcludedCustomer(member.tags, program.excludedTags)) return { signupBonus: 0, newsletter };
    const locked = await lockMember(tx, shop, member.id);
    if (await ledgerEntryExists(tx, shop, key)) return { signupBonus: 0, newsletter };
    await appendEntry(tx, shop, locked, {
      kind: "BONUS",
      points: program.signupBonus,
      sourceKey: key,
      note: "Account created",
      action: "signup",
      activityAt: now,
    });
    return { signupBonus: program.signupBonus, newsletter };
  });
}

/**
 * customers/redact: the member, its ledger, its redemptions (codes), its Flow
 * events, its win-back campaign rows and every personal field go, and so do
 * the bodies of deliveries about the customer not applied yet.
 */
export async function redactCustomer(db: PrismaClient, shop: string, customerGid: string): Promise<void> {
  await inTransaction(db, async (tx) => {
    // Flow payloads carry the numeric id as customer_id (a number, or its digits when too big for one).
    await deleteCustomerRecords(tx, shop, customerGid, String(customerIdOf(customerGid)));
    await dropUnappliedDeliveriesOf(tx, shop, String(customerIdOf(customerGid)), new Date());
    await dropStagedOrdersOf(tx, shop, customerGid);
    // Last: the deletions above queued the customer for the dashboard's figures; none may remain.
    await forgetCustomerInRollups(tx, shop, customerGid);
  });
}

/**
 * customers/data_request: the customer asked the shop for their data, and Shopify asks the app
 * to give the store owner what it holds, within 30 days
 * (https://shopify.dev/docs/apps/build/compliance/privacy-law-compliance). The request waits for
 * the merchant (Home and the customer's page: download, then mark delivered), and the "Customer
 * data requested" Flow trigger tells them. One waiting request per customer: a repeated
 * delivery, or another request before the first is delivered, records nothing new.
 */
export async function recordDataRequest(db: PrismaClient, shop: string, customerGid: string, now: Date) {
  return inTransaction(db, async (tx) => {
    const request = await recordWaitingRequest(tx, shop, customerGid, now);
    await recordFlowEvent(tx, shop, {
      trigger: FLOW_TRIGGERS.dataRequested,
      dedupeKey: `data-request:${request.id}`,
      customerGid,
      fields: {
        "Requested at": request.requestedAt.toISOString(),
        "Respond by": respondBy(request.requestedAt).toISOString(),
      },
    });
    return request;
  });
}
