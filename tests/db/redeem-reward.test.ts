import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { adjustPoints } from "~/services/members/adjust-points.server";
import { issueCode, RedeemError, redeemReward, reservePoints } from "~/services/rewards/redeem-reward.server";
import { AdminTransientError } from "~/shopify/admin-api/admin-client.server";
import { discountInput } from "~/shopify/admin-api/discount-codes.server";
import { DEFAULT_REWARDS } from "~/loyalty/rewards";
import { ensureRewards } from "~/db/rewards.server";
import { runDailyMaintenance } from "~/services/shops/daily-maintenance.server";
import { applyOrderEvent } from "~/services/orders/order-points.server";
import { updateProgram } from "~/services/program/program-settings.server";
import { revokeCode } from "~/services/rewards/reward-lifecycle.server";
import { snapshot } from "../support/order-events";
import { expectLedgerConsistent } from "../support/ledger-invariant";
import { adminStandIn } from "../support/admin-stand-in";

const CUSTOMER = "gid://shopify/Customer/9007199254740993";
const NOW = new Date("2026-03-01T12:00:00Z");
let n = 0;
const newShop = () => `redeem-${n++}.myshopify.com`;
const key = (suffix: string | number) => `idem-key-${suffix}`;

async function shopWithBalance(points: number) {
  const shop = newShop();
  await adjustPoints(
    prisma,
    shop,
    {
      customerGid: CUSTOMER,
      points,
      reason: "Opening balance",
      staffId: "test",
      idempotencyKey: `seed-${shop.replace(/\W/g, "-")}`,
    },
    NOW,
  );
  return shop;
}
const balance = async (shop: string) =>
  (await prisma.member.findUniqueOrThrow({ where: { shop_customerGid: { shop, customerGid: CUSTOMER } } }))
    .balance;

describe("reward codes sent to Shopify", () => {
  it("a fixed amount, a percentage and free shipping each send the exact input", () => {
    const request = {
      code: "REG-ACDE-FGHJ",
      title: "5.00 off (Regulars)",
      customerGid: CUSTOMER,
      startsAt: NOW,
      endsAt: new Date("2026-03-31T12:00:00Z"),
    };
    const common = {
      title: "5.00 off (Regulars)",
      code: "REG-ACDE-FGHJ",
      startsAt: "2026-03-01T12:00:00.000Z",
      endsAt: "2026-03-31T12:00:00.000Z",
      context: { customers: { add: [CUSTOMER] } },
      usageLimit: 1,
      appliesOncePerCustomer: true,
    };
    expect(discountInput({ ...request, reward: DEFAULT_REWARDS[0]! })).toEqual({
      mutation: "basic",
      input: {
        ...common,
        combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: true },
        customerGets: {
          value: { discountAmount: { amount: "5.00", appliesOnEachItem: false } },
          items: { all: true },
        },
      },
    });
    const percent = {
      ...DEFAULT_REWARDS[0]!,
      type: "PERCENTAGE" as const,
      percentBps: 1500,
      amountMilli: null,
      minimumSubtotalMilli: 50_000n,
    };
    expect(discountInput({ ...request, reward: percent }).input).toMatchObject({
      customerGets: { value: { percentage: 0.15 }, items: { all: true } },
      minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: "50.00" } },
    });
    expect(discountInput({ ...request, reward: DEFAULT_REWARDS[3]! })).toEqual({
      mutation: "freeShipping",
      input: {
        ...common,
        combinesWith: { orderDiscounts: true, productDiscounts: true, shippingDiscounts: false },
        destination: { all: true },
      },
    });
  });
});

