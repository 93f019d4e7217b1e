import { z } from "zod";
import { prisma } from "../db.server";
import { dismissOnboarding } from "../services/program/onboarding.server";
import { adminRoute } from "../http/request-context.server";

/** The Home checklist's dismiss button posts here. */
export const action = adminRoute(async ({ shop, now }, { request }) => {
  const parsed = z
    .object({ intent: z.literal("dismiss") })
    .safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return Response.json({ ok: false, error: "Invalid request" }, { status: 422 });
  await dismissOnboarding(prisma, shop, now());
  return Response.json({ ok: true });
});
