import { prisma } from "../db.server";
import { storefrontRoute, type StorefrontContext } from "../http/request-context.server";
import {
  referralCodeHtml,
  referralOfferHtml,
  referralRefusalHtml,
} from "../services/referrals/referral-page.server";
import { claimReferral, ReferralError, visitReferralLink } from "../services/referrals/referrals.server";
import { PROXY_PATH_IN_APP_TOML } from "../shopify/requests/app-proxy.server";
import { REFERRAL_STATUSES } from "../http/error-statuses";
import { AdminApiError } from "../shopify/admin-api/admin-client.server";

// GET /{proxy path}/r/<code> -> /proxy/r/<code>: a visitor arrives through a member's referral
// link (counted), and sees the friend's offer with a form. POST (the form, or JSON { email }):
// the referee's first-order code, created for them (app/services/referrals/referrals.server.ts).
// Pages are Liquid in the theme's layout; refusals say why with their status.

const page = (auth: StorefrontContext["auth"], html: string, status = 200) => {
  const response = auth.liquid(html, { layout: true });
  const answer = new Response(response.body, { status, headers: response.headers });
  answer.headers.set("Cache-Control", "private, no-store");
  return answer;
};

const refusal = (auth: StorefrontContext["auth"], error: unknown) => {
  if (error instanceof ReferralError)
    return page(auth, referralRefusalHtml(error.reason), REFERRAL_STATUSES[error.reason]);
  throw error;
};

/** The link's address on the storefront, where the form posts back to. */
const linkPath = (request: Request, code: string) => {
  const prefix = new URL(request.url).searchParams.get("path_prefix") ?? PROXY_PATH_IN_APP_TOML;
  return `${prefix}/r/${encodeURIComponent(code)}`;
};

export const loader = storefrontRoute(async ({ shop, customerGid, auth, now }, { request, params }) => {
  const code = params.code ?? "";
  try {
    const visit = await visitReferralLink(prisma, shop, code, now());
    return page(
      auth,
      referralOfferHtml({ action: linkPath(request, code), ...visit, signedIn: customerGid !== null }),
    );
  } catch (error) {
    return refusal(auth, error);
  }
});

export const action = storefrontRoute(
  async ({ shop, customerGid, admin, auth, now }, { request, params }) => {
    const code = params.code ?? "";
    const json = (request.headers.get("Content-Type") ?? "").includes("application/json");
    let email: string | null = null;
    if (json) {
      const body = (await request.json().catch(() => null)) as { email?: unknown } | null;
      email = typeof body?.email === "string" ? body.email : null;
    } else {
      const form = await request.formData().catch(() => null);
      const value = form?.get("email");
      email = typeof value === "string" && value.trim() ? value : null;
    }
    if (!admin) {
      return json
        ? Response.json({ error: "unavailable" }, { status: 503 })
        : page(auth, referralRefusalHtml("unavailable"), 503);
    }
    try {
      const claimed = await claimReferral(prisma, admin, shop, code, { email, customerGid }, now());
      if (json)
        return Response.json(
          { code: claimed.code, percent: claimed.percent, endsAt: claimed.endsAt.toISOString() },
          { headers: { "Cache-Control": "private, no-store" } },
        );
      return page(auth, referralCodeHtml(claimed));
    } catch (error) {
      // Shopify did not answer, or not in time: nothing is lost, the same request retries.
      if (error instanceof AdminApiError)
        return json
          ? Response.json({ error: "unavailable" }, { status: 503 })
          : page(auth, referralRefusalHtml("unavailable"), 503);
      if (json && error instanceof ReferralError)
        return Response.json({ error: error.reason }, { status: REFERRAL_STATUSES[error.reason] });
      return refusal(auth, error);
    }
  },
);
