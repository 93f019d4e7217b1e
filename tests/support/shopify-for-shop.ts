/**
 * An installed shop as the app sees it: its offline session stored, and
 * Shopify's Admin API for it stood in for at the network edge, serving the
 * Admin API stand-in's state (codes, metafields, tags, Flow receipts) and
 * faults, for the library's request-time calls and the jobs' client alike.
 */
import type { PrismaClient } from "@prisma/client";
import { API_KEY, API_SECRET_KEY } from "@shopify/shopify-api/test-helpers";
import { adminStandIn, type StandInOptions } from "./admin-stand-in";
import { storeOfflineSession } from "./sessions";
import { startShopifyEdge } from "./shopify-edge";

export async function shopifyForShop(
  prisma: PrismaClient,
  shop: string,
  accessToken: string,
  scopes = "write_discounts",
  /** More of the stand-in's options (its granted scopes, its catalog). */
  standIn: Omit<StandInOptions, "shop" | "accessToken"> = {},
) {
  const shopify = adminStandIn({ ...standIn, shop, accessToken });
  await storeOfflineSession(prisma, shop, { accessToken, scope: scopes });
  const edge = startShopifyEdge({
    shop,
    apiKey: API_KEY,
    apiSecretKey: API_SECRET_KEY,
    scopes,
    answer: shopify.answer,
    accessTokens: [accessToken],
  });
  return { shopify, edge };
}
