import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { adjustPoints } from "~/services/members/adjust-points.server";
import { syncMember } from "~/services/members/member-sync.server";
import { NAMESPACE } from "~/shopify/admin-api/member-metafields.server";
import { adminStandIn } from "../support/admin-stand-in";

const CUSTOMER = "gid://shopify/Customer/555";
const metafield = (shopify: ReturnType<typeof adminStandIn>, key: string) =>
  shopify.metafields.get(`${CUSTOMER}|${NAMESPACE}|${key}`)?.value;

describe("customer metafields", () => {
  it("converge to the final state after a burst of 50 changes, with far fewer writes", async () => {
    const shop = "sync.myshopify.com";
    const shopify = adminStandIn();
    const adjust = (i: number) =>
      adjustPoints(
        prisma,
        shop,
        {
          customerGid: CUSTOMER,
          points: 10,
          reason: "Burst",
          staffId: "t",
          idempotencyKey: `burst-key-${i}`,
        },
        new Date(),
      );
    await adjust(0);
    const member = await prisma.member.findFirstOrThrow({ where: { shop } });
    // 50 changes while syncs run concurrently, as jobs would.
    const results = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        await adjust(i + 1);
        return syncMember(prisma, shopify.admin, shop, member.id);
      }),
    );
    // The job runner retries deferred syncs; one more run after the burst settles it.
    while ((await syncMember(prisma, shopify.admin, shop, member.id)).deferred);
    const final = await prisma.member.findFirstOrThrow({ where: { shop } });
    expect(final.balance).toBe(510);
    expect(metafield(shopify, "points")).toBe("510");
    expect(metafield(shopify, "pending_points")).toBe("0");
    expect(metafield(shopify, "tier")).toBe("Member");
    expect(final.syncedVersion).toBe(final.syncVersion);
    const writes = shopify.calls.filter((c) => c.operation === "MetafieldsSet").length;
    expect(writes).toBeLessThan(51);
    expect(results.reduce((sum, r) => sum + r.writes, 0)).toBeLessThanOrEqual(writes);
  });

  it("an up-to-date member costs no write; a failed write is recorded and retried", async () => {
    const shop = "sync2.myshopify.com";
    const shopify = adminStandIn();
    await adjustPoints(
      prisma,
      shop,
      { customerGid: CUSTOMER, points: 7, reason: "One", staffId: "t", idempotencyKey: "one-key-1" },
      new Date(),
    );
    const member = await prisma.member.findFirstOrThrow({ where: { shop } });
    shopify.faults.push("5xx");
    await expect(syncMember(prisma, shopify.admin, shop, member.id)).rejects.toThrow(/HTTP 502/);
    expect((await prisma.member.findFirstOrThrow({ where: { shop } })).syncError).toMatch(/502/);
    // The first successful sync also tags the customer with their tier.
    expect(await syncMember(prisma, shopify.admin, shop, member.id)).toEqual({
      writes: 1,
      tagChanges: 1,
      deferred: false,
    });
    expect(shopify.tags.get(CUSTOMER)).toEqual(new Set(["Regulars Member"]));
    expect(await syncMember(prisma, shopify.admin, shop, member.id)).toEqual({
      writes: 0,
      tagChanges: 0,
      deferred: false,
    });
    expect(metafield(shopify, "points")).toBe("7");
    expect(JSON.parse(metafield(shopify, "tier_progress")!)).toEqual({
      name: "Silver",
      remaining: "250.00",
      amount: 25000,
      percent: 0,
    });
    // The recent history, bounded, newest first.
    expect(JSON.parse(metafield(shopify, "history")!)).toEqual([
      expect.objectContaining({ kind: "ADJUST", points: 7 }),
    ]);
  });

  it("a sync that stalled past its claim while its write was on the way: the newest state still lands last", async () => {
    const shop = "sync3.myshopify.com";
    const shopify = adminStandIn();
    const adjust = (points: number, key: string) =>
      adjustPoints(
        prisma,
        shop,
        { customerGid: CUSTOMER, points, reason: "Stall", staffId: "t", idempotencyKey: key },
        new Date(),
      );
    await adjust(100, "stall-key-1");
    const member = await prisma.member.findFirstOrThrow({ where: { shop } });
    // Sync A reads 100 points and sends its write; the write reaches Shopify only when the test says.
    let writing!: () => void;
    const aIsWriting = new Promise<void>((resolve) => (writing = resolve));
    let letThrough!: () => void;
    const aMayLand = new Promise<void>((resolve) => (letThrough = resolve));
    const stalled = {
      graphql: async (query: string, init?: { variables?: Record<string, unknown> }) => {
        if (query.includes("metafieldsSet")) {
          writing();
          await aMayLand;
        }
        return shopify.admin.graphql(query, init);
      },
    };
    const syncA = syncMember(prisma, stalled, shop, member.id);
    await aIsWriting;
    // Meanwhile 50 more points, and sync B, for which A's claim has run out (A stalled past it).
    await adjust(50, "stall-key-2");
    const later = () => new Date(Date.now() + 120_000);
    expect(await syncMember(prisma, shopify.admin, shop, member.id, later)).toMatchObject({ writes: 1 });
    expect(metafield(shopify, "points")).toBe("150");
    // A's write lands after B's: Shopify briefly shows the older state.
    letThrough();
    await syncA;
    expect(metafield(shopify, "points")).toBe("100");
    // A found its claim taken over: the member is due again, and the next sync writes the newest state.
    const due = await prisma.member.findFirstOrThrow({ where: { shop } });
    expect(due.syncVersion).toBeGreaterThan(due.syncedVersion);
    await syncMember(prisma, shopify.admin, shop, member.id, later);
    expect(metafield(shopify, "points")).toBe("150");
    const final = await prisma.member.findFirstOrThrow({ where: { shop } });
    expect(final.syncedVersion).toBe(final.syncVersion);
  });
});
