import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { verifiedWebhook } from "../services/webhook-route.server";
import { prisma } from "../db.server";
import { recordScopesUpdate } from "../services/shop-lifecycle.server";

const payloadSchema = z.object({ current: z.array(z.string()) });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, session, payload } = await verifiedWebhook(request);
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success) {
    return Response.json({ error: "payload.current must be a list of scopes" }, { status: 400 });
  }
  await recordScopesUpdate(prisma, { shop, sessionId: session?.id, scopes: parsed.data.current });
  return new Response(null, { status: 200 });
};
