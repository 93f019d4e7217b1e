import type { LoaderFunctionArgs } from "@remix-run/node";
import { prisma } from "../db.server";
import { authenticate } from "../shopify.server";
import { storefrontStatus } from "../services/storefront-status.server";
import { proxyCustomer } from "../shopify/app-proxy.server";

// GET /apps/regulars/status (storefront) -> /proxy/status: the panel's data.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.public.appProxy(request);
  const { shop, customerGid } = proxyCustomer(request);
  return Response.json(await storefrontStatus(prisma, shop, customerGid, new Date()), {
    headers: { "Cache-Control": "private, no-store" },
  });
};
