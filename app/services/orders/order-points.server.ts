/**
 * Turns order webhooks into points, one event at a time. Each event adds
 * facts to the order's record (under a row lock); the points the order is
 * worth follow from all facts together, and the ledger receives the
 * difference with the event's own source key. Any order of arrival and any
 * number of duplicates converge on the same balances. The rules themselves
 * (terms, points, ledger move and key, tier value) are app/loyalty's pure
 * functions (order-credit.ts, tiers.ts), shared with the set path
 * (order-points-batch.server.ts); this module reads and writes the rows.
 */
import type { Member, Prisma, PrismaClient } from "@prisma/client";
import { bonusEventsCovering, hasCollectionEvents } from "../../db/bonus-events.server";
import { appendEntry, lockMember, upsertMember } from "../../db/members.server";
import {
  addRefund,
  lineAmountsJson,
  lineAmountsOf,
  lockOrder,
  orderAwardState,
  markOrderReleased,
  orderPartsColumns,
  ordersDueForRelease,
  partsOf,
  readOrder,
  refreshMemberOrderStats,
  replaceRefundParts,
  updateOrderFacts,
  updateOrderWorth,
  type OrderWithRefunds,
} from "../../db/orders.server";
import { ensureProgram, settingsOf, tierRulesOf, type ProgramWithTiers } from "../../db/program.server";
import { inTransaction, type Tx } from "../../db/tx.server";
import {
  awardTerms,
  notCredited,
  orderCredit,
  entryOccurredAt,
  sourceKey,
  type NotCredited,
} from "../../loyalty/order-credit";
import { scopeOf, type BonusEventRule, type OrderScope } from "../../loyalty/bonus-events";
import type { AdminGraphql } from "../../shopify/admin-api/admin-client.server";
import type { OrderSnapshot, RefundFacts } from "../../shopify/payloads/order-payload";
import { lookUpOrderScope } from "../bonus-events/collection-scope.server";
import { applyOrderCodes } from "../rewards/reward-lifecycle.server";
import { noteReferralOrders } from "../referrals/referrals.server";
import { shippingAddressHash } from "../referrals/address-hash.server";
import { reevaluateTier } from "../tiers/tier-evaluation.server";

export type OrderEvent =
  | { type: "paid"; snapshot: OrderSnapshot }
  /** The order as a backfill read it from Shopify: counts as paid, like orders/paid. */
  | { type: "backfill"; snapshot: OrderSnapshot }
  | { type: "updated"; snapshot: OrderSnapshot }
  | { type: "cancelled"; snapshot: OrderSnapshot }
  | { type: "refund"; refund: RefundFacts }
  /**
   * A guest's order (no customer, its email held) given to the customer Shopify created or
   * updated with that email (customers/create, customers/update: decision 0017).
   */
  | { type: "guest"; orderGid: string; customerGid: string; email: string };

export interface OrderOutcome {
  orderGid: string;
  points: number;
  change: number;
  ignored?: NotCredited;
}

const orderGidOf = (event: OrderEvent) =>
  event.type === "refund"
    ? event.refund.orderGid
    : event.type === "guest"
      ? event.orderGid
      : event.snapshot.orderGid;

/**
 * The columns a snapshot changes: only a newer one replaces the amounts, and
 * with them the amounts of the refunds it lists (a backfill's snapshot states
 * its amounts net of its refunds, recorded with no parts; a later webhook
 * snapshot states them before refunds, with each refund's parts).
 */
async function snapshotChanges(
  tx: Tx,
  shop: string,
  order: OrderWithRefunds,
  snapshot: OrderSnapshot,
): Promise<Prisma.OrderRecordUpdateInput> {
  const newer = !order.snapshotAt || snapshot.updatedAt > order.snapshotAt;
  for (const refund of snapshot.refunds) {
    await addRefund(tx, shop, order.id, {
      refundGid: refund.refundGid,
      refundedAt: refund.createdAt,
      parts: refund.parts,
    });
    if (newer) {
      await replaceRefundParts(tx, shop, order.id, refund.refundGid, refund.parts);
    }
  }
  return {
    ...(newer
      ? {
          snapshotAt: snapshot.updatedAt,
          ...orderPartsColumns(snapshot.gross),
          taxesIncluded: snapshot.taxesIncluded,
          currency: snapshot.currency,
          test: snapshot.test,
          discountCodes: snapshot.discountCodes,
          ...(snapshot.name !== undefined ? { name: snapshot.name } : {}),
          ...(snapshot.sourceName !== undefined ? { sourceName: snapshot.sourceName } : {}),
          ...(snapshot.b2b !== undefined ? { b2b: snapshot.b2b } : {}),
          ...(snapshot.lineAmounts !== undefined
            ? { lineAmounts: lineAmountsJson(snapshot.lineAmounts) }
            : {}),
          ...(snapshot.shippingAddressKey !== undefined
            ? { shippingAddressHash: shippingAddressHash(shop, snapshot.shippingAddressKey) }
            : {}),
        }
      : {}),
    // A guest's order is held by its email until Shopify creates that customer (decision 0017).
    ...(!snapshot.customer && !order.customerGid && snapshot.email ? { guestEmail: snapshot.email } : {}),
    ...(snapshot.customer && order.guestEmail ? { guestEmail: null } : {}),
    ...(snapshot.customer && !order.customerGid ? { customerGid: snapshot.customer.customerGid } : {}),
    ...(snapshot.cancelled && !order.cancelledAt ? { cancelledAt: snapshot.updatedAt } : {}),
  };
}

