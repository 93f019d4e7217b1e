/**
 * What the points engine leaves in a shop, without ids or clocks of its own:
 * members, order records and the ledger, in a stable order. Two shops that
 * took the same orders by different paths must read the same.
 */
import { prisma } from "~/db.server";

export const pointsState = async (shop: string) => ({
  members: await prisma.member.findMany({
    where: { shop },
    orderBy: { customerGid: "asc" },
    select: {
      customerGid: true,
      email: true,
      firstName: true,
      lastName: true,
      balance: true,
      pending: true,
      tierKey: true,
      tierHeldUntil: true,
      tierChangedAt: true,
      lastActivityAt: true,
      orderCount: true,
      totalSpentMilli: true,
      lastOrderAt: true,
      syncVersion: true,
    },
  }),
  orders: await prisma.orderRecord.findMany({
    where: { shop },
    orderBy: { orderGid: "asc" },
    select: {
      orderGid: true,
      customerGid: true,
      name: true,
      sourceName: true,
      guestEmail: true,
      currency: true,
      test: true,
      taxesIncluded: true,
      snapshotAt: true,
      merchandiseMilli: true,
      giftCardsMilli: true,
      shippingMilli: true,
      taxMilli: true,
      shippingTaxMilli: true,
      tipsMilli: true,
      paidAt: true,
      cancelledAt: true,
      awardedAt: true,
      rateE4: true,
      multiplierE4: true,
      eventMultiplierE4: true,
      eventFixedPoints: true,
      eventBaseMilli: true,
      eventPoints: true,
      includeShipping: true,
      includeTax: true,
      includeTips: true,
      includeGiftCards: true,
      netEligibleMilli: true,
      points: true,
      pendingPoints: true,
      releaseAt: true,
      releasedAt: true,
      discountCodes: true,
      refunds: {
        select: { refundGid: true, merchandiseMilli: true, shippingMilli: true, byAmountMilli: true },
        orderBy: { refundGid: "asc" },
      },
    },
  }),
  ledger: (
    await prisma.ledgerEntry.findMany({
      where: { shop },
      orderBy: { id: "asc" },
      select: {
        kind: true,
        points: true,
        pendingPoints: true,
        balanceAfter: true,
        pendingAfter: true,
        sourceKey: true,
        orderGid: true,
        rateE4: true,
        multiplierE4: true,
        member: { select: { customerGid: true } },
      },
    })
  ).sort((a, b) => a.sourceKey.localeCompare(b.sourceKey)),
});
