import { afterEach, describe, expect, it, beforeEach } from "vitest";
import {
  API_KEY,
  API_SECRET_KEY,
  APP_URL,
  RequestType,
  TEST_SHOP,
  setUpValidRequest,
} from "@shopify/shopify-api/test-helpers";
import { prisma } from "~/db.server";
import { loader as appLoader } from "~/routes/app";
import { sessionStorage } from "~/shopify.server";
import type { ShopDetails } from "~/shopify/shop-details.server";
import { adminStandIn } from "../support/admin-stand-in";
import { startShopifyEdge, type ShopifyEdge } from "../support/shopify-edge";

const SCOPES = "read_customers,read_orders,read_all_orders,write_customers,write_discounts";
let edge: ShopifyEdge | undefined;

/** Shopify answering token exchange, and the shop's Admin API (its details, metafield definitions). */
function shopifyServing(details: Partial<ShopDetails>) {
  const shopify = adminStandIn({ shop: TEST_SHOP, details });
  edge = startShopifyEdge({
    shop: TEST_SHOP,
    apiKey: API_KEY,
    apiSecretKey: API_SECRET_KEY,
    scopes: SCOPES,
    answer: shopify.answer,
  });
  return shopify;
}

/** Shopify answering token exchange only: its Admin API serves nothing (every query fails). */
const shopifyServingNothing = () =>
  (edge = startShopifyEdge({
    shop: TEST_SHOP,
    apiKey: API_KEY,
    apiSecretKey: API_SECRET_KEY,
    scopes: SCOPES,
    data: {},
  }));

async function openAppAsMerchant(): Promise<Response | unknown> {
  const request = await setUpValidRequest(
    { type: RequestType.Admin, store: "test-shop", apiKey: API_KEY, apiSecretKey: API_SECRET_KEY },
    new Request(`${APP_URL}/app`),
  );
  try {
    return await appLoader({ request, params: {}, context: {} });
  } catch (thrown) {
    return thrown;
  }
}

beforeEach(async () => {
  await prisma.session.deleteMany();
  await prisma.shop.deleteMany();
});
afterEach(() => edge?.restore());

describe("installing Regulars (token exchange + afterAuth)", () => {
  it("stores an expiring offline session and creates the shop's record with its details", async () => {
    // GIVEN Shopify answers token exchange and the ShopDetails query
    const shopify = shopifyServing({
      name: "Test Shop",
      currencyCode: "EUR",
      ianaTimezone: "Europe/Paris",
      shopifyPlus: false,
    });
    const definitions = shopify.metafieldDefinitions;

    // WHEN the merchant opens the embedded app for the first time
    const result = await openAppAsMerchant();

    // THEN the loader succeeds with the app's key
    expect(result).toEqual({ apiKey: API_KEY, appBridgeUrl: null });
    // AND an offline, expiring token was stored, encrypted: the row holds neither token
    const session = (await sessionStorage.loadSession(`offline_${TEST_SHOP}`))!;
    expect(session.accessToken).toBe(edge!.accessTokens[0]);
    expect(session.refreshToken).toMatch(/^shprt_/);
    expect(session.expires).not.toBeUndefined();
    const row = await prisma.session.findUniqueOrThrow({ where: { id: `offline_${TEST_SHOP}` } });
    expect(row.accessToken).not.toContain(session.accessToken!);
    expect(row.refreshToken).not.toContain(session.refreshToken!);
    // AND the shop was recorded as installed, with what Shopify said about it
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    expect(shop).toMatchObject({
      name: "Test Shop",
      currencyCode: "EUR",
      ianaTimezone: "Europe/Paris",
      shopifyPlus: false,
      scopes: SCOPES,
      uninstalledAt: null,
    });
    expect(shop.installedAt).not.toBeNull();
    expect(edge!.calls.map((call) => call.operationName ?? call.url)).toEqual([
      "/admin/oauth/access_token",
      "ShopDetails",
      ...Array(5).fill("CreateMemberMetafieldDefinition"),
    ]);
    // AND the $app:loyalty customer metafields are defined, readable by the storefront
    expect(definitions.map((d) => d.key)).toEqual([
      "points",
      "pending_points",
      "tier",
      "tier_progress",
      "codes",
    ]);
    // (toMatchObject: graphql-js adds the schema's input defaults, as Shopify's server would)
    expect(definitions[0]).toMatchObject({
      key: "points",
      name: "Loyalty points",
      type: "number_integer",
      namespace: "$app:loyalty",
      ownerType: "CUSTOMER",
      access: { storefront: "PUBLIC_READ" },
    });
  });

  it("still records the install when the shop details cannot be read", async () => {
    // GIVEN an Admin API that serves no shop (the query resolves to an error)
    shopifyServingNothing();
    await openAppAsMerchant();
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    expect(shop.installedAt).not.toBeNull();
    expect(shop.currencyCode).toBeNull();
  });

  it("reinstalling clears the uninstall mark", async () => {
    await prisma.shop.create({
      data: { domain: TEST_SHOP, installedAt: new Date("2025-01-01"), uninstalledAt: new Date("2025-06-01") },
    });
    const shopify = shopifyServing({
      name: "Back",
      currencyCode: "USD",
      ianaTimezone: "UTC",
      shopifyPlus: true,
    });
    // The definitions exist from the first install: Shopify answers TAKEN, which is fine.
    const definitions = shopify.metafieldDefinitions;
    for (const key of ["points", "pending_points", "tier", "tier_progress", "codes"]) {
      definitions.push({ key, namespace: "$app:loyalty", ownerType: "CUSTOMER", type: "number_integer" });
    }
    await openAppAsMerchant();
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    expect(shop.uninstalledAt).toBeNull();
    expect(shop.installedAt!.getTime()).toBeGreaterThan(new Date("2025-06-01").getTime());
    expect(shop.shopifyPlus).toBe(true);
    expect(definitions).toHaveLength(5);
    expect(edge!.calls.filter((c) => c.operationName === "CreateMemberMetafieldDefinition")).toHaveLength(5);
  });

  it("a forged session token gets no session and no shop", async () => {
    shopifyServingNothing();
    const request = await setUpValidRequest(
      { type: RequestType.Admin, store: "test-shop", apiKey: API_KEY, apiSecretKey: "forged-secret" },
      new Request(`${APP_URL}/app`),
    );
    const result = await appLoader({ request, params: {}, context: {} }).catch((thrown: unknown) => thrown);
    expect(result).toBeInstanceOf(Response);
    expect([401, 302]).toContain((result as Response).status);
    expect(await prisma.session.count()).toBe(0);
    expect(await prisma.shop.count()).toBe(0);
    expect(edge!.calls).toEqual([]);
  });
});