/**
 * Applies one order event in a transaction of its own. `admin` looks up the
 * order's products first when a bonus event limited to collections covers an
 * order this event may credit for the first time (decision 0022); without it,
 * such an order throws, and its delivery is retried.
 */
export async function applyOrderEvent(
  db: PrismaClient,
  shop: string,
  event: OrderEvent,
  now: Date,
  admin: AdminGraphql | null = null,
): Promise<OrderOutcome> {
  const scope = await scopeBeforeCrediting(db, admin, shop, event);
  return inTransaction(db, (tx) => applyOrderEventIn(tx, shop, event, now, scope ? { scope } : undefined));
}

/** The order's collection lookup, outside the transaction, when this event may be its first award. */
async function scopeBeforeCrediting(
  db: PrismaClient,
  admin: AdminGraphql | null,
  shop: string,
  event: OrderEvent,
): Promise<OrderScope | undefined> {
  // Most shops have no such event: one small query, and nothing else.
  if (!(await hasCollectionEvents(db, shop))) return undefined;
  const orderGid = orderGidOf(event);
  const record = await orderAwardState(db, shop, orderGid);
  const snapshot = "snapshot" in event ? event.snapshot : null;
  return lookUpOrderScope(
    db,
    admin,
    shop,
    record && { ...record, lines: lineAmountsOf(record.lineAmounts) },
    snapshot && {
      paidAt: event.type === "paid" || event.type === "backfill" ? snapshot.paidAt : null,
      lines: snapshot.lineAmounts ?? null,
      newer: !record?.snapshotAt || snapshot.updatedAt > record.snapshotAt,
    },
    orderGid,
  );
}

/** What a caller of applyOrderEventIn already read or looked up. */
export interface OrderEventContext {
  program?: ProgramWithTiers;
  /** The bonus events covering the batch's orders. */
  events?: readonly BonusEventRule[];
  /** The order's products looked up in the collections of the events covering it. */
  scope?: OrderScope;
}

