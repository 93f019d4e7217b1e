import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { prisma } from "../db.server";
import { authenticateProxy } from "../shopify/app-proxy.server";
import { SettingsError, setBirthday } from "../services/program-settings.server";

const bodySchema = z.object({ month: z.number().int(), day: z.number().int() });

// POST /apps/regulars/birthday -> /proxy/birthday: a member sets their birthday, once.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, customerGid } = await authenticateProxy(request);
  if (!customerGid) return Response.json({ error: "Sign in to set your birthday." }, { status: 401 });
  const parsed = bodySchema.safeParse(await request.json().catch(() => null));
  if (!parsed.success) return Response.json({ error: "Send { month, day } as numbers." }, { status: 422 });
  try {
    const result = await setBirthday(prisma, shop, customerGid, parsed.data, new Date());
    if (result === "already set") {
      return Response.json({ error: "Your birthday is already set." }, { status: 409 });
    }
    return Response.json({ status: "set" });
  } catch (error) {
    if (error instanceof SettingsError)
      return Response.json({ error: "That is not a date." }, { status: 422 });
    throw error;
  }
};