describe("redeeming", () => {
  it("debits the points, creates one code for that customer only, and confirms it", async () => {
    const shop = await shopWithBalance(1200);
    const shopify = adminStandIn();
    const redemption = await redeemReward(
      prisma,
      shopify.admin,
      shop,
      { customerGid: CUSTOMER, rewardKey: "10-off", idempotencyKey: key(1) },
      NOW,
    );
    expect(redemption).toMatchObject({
      status: "ISSUED",
      pointsCost: 1000,
      discountNodeId: "gid://shopify/DiscountCodeNode/1",
    });
    expect(redemption.code).toMatch(/^REDEEM-[ACDEFGHJKMNPQRTUVWXY34679]{4}-[ACDEFGHJKMNPQRTUVWXY34679]{4}$/);
    expect(shopify.calls.map((c) => c.operation)).toEqual(["CreateBasicCode"]);
    expect(shopify.calls[0]!.variables).toMatchObject({
      input: { code: redemption.code, context: { customers: { add: [CUSTOMER] } }, usageLimit: 1 },
    });
    expect(await balance(shop)).toBe(200);
    // The same request again (a double click, a retried POST) returns the same code.
    const again = await redeemReward(
      prisma,
      shopify.admin,
      shop,
      { customerGid: CUSTOMER, rewardKey: "10-off", idempotencyKey: key(1) },
      NOW,
    );
    expect(again.id).toBe(redemption.id);
    expect(shopify.codes.size).toBe(1);
    expect(await balance(shop)).toBe(200);
    await expectLedgerConsistent(prisma, shop);
  });

  it("staff can redeem for a customer: the redemption and its debit record who did it", async () => {
    const shop = await shopWithBalance(600);
    const shopify = adminStandIn();
    const redemption = await redeemReward(
      prisma,
      shopify.admin,
      shop,
      {
        customerGid: CUSTOMER,
        rewardKey: "5-off",
        idempotencyKey: key("staff-1"),
        staffId: "gid://shopify/StaffMember/7",
      },
      NOW,
    );
    expect(redemption).toMatchObject({
      status: "ISSUED",
      source: "STAFF",
      staffId: "gid://shopify/StaffMember/7",
    });
    const debit = await prisma.ledgerEntry.findFirstOrThrow({ where: { shop, kind: "REDEEM" } });
    expect(debit).toMatchObject({ points: -500, staffId: "gid://shopify/StaffMember/7" });
    expect(await balance(shop)).toBe(100);
  });

  it("100 parallel redemptions on a balance worth one reward give exactly one code and one debit", async () => {
    const shop = await shopWithBalance(500);
    const shopify = adminStandIn();
    const attempts = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) =>
        redeemReward(
          prisma,
          shopify.admin,
          shop,
          { customerGid: CUSTOMER, rewardKey: "5-off", idempotencyKey: key(`p${i}`) },
          NOW,
        ),
      ),
    );
    const issued = attempts.filter((a) => a.status === "fulfilled");
    expect(issued).toHaveLength(1);
    const refusals = attempts.filter((a): a is PromiseRejectedResult => a.status === "rejected");
    expect(
      refusals.every((r) => r.reason instanceof RedeemError && r.reason.reason === "not enough points"),
    ).toBe(true);
    expect(shopify.codes.size).toBe(1);
    expect(await prisma.ledgerEntry.count({ where: { shop, kind: "REDEEM" } })).toBe(1);
    expect(await balance(shop)).toBe(0);
    await expectLedgerConsistent(prisma, shop);
  }, 60_000);

  it("100 parallel copies of one request (one idempotency key) give one code", async () => {
    const shop = await shopWithBalance(5000);
    const shopify = adminStandIn();
    await Promise.allSettled(
      Array.from({ length: 100 }, () =>
        redeemReward(
          prisma,
          shopify.admin,
          shop,
          { customerGid: CUSTOMER, rewardKey: "5-off", idempotencyKey: key("same") },
          NOW,
        ),
      ),
    );
    expect(shopify.codes.size).toBe(1);
    expect(await balance(shop)).toBe(4500);
    expect(await prisma.redemption.findFirstOrThrow({ where: { shop } })).toMatchObject({ status: "ISSUED" });
  }, 60_000);

  it("a code creation that fails for good gives the points back", async () => {
    const shop = await shopWithBalance(600);
    const shopify = adminStandIn({ rejectCustomers: [CUSTOMER] });
    const redemption = await redeemReward(
      prisma,
      shopify.admin,
      shop,
      { customerGid: CUSTOMER, rewardKey: "5-off", idempotencyKey: key(2) },
      NOW,
    );
    expect(redemption).toMatchObject({ status: "FAILED" });
    expect(redemption.error).toContain("Customer does not exist");
    expect(await balance(shop)).toBe(600);
    const kinds = (await prisma.ledgerEntry.findMany({ where: { shop }, orderBy: { id: "asc" } })).map(
      (e) => [e.kind, e.points],
    );
    expect(kinds).toEqual([
      ["ADJUST", 600],
      ["REDEEM", -500],
      ["REDEEM_REFUND", 500],
    ]);
    await expectLedgerConsistent(prisma, shop);
  });

  it("an answer lost after Shopify created the code: the retry finds it and creates no second code", async () => {
    const shop = await shopWithBalance(600);
    const shopify = adminStandIn();
    shopify.faults.push("lost-response");
    const reserved = await reservePoints(
      prisma,
      shop,
      { customerGid: CUSTOMER, rewardKey: "5-off", idempotencyKey: key(3) },
      NOW,
    );
    await expect(issueCode(prisma, shopify.admin, shop, reserved.id, () => NOW)).rejects.toBeInstanceOf(
      AdminTransientError,
    );
    expect(shopify.codes.size).toBe(1); // Shopify did create it
    expect((await prisma.redemption.findUniqueOrThrow({ where: { id: reserved.id } })).status).toBe(
      "RESERVED",
    );
    expect(await balance(shop)).toBe(100); // still reserved, not refunded
    const issued = await issueCode(prisma, shopify.admin, shop, reserved.id, () => NOW);
    expect(issued).toMatchObject({ status: "ISSUED", discountNodeId: "gid://shopify/DiscountCodeNode/1" });
    expect(shopify.codes.size).toBe(1);
    expect(shopify.calls.map((c) => c.operation)).toEqual(["CreateBasicCode", "CodeByCode"]);
    await expectLedgerConsistent(prisma, shop);
  });

  it("a throttled or failing Shopify leaves the points reserved and says when to retry", async () => {
    const shop = await shopWithBalance(600);
    const shopify = adminStandIn();
    shopify.faults.push("throttled", "5xx");
    const reserved = await reservePoints(
      prisma,
      shop,
      { customerGid: CUSTOMER, rewardKey: "5-off", idempotencyKey: key(4) },
      NOW,
    );
    const throttled = await issueCode(prisma, shopify.admin, shop, reserved.id, () => NOW).catch(
      (e: unknown) => e,
    );
    expect(throttled).toBeInstanceOf(AdminTransientError);
    expect((throttled as AdminTransientError).retryAfterMs).toBe(1000);
    await expect(issueCode(prisma, shopify.admin, shop, reserved.id, () => NOW)).rejects.toThrow(/HTTP 502/);
    expect(await issueCode(prisma, shopify.admin, shop, reserved.id, () => NOW)).toMatchObject({
      status: "ISSUED",
    });
    expect(shopify.codes.size).toBe(1);
    expect(await balance(shop)).toBe(100);
  });

  it("refuses what the member cannot have, and writes nothing", async () => {
    const shop = await shopWithBalance(300);
    const shopify = adminStandIn();
    const attempt = (rewardKey: string) =>
      redeemReward(
        prisma,
        shopify.admin,
        shop,
        { customerGid: CUSTOMER, rewardKey, idempotencyKey: key(`r-${rewardKey}`) },
        NOW,
      ).catch((e: RedeemError) => e.reason);
    expect(await attempt("5-off")).toBe("not enough points");
    expect(await attempt("nope")).toBe("reward not found");
    // A refused request rolled back everything, even the default catalog: create it to edit it.
    await ensureRewards(prisma, shop);
    await prisma.reward.update({
      where: { shop_key: { shop, key: "free-shipping" } },
      data: { enabled: false },
    });
    expect(await attempt("free-shipping")).toBe("reward disabled");
    expect(await prisma.redemption.count({ where: { shop } })).toBe(0);
    expect(shopify.calls).toEqual([]);
    expect(await balance(shop)).toBe(300);
  });
});