/** applyOrderEvent in the caller's transaction (a backfill applies a batch of orders in one). */
export async function applyOrderEventIn(
  tx: Tx,
  shop: string,
  event: OrderEvent,
  now: Date,
  loaded?: OrderEventContext,
): Promise<OrderOutcome> {
  const program = loaded?.program ?? (await ensureProgram(tx, shop));
  const orderGid = orderGidOf(event);
  let order = await lockOrder(tx, shop, orderGid);

  // 1. Add the event's facts.
  let member: Member | null = null;
  if (event.type === "refund") {
    const added = await addRefund(tx, shop, order.id, {
      refundGid: event.refund.refundGid,
      refundedAt: event.refund.createdAt,
      parts: event.refund.parts,
    });
    if (added) order = await readOrder(tx, order.id);
  } else if (event.type === "guest") {
    // Only an order still held for this very email: a customer the order named meanwhile wins.
    if (order.customerGid || order.guestEmail !== event.email)
      return { orderGid, points: order.points, change: 0 };
    order = await updateOrderFacts(tx, order.id, { customerGid: event.customerGid, guestEmail: null });
  } else {
    const { snapshot } = event;
    const changes = await snapshotChanges(tx, shop, order, snapshot);
    if ((event.type === "paid" || event.type === "backfill") && !order.paidAt)
      changes.paidAt = snapshot.paidAt;
    if (event.type === "cancelled" && !order.cancelledAt) changes.cancelledAt = snapshot.updatedAt;
    order = await updateOrderFacts(tx, order.id, changes);
    await applyOrderCodes(tx, shop, order, program, now);
    // A paid first order of a referral: its settlement is queued (decision 0019).
    await noteReferralOrders(tx, shop, [order]);
    if (snapshot.customer) {
      const { customerGid, email, firstName, lastName, tags, tagsPresent } = snapshot.customer;
      // The order's copy of the customer's tags is the newest we know when it carries them
      // (exclusions: docs/decisions/0021-exclusions.md).
      member = await upsertMember(tx, shop, customerGid, {
        email,
        firstName,
        lastName,
        ...(tagsPresent ? { tags } : {}),
      });
    }
  }

  // 2. Record the award terms the first time the order counts as paid.
  const outcome = (ignored?: NotCredited): OrderOutcome => ({
    orderGid,
    points: order.points,
    change: 0,
    ...(ignored ? { ignored } : {}),
  });
  if (!order.paidAt || !order.snapshotAt) return outcome();
  const skipped = notCredited({ ...order, awarded: order.awardedAt !== null }, program);
  if (!order.customerGid || skipped === "test order") return outcome(skipped ?? undefined);
  if (member?.customerGid !== order.customerGid) member = await upsertMember(tx, shop, order.customerGid, {});
  // With the member's tags: a customer with an excluded tag earns nothing.
  const ignored = notCredited(
    { ...order, awarded: order.awardedAt !== null, customerTags: member.tags },
    program,
  );
  // Locked explicitly (not trusting the upsert's own lock) before the terms
  // are read: the balance appended to and the tier that sets the multiplier
  // are those left by every earlier order of this member.
  member = await lockMember(tx, shop, member.id);
  await refreshMemberOrderStats(tx, shop, member.id);
  if (ignored) return outcome(ignored);
  // A first award: the bonus event covering the order's processed time, if any (decision 0022),
  // over the order's lines as recorded now (a product not looked up throws: retried).
  const terms = order.awardedAt
    ? null
    : awardTerms(order.paidAt, settingsOf(program), tierRulesOf(program.tiers), member.tierKey, now, {
        events: loaded?.events ?? (await bonusEventsCovering(tx, shop, order.paidAt, order.paidAt)),
        gross: partsOf(order),
        taxesIncluded: order.taxesIncluded,
        scope: scopeOf(lineAmountsOf(order.lineAmounts) ?? [], loaded?.scope),
      });
  if (terms) order = { ...order, ...terms };

  // 3. Move the ledger by the difference between what the order is worth and what it was.
  const credit = orderCredit(
    {
      cancelled: order.cancelledAt !== null,
      gross: partsOf(order),
      refunds: order.refunds.map(partsOf),
      taxesIncluded: order.taxesIncluded,
    },
    { ...order, rateE4: order.rateE4!, multiplierE4: order.multiplierE4! },
    order,
  );
  if (credit.kind) {
    member = await appendEntry(tx, shop, member, {
      kind: credit.kind,
      points: credit.move.available,
      pendingPoints: credit.move.pending,
      sourceKey: sourceKey(event, terms !== null),
      occurredAt: entryOccurredAt(event, terms !== null, order.paidAt, now),
      orderGid,
      rateE4: order.rateE4!,
      multiplierE4: order.multiplierE4!,
      ...(credit.kind === "EARN" ? { activityAt: now } : {}),
    });
  }
  const { points, change, netEligibleMilli, eventPoints } = credit;
  if (!terms && change === 0 && netEligibleMilli === order.netEligibleMilli) {
    return { orderGid, points, change };
  }
  await updateOrderWorth(tx, order.id, {
    ...terms,
    netEligibleMilli,
    points,
    eventPoints,
    pendingPoints: order.pendingPoints + credit.move.pending,
  });

  // 4. The member's tier follows their activity.
  await reevaluateTier(tx, shop, program, member, now);
  return { orderGid, points, change };
}

/**
 * Makes pending points spendable once their order's pending period is over.
 * Run by the daily schedule; safe to run any number of times.
 */
export async function releaseDuePoints(db: PrismaClient, shop: string, now: Date): Promise<number> {
  const due = await ordersDueForRelease(db, shop, now, 1000);
  let released = 0;
  for (const { orderGid } of due) {
    released += await inTransaction(db, async (tx) => {
      const order = await lockOrder(tx, shop, orderGid);
      if (order.releasedAt || !order.releaseAt || order.releaseAt > now) return 0;
      if (order.pendingPoints !== 0 && order.customerGid) {
        const member = await upsertMember(tx, shop, order.customerGid, {});
        await appendEntry(tx, shop, await lockMember(tx, shop, member.id), {
          kind: "RELEASE",
          points: order.pendingPoints,
          pendingPoints: -order.pendingPoints,
          sourceKey: sourceKey({ type: "release", orderGid }),
          orderGid,
        });
      }
      await markOrderReleased(tx, order.id, now);
      return order.pendingPoints;
    });
  }
  return released;
}
