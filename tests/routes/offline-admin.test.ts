/**
 * Admin API calls outside a request: graphql-request with the shop's offline
 * token, refreshed when it is about to expire, against Shopify's contract at
 * the network edge.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { API_KEY, API_SECRET_KEY, TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { prisma } from "~/db.server";
import { AdminApiError } from "~/shopify/admin-api/admin-client.server";
import { NoOfflineSessionError, offlineAdmin } from "~/shopify/admin-api/offline-admin.server";
import { offlineTokens } from "~/shopify/sessions/offline-tokens.server";
import { sessionStorage } from "~/shopify.server";
import { fetchShopDetails } from "~/shopify/admin-api/shop-details.server";
import { startShopifyEdge, type ShopifyEdge } from "../support/shopify-edge";
import { storeOfflineSession } from "../support/sessions";

const SHOP_DATA = {
  shop: {
    name: "Edge",
    myshopifyDomain: TEST_SHOP,
    currencyCode: "CAD",
    ianaTimezone: "America/Toronto",
    plan: { shopifyPlus: false },
  },
};
let edge: ShopifyEdge | undefined;
const serve = (shop: string, tokens: { access?: string[]; refresh?: string[] } = {}) =>
  (edge = startShopifyEdge({
    shop,
    apiKey: API_KEY,
    apiSecretKey: API_SECRET_KEY,
    scopes: "read_orders",
    data: SHOP_DATA,
    accessTokens: tokens.access,
    refreshTokens: tokens.refresh,
  }));

const storeSession = (expires: Date | null, refreshToken: string | null) =>
  storeOfflineSession(prisma, TEST_SHOP, {
    accessToken: "shpat_stored",
    scope: "read_orders",
    expires,
    refreshToken,
  });

beforeEach(() => prisma.session.deleteMany());
afterEach(() => edge?.restore());

describe("offline Admin API access", () => {
  it("queries with the stored offline token", async () => {
    serve(TEST_SHOP, { access: ["shpat_stored"] });
    await storeSession(new Date(Date.now() + 3_600_000), "shprt_1");
    const details = await fetchShopDetails(offlineAdmin({ shop: TEST_SHOP, tokens: offlineTokens }));
    expect(details).toEqual({
      name: "Edge",
      currencyCode: "CAD",
      ianaTimezone: "America/Toronto",
      shopifyPlus: false,
    });
    expect(edge!.calls.map((c) => c.operationName ?? c.url)).toEqual(["ShopDetails"]);
  });

  it("refreshes a token about to expire, stores the new one and uses it", async () => {
    serve(TEST_SHOP, { access: ["shpat_stored"], refresh: ["shprt_1"] });
    await storeSession(new Date(Date.now() + 60_000), "shprt_1");
    await fetchShopDetails(offlineAdmin({ shop: TEST_SHOP, tokens: offlineTokens }));
    const session = (await sessionStorage.loadSession(`offline_${TEST_SHOP}`))!;
    expect(session.accessToken).not.toBe("shpat_stored");
    expect(edge!.accessTokens).toContain(session.accessToken);
    expect(session.refreshToken).toMatch(/^shprt_/);
    expect(session.refreshToken).not.toBe("shprt_1");
    // Stored encrypted, as every token the app stores.
    const row = await prisma.session.findUniqueOrThrow({ where: { id: `offline_${TEST_SHOP}` } });
    expect(row.accessToken).not.toContain(session.accessToken!);
    expect(row.refreshToken).not.toContain(session.refreshToken!);
    expect(edge!.calls.map((c) => c.operationName ?? c.url)).toEqual([
      "/admin/oauth/access_token",
      "ShopDetails",
    ]);
  });

  it("a revoked token is a definite error; no session is a clear one", async () => {
    serve(TEST_SHOP, { access: [] });
    await storeSession(null, null);
    await expect(
      fetchShopDetails(offlineAdmin({ shop: TEST_SHOP, tokens: offlineTokens })),
    ).rejects.toBeInstanceOf(AdminApiError);
    await prisma.session.deleteMany();
    await expect(
      fetchShopDetails(offlineAdmin({ shop: TEST_SHOP, tokens: offlineTokens })),
    ).rejects.toBeInstanceOf(NoOfflineSessionError);
  });

  it("the Admin API origin is configurable (a local Shopify stand-in)", async () => {
    serve("shopify-stand-in.localhost", { access: ["shpat_stored"] });
    await storeSession(null, null);
    const admin = offlineAdmin({
      shop: TEST_SHOP,
      tokens: offlineTokens,
      origin: "https://shopify-stand-in.localhost",
    });
    expect((await fetchShopDetails(admin)).name).toBe("Edge");
  });
});
