import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { verifiedDelivery } from "../http/webhook-route.server";
import { prisma } from "../db.server";
import { withJobs } from "../jobs.server";
import { recordScopesUpdate } from "../services/shops/shop-lifecycle.server";
import { parseLosslessJson } from "../shopify/payloads/lossless-json";

/** https://shopify.dev/docs/api/webhooks?reference=toml#list-of-topics-app/scopes_update */
const payloadSchema = z.object({ current: z.array(z.string()) });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, rawBody } = await verifiedDelivery(request);
  let payload: unknown;
  try {
    payload = parseLosslessJson(rawBody);
  } catch {
    payload = null;
  }
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success) {
    return Response.json({ error: "payload.current must be a list of scopes" }, { status: 400 });
  }
  // A change of scopes makes the shop's setup due again: its job is queued at once.
  await withJobs(() => recordScopesUpdate(prisma, { shop, scopes: parsed.data.current }));
  return new Response(null, { status: 200 });
};
