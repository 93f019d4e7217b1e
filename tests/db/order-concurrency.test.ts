/**
 * Concurrency is decided by the database: row locks on the order and the
 * member, and unique keys on every effect. On PostgreSQL these run truly in
 * parallel on separate connections.
 */
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { applyInboxBatch, receiveWebhook } from "~/services/webhooks/inbox.server";
import { applyOrderEvent } from "~/services/orders/order-points.server";
import { fixtureBody } from "../support/fixtures";
import { expectLedgerConsistent } from "../support/ledger-invariant";
import { refundFacts, snapshot } from "../support/order-events";
import { installShop } from "../support/shops";

const now = new Date("2026-01-05T00:00:00Z");
const receive = (shop: string, webhookId: string, topic: string, rawBody: string) =>
  receiveWebhook(prisma, { shop, webhookId, topic, rawBody });

/** Applies the shop's inbox with `workers` claims at once, one delivery each, as workers would. */
async function applyConcurrently(shop: string, workers: number) {
  const reports = await Promise.all(
    Array.from({ length: workers }, () =>
      applyInboxBatch(prisma, {
        shop,
        batchSize: 1,
        concurrency: 1,
        now: () => now,
        sendFollowUps: async () => {},
      }),
    ),
  );
  return reports.reduce((sum, r) => sum + r.applied, 0);
}

describe("concurrent deliveries", () => {
  it("5 copies of orders/paid at once (same and different webhook ids) credit once", async () => {
    const shop = "burst.myshopify.com";
    await installShop(prisma, shop);
    const body = fixtureBody("orders-paid");
    const results = await Promise.all([
      receive(shop, "same", "ORDERS_PAID", body),
      receive(shop, "same", "ORDERS_PAID", body),
      receive(shop, "same", "ORDERS_PAID", body),
      receive(shop, "other-1", "ORDERS_PAID", body),
      receive(shop, "other-2", "ORDERS_PAID", body),
    ]);
    expect(results.every((r) => r.status === 200)).toBe(true);
    // The three copies of "same" are one delivery: three in the inbox, applied at once.
    expect(results.filter((r) => r.outcome === "received")).toHaveLength(3);
    expect(await applyConcurrently(shop, 5)).toBe(3);
    const member = await prisma.member.findFirstOrThrow({ where: { shop } });
    expect(member.balance).toBe(630);
    expect(await prisma.ledgerEntry.count({ where: { shop } })).toBe(1);
    await expectLedgerConsistent(prisma, shop);
  });

  it("two refunds of the same order at once never push its points below zero", async () => {
    const shop = "refunds.myshopify.com";
    await installShop(prisma, shop);
    const orderGid = "gid://shopify/Order/9007199254740995";
    const customerGid = "gid://shopify/Customer/9007199254740997";
    await applyOrderEvent(
      prisma,
      shop,
      { type: "paid", snapshot: snapshot({ orderGid, customerGid, updatedAt: now, merchandise: 100_000n }) },
      now,
    );
    // Each refund alone takes 70.00 of 100.00; together they exceed the order.
    await Promise.all(
      ["a", "b"].map((id) =>
        applyOrderEvent(
          prisma,
          shop,
          { type: "refund", refund: refundFacts(orderGid, `gid://shopify/Refund/${id}`, 70_000n) },
          now,
        ),
      ),
    );
    const order = await prisma.orderRecord.findFirstOrThrow({ where: { shop, orderGid } });
    expect(order.points).toBe(0);
    const member = await prisma.member.findFirstOrThrow({ where: { shop } });
    expect(member.balance).toBe(0);
    const reversals = await prisma.ledgerEntry.findMany({ where: { shop, kind: "REVERSE" } });
    expect(reversals.reduce((sum, e) => sum + e.points, 0)).toBe(-500);
    await expectLedgerConsistent(prisma, shop);
  });

  it("paid and its refund arriving together converge", async () => {
    const shop = "race.myshopify.com";
    await installShop(prisma, shop);
    await Promise.all([
      receive(shop, "p", "ORDERS_PAID", fixtureBody("orders-paid")),
      receive(shop, "r", "REFUNDS_CREATE", fixtureBody("refunds-create")),
      receive(shop, "u", "ORDERS_UPDATED", fixtureBody("orders-updated")),
    ]);
    expect(await applyConcurrently(shop, 3)).toBe(3);
    expect((await prisma.member.findFirstOrThrow({ where: { shop } })).balance).toBe(360);
    await expectLedgerConsistent(prisma, shop);
  });

  it("two orders of one customer at once: the second earns at the tier the first reached", async () => {
    const shop = "tier-race.myshopify.com";
    await installShop(prisma, shop);
    const customerGid = "gid://shopify/Customer/31";
    await Promise.all(
      [1, 2].map((n) =>
        applyOrderEvent(
          prisma,
          shop,
          {
            type: "paid",
            snapshot: snapshot({
              orderGid: `gid://shopify/Order/${n}`,
              customerGid,
              updatedAt: now,
              merchandise: 300_000n,
            }),
          },
          now,
        ),
      ),
    );
    // Serially: 300.00 x 5 = 1500 at Member, which reaches Silver; then 300.00 x 5 x 1.25 = 1875.
    const member = await prisma.member.findFirstOrThrow({ where: { shop } });
    expect(member).toMatchObject({ balance: 3375, tierKey: "silver" });
    await expectLedgerConsistent(prisma, shop);
  });
});
