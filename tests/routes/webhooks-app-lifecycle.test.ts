import { describe, expect, it, beforeEach } from "vitest";
import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { prisma } from "~/db.server";
import { action as uninstalled } from "~/routes/webhooks.app.uninstalled";
import { action as scopesUpdate } from "~/routes/webhooks.app.scopes_update";
import { action as compliance } from "~/routes/webhooks.compliance";
import { callAction, webhookRequest } from "../support/webhooks";
import { deliverAndApply } from "../support/inbox";
import { storeOfflineSession } from "../support/sessions";

const OTHER_SHOP = "other-shop.myshopify.com";

async function seedInstalledShop(shop: string, installedAt = new Date("2026-01-01T00:00:00Z")) {
  await prisma.shop.create({ data: { domain: shop, installedAt, scopes: "read_orders" } });
  await storeOfflineSession(prisma, shop, { accessToken: "shpat_x", scope: "read_orders" });
}

beforeEach(async () => {
  await prisma.session.deleteMany();
  await prisma.shop.deleteMany();
  await seedInstalledShop(TEST_SHOP);
  await seedInstalledShop(OTHER_SHOP);
});

describe("app/uninstalled", () => {
  it("deletes the shop's sessions and marks it uninstalled, once", async () => {
    // GIVEN an installed shop WHEN Shopify delivers app/uninstalled twice
    const delivery = {
      topic: "app/uninstalled",
      shop: TEST_SHOP,
      body: { domain: TEST_SHOP },
      webhookId: "w-1",
    };
    const first = await callAction(uninstalled, webhookRequest(delivery));
    const firstMark = (await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } })).uninstalledAt;
    const second = await callAction(uninstalled, webhookRequest(delivery));

    // THEN both answer 200, the sessions are gone and the first uninstall time stays
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(await prisma.session.count({ where: { shop: TEST_SHOP } })).toBe(0);
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    expect(shop.uninstalledAt).toEqual(firstMark);
    expect(shop.uninstalledAt).not.toBeNull();
    // AND the other shop is untouched
    expect(await prisma.session.count({ where: { shop: OTHER_SHOP } })).toBe(1);
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: OTHER_SHOP } })).uninstalledAt).toBeNull();
  });

  it("ignores a late delivery of an uninstall that happened before the latest install", async () => {
    // GIVEN a shop reinstalled after the event was triggered
    const res = await callAction(
      uninstalled,
      webhookRequest({
        topic: "app/uninstalled",
        shop: TEST_SHOP,
        body: { domain: TEST_SHOP },
        triggeredAt: new Date("2025-12-31T00:00:00Z"),
      }),
    );
    // THEN it is acknowledged and changes nothing
    expect(res.status).toBe(200);
    expect(await prisma.session.count({ where: { shop: TEST_SHOP } })).toBe(1);
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } })).uninstalledAt).toBeNull();
  });

  it("refuses a forged signature with 401 and changes nothing", async () => {
    const res = await callAction(
      uninstalled,
      webhookRequest({ topic: "app/uninstalled", shop: TEST_SHOP, body: {}, secret: "not-the-secret" }),
    );
    expect(res.status).toBe(401);
    expect(await prisma.session.count({ where: { shop: TEST_SHOP } })).toBe(1);
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } })).uninstalledAt).toBeNull();
  });

  it("acknowledges an uninstall for a shop it never saw", async () => {
    const res = await callAction(
      uninstalled,
      webhookRequest({ topic: "app/uninstalled", shop: "never-seen.myshopify.com", body: {} }),
    );
    expect(res.status).toBe(200);
    expect(await prisma.shop.count()).toBe(2);
  });
});

describe("app/scopes_update", () => {
  it("stores the newly granted scopes on the shop and its session", async () => {
    const res = await callAction(
      scopesUpdate,
      webhookRequest({
        topic: "app/scopes_update",
        shop: TEST_SHOP,
        body: { id: 1, previous: ["read_orders"], current: ["read_orders", "write_discounts"] },
      }),
    );
    expect(res.status).toBe(200);
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } })).scopes).toBe(
      "read_orders,write_discounts",
    );
    expect((await prisma.session.findUniqueOrThrow({ where: { id: `offline_${TEST_SHOP}` } })).scope).toBe(
      "read_orders,write_discounts",
    );
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: OTHER_SHOP } })).scopes).toBe(
      "read_orders",
    );
  });

  it("answers 400 to a malformed payload and changes nothing", async () => {
    const res = await callAction(
      scopesUpdate,
      webhookRequest({ topic: "app/scopes_update", shop: TEST_SHOP, body: { current: "read_orders" } }),
    );
    expect(res.status).toBe(400);
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } })).scopes).toBe(
      "read_orders",
    );
  });
});

describe("compliance webhooks", () => {
  it("shop/redact deletes everything of that shop and nothing of another", async () => {
    const res = await deliverAndApply(
      compliance,
      webhookRequest({
        topic: "shop/redact",
        path: "/webhooks/compliance",
        shop: TEST_SHOP,
        body: { shop_id: 1, shop_domain: TEST_SHOP },
      }),
    );
    expect(res.status).toBe(200);
    expect(await prisma.shop.findUnique({ where: { domain: TEST_SHOP } })).toBeNull();
    expect(await prisma.session.count({ where: { shop: TEST_SHOP } })).toBe(0);
    expect(await prisma.shop.findUnique({ where: { domain: OTHER_SHOP } })).not.toBeNull();
  });

  it("refuses an unsigned compliance request", async () => {
    const res = await callAction(
      compliance,
      webhookRequest({
        topic: "shop/redact",
        path: "/webhooks/compliance",
        shop: TEST_SHOP,
        body: {},
        secret: "x",
      }),
    );
    expect(res.status).toBe(401);
    expect(await prisma.shop.findUnique({ where: { domain: TEST_SHOP } })).not.toBeNull();
  });
});
