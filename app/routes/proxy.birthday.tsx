import { z } from "zod";
import { prisma } from "../db.server";
import { SettingsError, setBirthday } from "../services/program/program-settings.server";
import { storefrontError } from "../http/storefront-errors";
import { storefrontRoute } from "../http/request-context.server";

const bodySchema = z.object({ month: z.number().int(), day: z.number().int() });

// POST /{proxy path}/birthday -> /proxy/birthday: a member sets their birthday, once.
export const action = storefrontRoute(async ({ shop, customerGid, now }, { request }) => {
  if (!customerGid) return storefrontError("sign_in_required");
  const parsed = bodySchema.safeParse(await request.json().catch(() => null));
  if (!parsed.success) return storefrontError("invalid_request");
  try {
    const result = await setBirthday(prisma, shop, customerGid, parsed.data, now());
    if (result === "already set") return storefrontError("birthday_already_set");
    return Response.json({ status: "set" });
  } catch (error) {
    if (error instanceof SettingsError) return storefrontError("not_a_date");
    throw error;
  }
});
