/**
 * Bonus events limited to collections, through the inbox on a real database
 * (decision 0022): Shopify's orders/paid body (tests/fixtures/shopify) has two
 * hoodies (120.00 less 12.00) in the Warm collection, one other product
 * (20.00 less 2.00) and a gift card. In a 2x Warm event, 1 point per 1.00,
 * it earns 126 for its 126.00 and 108 more for the hoodies' share: 234.
 *
 * GIVEN the event, WHEN the order arrives (twice), as a guest's order credited
 * later, without an Admin API client, or with Shopify refusing the lookup,
 * THEN it is credited once with the bonus, or not at all until the lookup
 * answers (the delivery is retried), never without it. And the admin's save
 * checks the chosen collections with Shopify.
 */
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { saveBonusEvent } from "~/services/bonus-events/bonus-events.server";
import { drainInbox, receiveWebhook, type DrainOptions } from "~/services/webhooks/inbox.server";
import { collectionsById } from "~/shopify/admin-api/product-collections.server";
import { adminStandIn } from "../support/admin-stand-in";
import { fixtureBody } from "../support/fixtures";
import { expectLedgerConsistent } from "../support/ledger-invariant";
import { programShop } from "../support/program-shop";
import { readAppConfig } from "../../devshop/app-config";

const WARM = "gid://shopify/Collection/77";
const HOODIE = "gid://shopify/Product/8455190273645510331";
const OTHER = "gid://shopify/Product/8455190273645512109";
const CUSTOMER = "gid://shopify/Customer/7302485617390244561";
const ORDER = "gid://shopify/Order/6817362940512877913";
// The fixture's processed_at is 2025-11-14T10:21:37+01:00.
const DAY = { startsAt: new Date("2025-11-14T00:00:00Z"), endsAt: new Date("2025-11-15T00:00:00Z") };
const NOW = new Date("2025-11-14T12:00:00Z");
const OUT_OF_REACH: [bigint, bigint] = [10n ** 15n, 10n ** 16n];

async function warmShop() {
  return programShop(
    "collections",
    {
      earnRateE4: 10_000,
      bonusEvents: [
        {
          kind: "MULTIPLIER",
          multiplierE4: 20_000,
          fixedPoints: null,
          ...DAY,
          collections: [{ id: WARM, title: "Warm" }],
        },
      ],
    },
    OUT_OF_REACH,
  );
}

/** The shop's Admin API, with read_products granted unless `granted` says otherwise. */
function shopify(shop: string, granted = [...readAppConfig().scopes.split(","), "read_products"]) {
  return adminStandIn({
    shop,
    catalog: { products: [HOODIE, OTHER], collections: { [WARM]: [HOODIE] }, titles: { [WARM]: "Warm" } },
    grantedScopes: granted,
  });
}

let webhookId = 0;
async function deliver(shop: string, topic: string, body: string) {
  const received = await receiveWebhook(prisma, {
    shop,
    topic,
    webhookId: `wh-${webhookId++}`,
    rawBody: body,
  });
  expect(received.outcome).toBe("received");
}

const drain = (shop: string, options: Partial<DrainOptions> = {}) =>
  drainInbox(prisma, { shop, now: () => NOW, sendFollowUps: async () => {}, ...options });

/** Makes the deliveries waiting for a retry due now (the inbox waits 5 s before a second try). */
const dueNow = (shop: string) =>
  prisma.$executeRaw`UPDATE "WebhookDelivery" SET "applyAfter" = CURRENT_TIMESTAMP - interval '1 second'
                     WHERE shop = ${shop} AND outcome = 'received'`;

async function orderPoints(shop: string) {
  const order = await prisma.orderRecord.findUnique({
    where: { shop_orderGid: { shop, orderGid: ORDER } },
    select: { points: true, eventPoints: true, eventQualifyingMilli: true, eventLinesMilli: true },
  });
  const member = await prisma.member.findUnique({
    where: { shop_customerGid: { shop, customerGid: CUSTOMER } },
    select: { balance: true },
  });
  return { order, balance: member?.balance ?? 0 };
}

const CREDITED = {
  order: { points: 234, eventPoints: 108, eventQualifyingMilli: 108_000n, eventLinesMilli: 126_000n },
  balance: 234,
};

