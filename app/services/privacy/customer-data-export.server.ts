/**
 * Everything Regulars holds on one customer of one shop, as a JSON document,
 * for the store owner to give a customer who asked for their data
 * (customers/data_request: https://shopify.dev/docs/apps/build/compliance/privacy-law-compliance).
 *
 * It is built when downloaded, from what is held then: the member (identity
 * Shopify sent, balances, tier, order figures, birthday), every ledger entry,
 * the orders Regulars recorded and their refunds, the reward codes, win-back
 * campaign codes, Flow events sent about the customer, the retention
 * figures kept for the dashboard, and the notification emails: the consent,
 * language and unsubscribe Regulars keeps, and each email and its fate. Long lists are read a page at a time as the
 * file is sent (text-stream.server.ts), so a customer with a long history
 * never sits in memory.
 *
 * Not in it, because they are transient and go on their own: webhook bodies
 * waiting to be applied (deleted once applied) and a running backfill's
 * staged orders (deleted when the run ends).
 */
import type { PrismaClient } from "@prisma/client";
import {
  customerCampaignCodesPage,
  customerFiguresOf,
  customerFlowEventsPage,
  customerOrdersPage,
  customerRedemptionsPage,
  ledgerPage,
  memberOfCustomer,
} from "../../db/customer-data.server";
import { customerIdOf } from "../../db/flow-events.server";
import { customerEmailsPage, findContact } from "../../db/notifications.server";
import { formatMilli } from "../../loyalty/money";

const PAGE = 500;

const json = (value: unknown) =>
  JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2);
