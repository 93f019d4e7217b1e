import { afterEach, describe, expect, it, beforeEach } from "vitest";
import { API_KEY, API_SECRET_KEY, TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { prisma } from "~/db.server";
import { action as uninstalled } from "~/routes/webhooks.app.uninstalled";
import { action as scopesUpdate } from "~/routes/webhooks.app.scopes_update";
import { action as compliance } from "~/routes/webhooks.compliance";
import { callAction, webhookRequest } from "../support/webhooks";
import { deliverAndApply } from "../support/inbox";
import { storeOfflineSession } from "../support/sessions";
import { startShopifyEdge, type ShopifyEdge } from "../support/shopify-edge";
import { applyInbox } from "../support/inbox";

const OTHER_SHOP = "other-shop.myshopify.com";

/** app/uninstalled's body: the shop (Shopify's Shop resource, trimmed). */
const shopBody = (shop: string) => ({
  id: 548380009,
  name: "Super Toys",
  email: "super@supertoys.com",
  domain: "www.supertoys.example",
  myshopify_domain: shop,
});

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
      body: shopBody(TEST_SHOP),
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
        body: shopBody(TEST_SHOP),
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
      webhookRequest({
        topic: "app/uninstalled",
        shop: TEST_SHOP,
        body: shopBody(TEST_SHOP),
        secret: "not-the-secret",
      }),
    );
    expect(res.status).toBe(401);
    expect(await prisma.session.count({ where: { shop: TEST_SHOP } })).toBe(1);
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } })).uninstalledAt).toBeNull();
  });

  it("refuses a body from one shop replayed with another shop's header, and changes nothing", async () => {
    // GIVEN TEST_SHOP's signed app/uninstalled body, sent with OTHER_SHOP's header
    const res = await callAction(
      uninstalled,
      webhookRequest({ topic: "app/uninstalled", shop: OTHER_SHOP, body: shopBody(TEST_SHOP) }),
    );
    // THEN it is refused and OTHER_SHOP keeps its session and its installation
    expect(res.status).toBe(400);
    expect(await prisma.session.count({ where: { shop: OTHER_SHOP } })).toBe(1);
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: OTHER_SHOP } })).uninstalledAt).toBeNull();
    // AND a body that names no shop is refused too
    const bare = await callAction(
      uninstalled,
      webhookRequest({ topic: "app/uninstalled", shop: OTHER_SHOP, body: { id: 1 } }),
    );
    expect(bare.status).toBe(400);
    expect(await prisma.session.count({ where: { shop: OTHER_SHOP } })).toBe(1);
  });

  it("acknowledges an uninstall for a shop it never saw", async () => {
    const res = await callAction(
      uninstalled,
      webhookRequest({
        topic: "app/uninstalled",
        shop: "never-seen.myshopify.com",
        body: shopBody("never-seen.myshopify.com"),
      }),
    );
    expect(res.status).toBe(200);
    expect(await prisma.shop.count()).toBe(2);
  });
});