describe("after a code is issued", () => {
  async function issued(points = 1000) {
    const shop = await shopWithBalance(points);
    const shopify = adminStandIn();
    const redemption = await redeemReward(
      prisma,
      shopify.admin,
      shop,
      { customerGid: CUSTOMER, rewardKey: "5-off", idempotencyKey: key(`life-${shop.replace(/\W/g, "")}`) },
      NOW,
    );
    return { shop, shopify, redemption };
  }
  const orderWith = (code: string, cancelled: boolean) =>
    snapshot({
      orderGid: "gid://shopify/Order/77",
      customerGid: CUSTOMER,
      updatedAt: new Date(NOW.getTime() + (cancelled ? 2 : 1) * 3_600_000),
      merchandise: 20_000n,
      cancelled,
    });

  it("an order paid with the code marks it used; cancelling that order gives the points back once", async () => {
    const { shop, redemption } = await issued();
    const paid = {
      ...orderWith(redemption.code.toLowerCase(), false),
      discountCodes: [redemption.code.toLowerCase()],
    };
    await applyOrderEvent(prisma, shop, { type: "paid", snapshot: paid }, NOW);
    expect(await prisma.redemption.findUniqueOrThrow({ where: { id: redemption.id } })).toMatchObject({
      status: "USED",
      usedOrderGid: "gid://shopify/Order/77",
    });
    expect(await balance(shop)).toBe(500 + 100); // 1000 - 500 redeemed + 20.00 x 5 earned
    const cancelled = { ...orderWith(redemption.code, true), discountCodes: [redemption.code] };
    await applyOrderEvent(prisma, shop, { type: "cancelled", snapshot: cancelled }, NOW);
    await applyOrderEvent(prisma, shop, { type: "cancelled", snapshot: cancelled }, NOW);
    expect(await balance(shop)).toBe(1000); // order points reversed, redeemed points back
    expect(await prisma.ledgerEntry.count({ where: { shop, kind: "REDEEM_REFUND" } })).toBe(1);
    await expectLedgerConsistent(prisma, shop);
  });

  it("staff revoke an unused code: deleted in Shopify, points back; a used code cannot be revoked", async () => {
    const { shop, shopify, redemption } = await issued();
    const revoked = await revokeCode(
      prisma,
      shopify.admin,
      shop,
      { redemptionId: redemption.id, staffId: "staff-1" },
      NOW,
    );
    expect(revoked.status).toBe("REVOKED");
    expect(shopify.codes.size).toBe(0);
    expect(await balance(shop)).toBe(1000);
    await expect(
      revokeCode(prisma, shopify.admin, shop, { redemptionId: redemption.id, staffId: "staff-1" }, NOW),
    ).rejects.toThrow("not revocable");
    await expect(
      revokeCode(
        prisma,
        shopify.admin,
        "other.myshopify.com",
        { redemptionId: redemption.id, staffId: "x" },
        NOW,
      ),
    ).rejects.toThrow("not found");
    await expectLedgerConsistent(prisma, shop);
  });

  it("codes past their end expire; points come back only if the program says so", async () => {
    const { shop, redemption } = await issued();
    const later = new Date(redemption.endsAt.getTime() + 1000);
    expect((await runDailyMaintenance(prisma, shop, later)).codesExpired).toBe(1);
    expect(await prisma.redemption.findUniqueOrThrow({ where: { id: redemption.id } })).toMatchObject({
      status: "EXPIRED",
    });
    expect(await balance(shop)).toBe(500);

    const second = await issued();
    await updateProgram(prisma, second.shop, { settings: { returnPointsOnExpiry: true } }, NOW);
    await runDailyMaintenance(prisma, second.shop, new Date(second.redemption.endsAt.getTime() + 1000));
    expect(await balance(second.shop)).toBe(1000);
    await expectLedgerConsistent(prisma, second.shop);
  });
});
