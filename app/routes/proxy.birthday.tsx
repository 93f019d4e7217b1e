import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { prisma } from "../db.server";
import { withJobs } from "../jobs.server";
import { authenticate } from "../shopify.server";
import { proxyCustomer } from "../shopify/app-proxy.server";
import { SettingsError, setBirthday } from "../services/program-settings.server";
import { storefrontError } from "../services/storefront-errors";
import { rememberProxyPath } from "../services/storefront-path.server";

const bodySchema = z.object({ month: z.number().int(), day: z.number().int() });

// POST /{proxy path}/birthday -> /proxy/birthday: a member sets their birthday, once.
export const action = async ({ request }: ActionFunctionArgs) => {
  await authenticate.public.appProxy(request);
  const { shop, customerGid, proxyPath } = proxyCustomer(request);
  await withJobs(() => rememberProxyPath(prisma, shop, proxyPath));
  if (!customerGid) return storefrontError("sign_in_required");
  const parsed = bodySchema.safeParse(await request.json().catch(() => null));
  if (!parsed.success) return storefrontError("invalid_request");
  try {
    const result = await setBirthday(prisma, shop, customerGid, parsed.data, new Date());
    if (result === "already set") return storefrontError("birthday_already_set");
    return Response.json({ status: "set" });
  } catch (error) {
    if (error instanceof SettingsError) return storefrontError("not_a_date");
    throw error;
  }
};