const money = (milli: bigint) => formatMilli(milli);
const ratio = (e4: number | null) => (e4 === null ? null : (e4 / 10_000).toString());
const date = (value: Date | null) => value?.toISOString() ?? null;
const numericId = (gid: string | null) => gid?.replace(/^gid:\/\/shopify\/\w+\//, "") ?? null;

/** `"name": [` the rows of every page, `]`, each page read when the reader wants more. */
async function* jsonList<Row extends { id: string | bigint }>(
  name: string,
  page: (after: Row["id"] | null) => Promise<Row[]>,
  view: (row: Row) => unknown,
): AsyncGenerator<string> {
  yield `,\n  ${JSON.stringify(name)}: [`;
  let after: Row["id"] | null = null;
  let first = true;
  for (;;) {
    const rows = await page(after);
    if (rows.length === 0) break;
    yield (first ? "\n" : ",\n") + rows.map((row) => json(view(row))).join(",\n");
    first = false;
    after = rows[rows.length - 1]!.id;
  }
  yield first ? "]" : "\n  ]";
}

export async function* customerDataJson(
  db: PrismaClient,
  shop: string,
  customerGid: string,
  request: { requestedAt: Date; deliveredAt: Date | null },
  now: Date,
): AsyncGenerator<string> {
  const member = await memberOfCustomer(db, shop, customerGid);
  const figures = await customerFiguresOf(db, shop, customerGid);
  const contact = await findContact(db, shop, customerGid);
  const head = {
    about: "Everything the Regulars loyalty app holds on this customer for this shop.",
    shop,
    customer_id: numericId(customerGid),
    generated_at: now.toISOString(),
    data_request: { requested_at: date(request.requestedAt), delivered_at: date(request.deliveredAt) },
    member: member && {
      email: member.email,
      first_name: member.firstName,
      last_name: member.lastName,
      tags: member.tags,
      account_state: member.accountState,
      points: member.balance,
      pending_points: member.pending,
      tier: member.tierKey,
      tier_held_until: date(member.tierHeldUntil),
      tier_changed_at: date(member.tierChangedAt),
      tier_tag: member.tierTag,
      last_activity_at: date(member.lastActivityAt),
      expiry_warned_at: date(member.expiryWarnedAt),
      orders: member.orderCount,
      spent: money(member.totalSpentMilli),
      last_order_at: date(member.lastOrderAt),
      birthday: member.birthdayMonth && { month: member.birthdayMonth, day: member.birthdayDay },
      birthday_set_at: date(member.birthdaySetAt),
      last_birthday_bonus_year: member.lastBirthdayYear,
      joined_at: date(member.createdAt),
      updated_at: date(member.updatedAt),
    },
    email_preferences: contact && {
      email_marketing_consent: contact.consentState,
      locale: contact.locale,
      unsubscribed_at: date(contact.unsubscribedAt),
    },
    retention_figures: figures && {
      counted_as_member: figures.member,
      orders: figures.orders,
      revenue: money(figures.revenueMilli),
      last_order_at: date(figures.lastOrderAt),
    },
  };
  // The head object without its closing brace: the lists follow as its last keys.
  yield json(head).replace(/\n}$/, "");

  yield* jsonList(
    "points_history",
    (after: bigint | null) => (member ? ledgerPage(db, shop, member.id, after, PAGE) : Promise.resolve([])),
    (e) => ({
      entry_id: e.id.toString(),
      kind: e.kind,
      points: e.points,
      pending_points: e.pendingPoints,
      balance_after: e.balanceAfter,
      pending_after: e.pendingAfter,
      order_id: numericId(e.orderGid),
      rate: ratio(e.rateE4),
      multiplier: ratio(e.multiplierE4),
      note: e.note,
      staff_id: numericId(e.staffId),
      created_at: date(e.createdAt),
    }),
  );

  yield* jsonList(
    "orders",
    (after: string | null) => customerOrdersPage(db, shop, customerGid, after, PAGE),
    (o) => ({
      order_id: numericId(o.orderGid),
      currency: o.currency,
      test: o.test,
      paid_at: date(o.paidAt),
      cancelled_at: date(o.cancelledAt),
      merchandise: money(o.merchandiseMilli),
      gift_cards: money(o.giftCardsMilli),
      shipping: money(o.shippingMilli),
      tax: money(o.taxMilli),
      tips: money(o.tipsMilli),
      eligible_after_refunds: money(o.netEligibleMilli),
      points: o.points,
      pending_points: o.pendingPoints,
      points_release_at: date(o.releaseAt),
      discount_codes: o.discountCodes,
      refunds: o.refunds.map((r) => ({
        refund_id: numericId(r.refundGid),
        merchandise: money(r.merchandiseMilli),
        gift_cards: money(r.giftCardsMilli),
        shipping: money(r.shippingMilli),
        tax: money(r.taxMilli),
        tips: money(r.tipsMilli),
        refunded_at: date(r.refundedAt),
      })),
    }),
  );

  yield* jsonList(
    "reward_codes",
    (after: string | null) => customerRedemptionsPage(db, shop, customerGid, after, PAGE),
    (r) => ({
      code: r.code,
      reward: (r.reward as { title?: string } | null)?.title ?? r.rewardKey,
      points_cost: r.pointsCost,
      status: r.status,
      source: r.source,
      staff_id: numericId(r.staffId),
      starts_at: date(r.startsAt),
      ends_at: date(r.endsAt),
      used_on_order_id: numericId(r.usedOrderGid),
      used_at: date(r.usedAt),
      points_returned_at: date(r.pointsReturnedAt),
      created_at: date(r.createdAt),
    }),
  );

  yield* jsonList(
    "win_back_codes",
    (after: string | null) => customerCampaignCodesPage(db, shop, customerGid, after, PAGE),
    (c) => ({
      campaign: c.campaign.name,
      customer_tag: c.campaign.tag,
      code: c.code,
      status: c.status,
      tagged_at: date(c.taggedAt),
      code_ends_at: date(c.campaign.endsAt),
      created_at: date(c.createdAt),
    }),
  );

  // Flow payloads name the customer by numeric id (as customers/redact finds them).
  const flowCustomerId = String(customerIdOf(customerGid));
  yield* jsonList(
    "flow_events",
    (after: string | null) => customerFlowEventsPage(db, shop, flowCustomerId, after, PAGE),
    (f) => ({
      trigger: f.trigger,
      payload: f.payload,
      created_at: date(f.createdAt),
      sent_at: date(f.sentAt),
    }),
  );

  yield* jsonList(
    "notification_emails",
    (after: string | null) => customerEmailsPage(db, shop, customerGid, after, PAGE),
    (e) => ({
      event: e.event,
      status: e.status,
      reason: e.reason,
      to: e.toAddress,
      language: e.locale,
      sent_at: date(e.sentAt),
      created_at: date(e.createdAt),
    }),
  );

  yield "\n}\n";
}
