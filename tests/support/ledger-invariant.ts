import type { PrismaClient } from "@prisma/client";
import { expect } from "vitest";

/**
 * The ledger's invariants, checked after every scenario: each member's cached
 * balance and pending points equal the sums of their entries; each order's
 * points equal the sum of its entries and never go below zero.
 */
export async function expectLedgerConsistent(prisma: PrismaClient, shop: string): Promise<void> {
  const members = await prisma.member.findMany({ where: { shop } });
  for (const member of members) {
    const sums = await prisma.ledgerEntry.aggregate({
      where: { shop, memberId: member.id },
      _sum: { points: true, pendingPoints: true },
    });
    expect({ member: member.customerGid, balance: member.balance, pending: member.pending }).toEqual({
      member: member.customerGid,
      balance: sums._sum.points ?? 0,
      pending: sums._sum.pendingPoints ?? 0,
    });
    expect(member.pending).toBeGreaterThanOrEqual(0);
  }
  const orders = await prisma.orderRecord.findMany({ where: { shop } });
  for (const order of orders) {
    const sums = await prisma.ledgerEntry.aggregate({
      where: { shop, orderGid: order.orderGid },
      _sum: { points: true, pendingPoints: true },
    });
    expect({
      order: order.orderGid,
      points: (sums._sum.points ?? 0) + (sums._sum.pendingPoints ?? 0),
    }).toEqual({
      order: order.orderGid,
      points: order.points,
    });
    expect(order.points).toBeGreaterThanOrEqual(0);
    expect(order.pendingPoints).toBeGreaterThanOrEqual(0);
  }
}
