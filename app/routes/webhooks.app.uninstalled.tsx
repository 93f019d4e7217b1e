import type { ActionFunctionArgs } from "@remix-run/node";
import { triggeredAtOf, verifiedDelivery } from "../http/webhook-route.server";
import { prisma } from "../db.server";
import { recordUninstall } from "../services/shops/shop-lifecycle.server";
import { parseLosslessJson } from "../shopify/payloads/lossless-json";

/**
 * app/uninstalled: applied at once (no inbox), since the shop's sessions must
 * go before anything tries to use their dead tokens. The HMAC signs the body
 * alone, so the body (Shopify's Shop resource) must name the shop of the
 * header: a body captured from one shop and replayed with another shop's
 * header uninstalls nothing.
 * https://shopify.dev/docs/api/webhooks?reference=toml#list-of-topics-app/uninstalled
 */
export const action = async ({ request }: ActionFunctionArgs) => {
  const delivery = await verifiedDelivery(request);
  let named: unknown;
  try {
    named = (parseLosslessJson(delivery.rawBody) as { myshopify_domain?: unknown } | null)?.myshopify_domain;
  } catch {
    named = undefined;
  }
  if (named !== delivery.shop) {
    return Response.json({ error: "payload.myshopify_domain is not the shop that sent it" }, { status: 400 });
  }
  const now = new Date();
  await recordUninstall(prisma, { shop: delivery.shop, triggeredAt: triggeredAtOf(delivery) ?? now, now });
  return new Response(null, { status: 200 });
};
