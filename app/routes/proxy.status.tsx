import type { LoaderFunctionArgs } from "@remix-run/node";
import { prisma } from "../db.server";
import { authenticate } from "../shopify.server";
import { cachedProgramExplainer } from "../services/program-explainer-cache.server";
import { storefrontStatus } from "../services/storefront-status.server";
import { statusHtml } from "../services/storefront-html.server";
import { proxyCustomer } from "../shopify/app-proxy.server";
import { withCachedSessionReads } from "../shopify/session-storage.server";
import { withJobs } from "../jobs.server";
import { rememberProxyPath } from "../services/storefront-path.server";

// GET /{proxy path}/status (storefront; /apps/regulars unless the merchant moved it)
// -> /proxy/status: the panel's data as JSON, or with ?format=html as a Liquid page
// in the theme (&layout=false: the fragment alone, for themes that embed it).
export const loader = async ({ request }: LoaderFunctionArgs) => {
  // The status never calls Shopify: the shop's session (which the library loads) may be this process's copy.
  const { liquid } = await withCachedSessionReads(() => authenticate.public.appProxy(request));
  const { shop, customerGid, proxyPath } = proxyCustomer(request);
  // A read of the cached program unless the merchant moved the proxy (then one UPDATE and a sync).
  await withJobs(() => rememberProxyPath(prisma, shop, proxyPath));
  const status = await storefrontStatus(prisma, shop, customerGid, new Date(), cachedProgramExplainer);
  const url = new URL(request.url);
  if (url.searchParams.get("format") === "html") {
    const response = liquid(statusHtml(status), { layout: url.searchParams.get("layout") !== "false" });
    response.headers.set("Cache-Control", "private, no-store");
    return response;
  }
  return Response.json(status, { headers: { "Cache-Control": "private, no-store" } });
};
