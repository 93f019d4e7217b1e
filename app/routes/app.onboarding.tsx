import { z } from "zod";
import { prisma } from "../db.server";
import { dismissOnboarding, recheckTheme } from "../services/program/onboarding.server";
import { adminRoute } from "../http/request-context.server";

/** The Home checklist's buttons post here: Dismiss, and Check again (the theme steps). */
export const action = adminRoute(async ({ shop, now, strings }, { request }) => {
  const parsed = z
    .object({ intent: z.enum(["dismiss", "recheck"]) })
    .safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success)
    return Response.json({ ok: false, error: (await strings()).onboarding.unknownAction }, { status: 422 });
  if (parsed.data.intent === "recheck") {
    // Remix reloads the Home page's data after this action: the theme is asked for again.
    recheckTheme(shop);
    return Response.json({ ok: true, intent: "recheck" });
  }
  await dismissOnboarding(prisma, shop, now());
  return Response.json({ ok: true, intent: "dismiss" });
});
