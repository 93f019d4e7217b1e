import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { prisma } from "../db.server";
import { forgetShop } from "../services/shop-lifecycle.server";

// The three mandatory compliance topics share this URI (shopify.app.toml).
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, topic } = await authenticate.webhook(request);
  switch (topic) {
    case "SHOP_REDACT":
      await forgetShop(prisma, { shop });
      break;
    case "CUSTOMERS_REDACT":
    case "CUSTOMERS_DATA_REQUEST":
      // Regulars keeps no customer records yet; the points engine extends this.
      break;
    default:
      return Response.json({ error: `unexpected topic ${String(topic)}` }, { status: 400 });
  }
  return new Response(null, { status: 200 });
};
