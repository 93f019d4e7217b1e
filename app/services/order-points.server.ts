/**
 * Turns order webhooks into points. Each event adds facts to the order's
 * record (under a row lock); the points the order is worth follow from all
 * facts together (app/loyalty/order-points.ts), and the ledger receives the
 * difference with the event's own source key. Any order of arrival and any
 * number of duplicates converge on the same balances.
 */
import type { LedgerKind, Member, OrderRecord, Prisma, PrismaClient } from "@prisma/client";
import { appendEntry, lockMember, upsertMember } from "../db/members.server";
import {
  addRefund,
  lockOrder,
  orderPartsColumns,
  partsOf,
  refundPartsColumns,
  refreshMemberOrderStats,
  type OrderWithRefunds,
} from "../db/orders.server";
import { ensureProgram, settingsOf, tierRulesOf, type ProgramWithTiers } from "../db/program.server";
import { inTransaction, type Tx } from "../db/tx.server";
import {
  addParts,
  eligibleAmount,
  NO_PARTS,
  refundedEligible,
  type EligibleParts,
  type Inclusions,
} from "../loyalty/eligible";
import { netEligible, orderPoints, splitChange } from "../loyalty/order-points";
import { multiplierOf } from "../loyalty/tiers";
import type { OrderSnapshot, RefundFacts } from "../shopify/order-payload";
import { applyOrderCodes } from "./reward-lifecycle.server";
import { reevaluateTier } from "./tier-standing.server";

export type OrderEvent =
  | { type: "paid"; snapshot: OrderSnapshot }
  /** The order as a backfill read it from Shopify: counts as paid, like orders/paid. */
  | { type: "backfill"; snapshot: OrderSnapshot }
  | { type: "updated"; snapshot: OrderSnapshot }
  | { type: "cancelled"; snapshot: OrderSnapshot }
  | { type: "refund"; refund: RefundFacts };

export interface OrderOutcome {
  orderGid: string;
  points: number;
  change: number;
  ignored?: "test order" | "no customer" | "program paused";
}

/**
 * The ledger key of an event's change. An order's first award is always
 * `order:<gid>:paid`, whether orders/paid or a backfill made it, so the
 * database itself refuses a second first award; a later change by either
 * (a newer snapshot) is keyed on that snapshot.
 */
export function sourceKey(event: OrderEvent, firstAward = false): string {
  switch (event.type) {
    case "paid":
    case "backfill":
      return firstAward
        ? `order:${event.snapshot.orderGid}:paid`
        : `order:${event.snapshot.orderGid}:${event.type}:${event.snapshot.updatedAt.toISOString()}`;
    case "cancelled":
      return `order:${event.snapshot.orderGid}:cancelled`;
    case "updated":
      return `order:${event.snapshot.orderGid}:updated:${event.snapshot.updatedAt.toISOString()}`;
    case "refund":
      return `refund:${event.refund.refundGid}`;
  }
}

const orderGidOf = (event: OrderEvent) =>
  event.type === "refund" ? event.refund.orderGid : event.snapshot.orderGid;

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
      await tx.orderRefund.updateMany({
        where: { shop, orderId: order.id, refundGid: refund.refundGid },
        data: refundPartsColumns(refund.parts),
      });
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
        }
      : {}),
    ...(snapshot.customer && !order.customerGid ? { customerGid: snapshot.customer.customerGid } : {}),
    ...(snapshot.cancelled && !order.cancelledAt ? { cancelledAt: snapshot.updatedAt } : {}),
  };
}

function inclusionsOf(order: OrderWithRefunds): Inclusions {
  return {
    includeShipping: order.includeShipping,
    includeTax: order.includeTax,
    includeTips: order.includeTips,
    includeGiftCards: order.includeGiftCards,
  };
}

/**
 * An order's eligible amounts, before and of its refunds (app/loyalty/eligible.ts),
 * from its parts before refunds and its refunds' parts. The engine and the
 * set-based batch both count through here.
 */
export function orderEligible(
  gross: EligibleParts,
  refunds: readonly EligibleParts[],
  inclusions: Inclusions,
  taxesIncluded: boolean,
): { grossEligible: bigint; refundedEligible: bigint } {
  const refunded = refunds.reduce(addParts, NO_PARTS);
  return {
    grossEligible: eligibleAmount(gross, inclusions, taxesIncluded),
    refundedEligible: refundedEligible(gross, refunded, inclusions, taxesIncluded),
  };
}

/** The order's eligible amounts under the inclusions recorded at award. */
export function eligibleOf(order: OrderWithRefunds): { grossEligible: bigint; refundedEligible: bigint } {
  return orderEligible(partsOf(order), order.refunds.map(partsOf), inclusionsOf(order), order.taxesIncluded);
}

export async function applyOrderEvent(
  db: PrismaClient,
  shop: string,
  event: OrderEvent,
  now: Date,
): Promise<OrderOutcome> {
  return inTransaction(db, (tx) => applyOrderEventIn(tx, shop, event, now));
}

