import type { ActionFunctionArgs } from "@remix-run/node";
import { verifiedWebhook } from "../services/webhook-route.server";
import { prisma } from "../db.server";
import { recordUninstall } from "../services/shop-lifecycle.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, triggeredAt } = await verifiedWebhook(request);
  const now = new Date();
  await recordUninstall(prisma, {
    shop,
    triggeredAt: triggeredAt ? new Date(triggeredAt) : now,
    now,
  });
  return new Response(null, { status: 200 });
};
