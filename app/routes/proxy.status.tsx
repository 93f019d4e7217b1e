import { prisma } from "../db.server";
import { cachedProgramExplainer } from "../services/program/program-explainer-cache.server";
import { shopperStatus } from "../services/storefront/status.server";
import { statusHtml } from "../services/storefront/html.server";
import { storefrontRoute } from "../http/request-context.server";

// GET /{proxy path}/status (storefront; /apps/regulars unless the merchant moved it)
// -> /proxy/status: the panel's data as JSON, or with ?format=html as a Liquid page
// in the theme (&layout=false: the fragment alone, for themes that embed it).
export const loader = storefrontRoute(
  async ({ shop, customerGid, now, auth }, { request }) => {
    const status = await shopperStatus(prisma, shop, customerGid, now(), cachedProgramExplainer);
    const url = new URL(request.url);
    if (url.searchParams.get("format") === "html") {
      // A customer left out of the program sees none of it (docs/decisions/0021-exclusions.md).
      const html = "eligible" in status ? `<section class="regulars-status"></section>` : statusHtml(status);
      const response = auth.liquid(html, {
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