/** applyOrderEvent in the caller's transaction (a backfill applies a batch of orders in one). */
export async function applyOrderEventIn(
  tx: Tx,
  shop: string,
  event: OrderEvent,
  now: Date,
  loaded?: { program: ProgramWithTiers },
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
    if (added)
      order = await tx.orderRecord.findUniqueOrThrow({
        where: { id: order.id },
        include: { refunds: true },
      });
  } else {
    const { snapshot } = event;
    const changes = await snapshotChanges(tx, shop, order, snapshot);
    if ((event.type === "paid" || event.type === "backfill") && !order.paidAt)
      changes.paidAt = snapshot.paidAt;
    if (event.type === "cancelled" && !order.cancelledAt) changes.cancelledAt = snapshot.updatedAt;
    order = await tx.orderRecord.update({
      where: { id: order.id },
      data: changes,
      include: { refunds: true },
    });
    await applyOrderCodes(tx, shop, order, program, now);
    if (snapshot.customer) {
      const { customerGid, email, firstName, lastName } = snapshot.customer;
      member = await upsertMember(tx, shop, customerGid, { email, firstName, lastName });
    }
  }

  // 2. Record the award terms the first time the order counts as paid.
  const outcome = (ignored?: OrderOutcome["ignored"]): OrderOutcome => ({
    orderGid,
    points: order.points,
    change: 0,
    ...(ignored ? { ignored } : {}),
  });
  if (!order.paidAt || !order.snapshotAt) return outcome();
  if (order.test) return outcome("test order");
  if (!order.customerGid) return outcome("no customer");
  if (member?.customerGid !== order.customerGid) member = await upsertMember(tx, shop, order.customerGid, {});
  // Locked explicitly (not trusting the upsert's own lock) before the terms
  // are read: the balance appended to and the tier that sets the multiplier
  // are those left by every earlier order of this member.
  member = await lockMember(tx, shop, member.id);
  await refreshMemberOrderStats(tx, shop, member.id, order.customerGid);
  let terms: ReturnType<typeof awardTerms> | null = null;
  if (!order.awardedAt) {
    if (!program.active) return outcome("program paused");
    terms = awardTerms(order, program, member.tierKey, now);
    order = { ...order, ...terms };
  }

  // 3. Move the ledger by the difference between what the order is worth and what it was.
  const facts = {
    paid: true,
    cancelled: order.cancelledAt !== null,
    ...eligibleOf(order),
    rateE4: order.rateE4!,
    multiplierE4: order.multiplierE4!,
  };
  const netEligibleMilli = netEligible(facts);
  const target = orderPoints(facts);
  const change = target - order.points;
  const move = splitChange(change, order.pendingPoints, order.releasedAt !== null);
  if (change !== 0) {
    const kind: LedgerKind = change > 0 ? "EARN" : "REVERSE";
    member = await appendEntry(tx, shop, member, {
      kind,
      points: move.available,
      pendingPoints: move.pending,
      sourceKey: sourceKey(event, terms !== null),
      orderGid,
      rateE4: order.rateE4!,
      multiplierE4: order.multiplierE4!,
      ...(change > 0 ? { activityAt: now } : {}),
    });
  }
  if (!terms && change === 0 && netEligibleMilli === order.netEligibleMilli) {
    return { orderGid, points: target, change };
  }
  await tx.orderRecord.update({
    where: { id: order.id },
    data: {
      ...terms,
      netEligibleMilli,
      points: target,
      pendingPoints: order.pendingPoints + move.pending,
    },
  });

  // 4. The member's tier follows their activity.
  await reevaluateTier(tx, shop, program, member, now);
  return { orderGid, points: target, change };
}

/** The terms an order earns under, fixed when it first counts as paid. */
export function awardTerms(
  order: Pick<OrderRecord, "paidAt">,
  program: ProgramWithTiers,
  tierKey: string | null,
  now: Date,
  /** The program's settings and tier rules, when the caller has them already (a batch). */
  rules = { settings: settingsOf(program), tiers: tierRulesOf(program.tiers) },
) {
  const { settings } = rules;
  const pending = settings.pendingDays > 0;
  return {
    awardedAt: now,
    rateE4: settings.earnRateE4,
    // The multiplier is that of the tier held before this order counts.
    multiplierE4: multiplierOf(rules.tiers, tierKey),
    includeShipping: settings.includeShipping,
    includeTax: settings.includeTax,
    includeTips: settings.includeTips,
    includeGiftCards: settings.includeGiftCards,
    releaseAt: pending ? new Date(order.paidAt!.getTime() + settings.pendingDays * 86_400_000) : null,
    releasedAt: pending ? null : now,
  };
}

/**
 * Makes pending points spendable once their order's pending period is over.
 * Run by the daily schedule; safe to run any number of times.
 */
export async function releaseDuePoints(db: PrismaClient, shop: string, now: Date): Promise<number> {
  const due = await db.orderRecord.findMany({
    where: { shop, releasedAt: null, releaseAt: { lte: now } },
    select: { orderGid: true },
    take: 1000,
  });
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
          sourceKey: `order:${orderGid}:release`,
          orderGid,
        });
      }
      await tx.orderRecord.update({ where: { id: order.id }, data: { releasedAt: now, pendingPoints: 0 } });
      return order.pendingPoints;
    });
  }
  return released;
}