describe("a bonus event limited to collections", () => {
  it("doubles the share of the order in the collection, once, though the order arrives twice", async () => {
    const shop = await warmShop();
    const admin = shopify(shop);
    await deliver(shop, "ORDERS_PAID", fixtureBody("orders-paid"));
    await deliver(shop, "ORDERS_PAID", fixtureBody("orders-paid"));
    expect(await drain(shop, { adminFor: () => admin.admin })).toMatchObject({ applied: 2, retried: 0 });
    expect(await orderPoints(shop)).toEqual(CREDITED);
    // The lines are recorded as ordered, for any later first award.
    const record = await prisma.orderRecord.findFirstOrThrow({
      where: { shop },
      select: { lineAmounts: true },
    });
    expect(record.lineAmounts).toEqual([
      { product: HOODIE, amount: "108000" },
      { product: OTHER, amount: "18000" },
    ]);
    // Asked once: the copy found the order awarded (a lookup only precedes a first award).
    expect(admin.calls.filter((call) => call.operation === "ProductsInCollection")).toHaveLength(1);
    await expectLedgerConsistent(prisma, shop);
  });

  it("credits nothing without an Admin API client, then the bonus once one answers", async () => {
    const shop = await warmShop();
    await deliver(shop, "ORDERS_PAID", fixtureBody("orders-paid"));
    expect(await drain(shop)).toMatchObject({ applied: 0, retried: 1 });
    expect(await orderPoints(shop)).toMatchObject({ balance: 0 });
    const waiting = await prisma.webhookDelivery.findFirstOrThrow({ where: { shop } });
    expect(waiting.detail).toMatch(/limited to collections/);
    await dueNow(shop);
    expect(await drain(shop, { adminFor: () => shopify(shop).admin })).toMatchObject({ applied: 1 });
    expect(await orderPoints(shop)).toEqual(CREDITED);
    await expectLedgerConsistent(prisma, shop);
  });

  it("credits nothing while Shopify refuses the lookup (read_products withdrawn): the delivery waits", async () => {
    const shop = await warmShop();
    const refusing = shopify(shop, readAppConfig().scopes.split(","));
    await deliver(shop, "ORDERS_PAID", fixtureBody("orders-paid"));
    expect(await drain(shop, { adminFor: () => refusing.admin })).toMatchObject({ applied: 0, retried: 1 });
    expect(await orderPoints(shop)).toMatchObject({ balance: 0 });
    const waiting = await prisma.webhookDelivery.findFirstOrThrow({ where: { shop } });
    expect(waiting.detail).toMatch(/read_products/);
    await dueNow(shop);
    expect(await drain(shop, { adminFor: () => shopify(shop).admin })).toMatchObject({ applied: 1 });
    expect(await orderPoints(shop)).toEqual(CREDITED);
  });

  it("credits a guest's order with its recorded lines when Shopify creates the customer", async () => {
    const shop = await warmShop();
    const admin = shopify(shop);
    await deliver(shop, "ORDERS_PAID", fixtureBody("orders-paid", { customer: null }));
    await drain(shop, { adminFor: () => admin.admin });
    expect(await orderPoints(shop)).toMatchObject({ order: { points: 0 }, balance: 0 });
    await deliver(shop, "CUSTOMERS_CREATE", fixtureBody("customers-create"));
    expect(await drain(shop, { adminFor: () => admin.admin })).toMatchObject({ applied: 1, retried: 0 });
    expect(await orderPoints(shop)).toEqual(CREDITED);
    await expectLedgerConsistent(prisma, shop);
  });

  it("is saved with the collections Shopify has, by their titles; refused without read_products or for one gone", async () => {
    const shop = await warmShop();
    const today = "2026-12-07";
    const input = {
      name: "Warm week",
      startsOn: today,
      endsOn: today,
      kind: "MULTIPLIER",
      multiplier: "2",
      fixedPoints: "",
      scope: "COLLECTIONS",
      collections: WARM,
    };
    const now = new Date(`${today}T12:00:00Z`);
    const find = (admin: ReturnType<typeof shopify>) => (gids: readonly string[]) =>
      collectionsById(admin.admin, gids);
    // Without read_products the page offers no collections: a forged choice is refused.
    expect(await saveBonusEvent(prisma, shop, input, null, now, null)).toEqual({
      ok: false,
      errors: { scope: { code: "choice" } },
    });
    const gone = { ...input, collections: `${WARM},gid://shopify/Collection/78` };
    expect(await saveBonusEvent(prisma, shop, gone, null, now, find(shopify(shop)))).toEqual({
      ok: false,
      errors: { collections: { code: "choice" } },
    });
    const before = await prisma.bonusEvent.count({ where: { shop } });
    const saved = await saveBonusEvent(prisma, shop, input, null, now, find(shopify(shop)));
    expect(saved.ok).toBe(true);
    expect(await prisma.bonusEvent.count({ where: { shop } })).toBe(before + 1);
    const row = await prisma.bonusEvent.findFirstOrThrow({ where: { shop, name: "Warm week" } });
    expect(row.collections).toEqual([{ id: WARM, title: "Warm" }]);
  });
});
