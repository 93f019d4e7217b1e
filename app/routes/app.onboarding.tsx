import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { prisma } from "../db.server";
import { dismissOnboarding } from "../services/onboarding.server";
import { authenticate } from "../shopify.server";

/** The Home checklist's dismiss button posts here. */
export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = z
    .object({ intent: z.literal("dismiss") })
    .safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return Response.json({ ok: false, error: "Invalid request" }, { status: 422 });
  await dismissOnboarding(prisma, session.shop, new Date());
  return Response.json({ ok: true });
};
