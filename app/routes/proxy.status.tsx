import { prisma } from "../db.server";
import { cachedProgramExplainer } from "../services/program/program-explainer-cache.server";
import { storefrontStatus } from "../services/storefront/status.server";
import { statusHtml } from "../services/storefront/html.server";
import { storefrontRoute } from "../http/request-context.server";

// GET /{proxy path}/status (storefront; /apps/regulars unless the merchant moved it)
// -> /proxy/status: the panel's data as JSON, or with ?format=html as a Liquid page
// in the theme (&layout=false: the fragment alone, for themes that embed it).
export const loader = storefrontRoute(
  async ({ shop, customerGid, now, auth }, { request }) => {
    const status = await storefrontStatus(prisma, shop, customerGid, now(), cachedProgramExplainer);
    const url = new URL(request.url);
    if (url.searchParams.get("format") === "html") {
      const response = auth.liquid(statusHtml(status), {
        layout: url.searchParams.get("layout") !== "false",
      });
      response.headers.set("Cache-Control", "private, no-store");
      return response;
    }
    return Response.json(status, { headers: { "Cache-Control": "private, no-store" } });
  },
  // The status never calls Shopify: the shop's session (which the library loads) may be this process's copy.
  { cachedSessionReads: true },
);