describe("an uninstall after the offline token expired", () => {
  let edge: ShopifyEdge | undefined;
  afterEach(() => edge?.restore());

  it("is received, and shop/redact 48 hours later erases the shop: no token is needed to receive", async () => {
    // GIVEN a shop whose expiring offline token expired an hour ago (tokens live an hour), with data
    await prisma.session.deleteMany({ where: { shop: TEST_SHOP } });
    await storeOfflineSession(prisma, TEST_SHOP, {
      accessToken: "shpat_expired",
      scope: "read_orders",
      expires: new Date(Date.now() - 3_600_000),
      refreshToken: "shprt_last",
    });
    await prisma.program.create({ data: { shop: TEST_SHOP } });
    await prisma.member.create({
      data: { shop: TEST_SHOP, customerGid: "gid://shopify/Customer/1", balance: 10 },
    });
    // AND Shopify, which refuses to refresh the token of an app that is uninstalled
    edge = startShopifyEdge({
      shop: TEST_SHOP,
      apiKey: API_KEY,
      apiSecretKey: API_SECRET_KEY,
      scopes: "read_orders",
      refreshTokens: ["shprt_last"],
    });
    edge.uninstall();

    // WHEN Shopify delivers app/uninstalled
    const uninstall = await callAction(
      uninstalled,
      webhookRequest({ topic: "app/uninstalled", shop: TEST_SHOP, body: shopBody(TEST_SHOP) }),
    );
    // THEN it is received (no refresh was tried) and the shop is marked uninstalled, its session gone
    expect(uninstall.status).toBe(200);
    expect(edge.calls).toEqual([]);
    expect(await prisma.session.count({ where: { shop: TEST_SHOP } })).toBe(0);
    expect(
      (await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } })).uninstalledAt,
    ).not.toBeNull();

    // WHEN shop/redact comes 48 hours later
    const redact = await callAction(
      compliance,
      webhookRequest({
        topic: "shop/redact",
        path: "/webhooks/compliance",
        shop: TEST_SHOP,
        body: { shop_id: 548380009, shop_domain: TEST_SHOP },
        triggeredAt: new Date(Date.now() + 48 * 3_600_000),
      }),
    );
    await applyInbox(TEST_SHOP);
    // THEN it is received and applied: the shop's data is gone, another shop's stays
    expect(redact.status).toBe(200);
    expect(await prisma.shop.findUnique({ where: { domain: TEST_SHOP } })).toBeNull();
    expect(await prisma.member.count({ where: { shop: TEST_SHOP } })).toBe(0);
    expect(await prisma.program.count({ where: { shop: TEST_SHOP } })).toBe(0);
    expect(await prisma.shop.findUnique({ where: { domain: OTHER_SHOP } })).not.toBeNull();
    expect(edge.calls).toEqual([]);
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
    await prisma.shop.update({ where: { domain: TEST_SHOP }, data: { uninstalledAt: new Date() } });
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

  it("shop/redact for a shop that has installed the app again since erases nothing", async () => {
    // GIVEN a shop that uninstalled, then installed again before shop/redact came (48 hours after)
    await prisma.shop.update({
      where: { domain: TEST_SHOP },
      data: {
        uninstalledAt: new Date("2026-02-01T00:00:00Z"),
        installedAt: new Date("2026-02-02T00:00:00Z"),
      },
    });
    await prisma.program.create({ data: { shop: TEST_SHOP } });
    // WHEN shop/redact arrives
    const res = await deliverAndApply(
      compliance,
      webhookRequest({
        topic: "shop/redact",
        path: "/webhooks/compliance",
        shop: TEST_SHOP,
        body: { shop_id: 1, shop_domain: TEST_SHOP },
        webhookId: "redact-after-reinstall",
      }),
    );
    // THEN it is acknowledged, recorded as ignored with the reason, and the shop keeps everything
    expect(res.status).toBe(200);
    expect(await prisma.shop.findUnique({ where: { domain: TEST_SHOP } })).not.toBeNull();
    expect(await prisma.program.count({ where: { shop: TEST_SHOP } })).toBe(1);
    expect(await prisma.session.count({ where: { shop: TEST_SHOP } })).toBe(1);
    expect(
      await prisma.webhookDelivery.findFirstOrThrow({ where: { webhookId: "redact-after-reinstall" } }),
    ).toMatchObject({ outcome: "ignored", detail: expect.stringMatching(/installed Regulars again/) });
  });

  it("refuses a compliance body naming another shop than its header, storing nothing", async () => {
    const res = await callAction(
      compliance,
      webhookRequest({
        topic: "shop/redact",
        path: "/webhooks/compliance",
        shop: OTHER_SHOP,
        body: { shop_id: 1, shop_domain: TEST_SHOP },
      }),
    );
    expect(res.status).toBe(400);
    expect(await prisma.webhookDelivery.count({ where: { shop: OTHER_SHOP } })).toBe(0);
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
