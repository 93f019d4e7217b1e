/**
 * The admin speaks the staff member's language. Shopify loads the app in the admin with a
 * `locale` parameter, each staff member's own
 * (https://shopify.dev/tutorials/update-your-app-to-support-localization); the app route's loader
 * reads it with the shop's time zone, and remembers it for the requests that do not carry it
 * (an action posted from the page, a fetch), which answer in that language.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { prisma } from "~/db.server";
import { loader as appLoader } from "~/routes/app";
import { action as dataRequestAction } from "~/routes/app.data-requests.$requestId";
import * as codesDownload from "~/routes/app.campaigns.$campaignId_.codes";
import { adminDocument, adminFetch, run } from "../support/admin-requests";
import { documentWithToken, fetchWithToken, sessionToken } from "../support/session-tokens";
import { resetLoyaltyData } from "../support/reset";
import { shopifyForShop } from "../support/shopify-for-shop";
import type { ShopifyEdge } from "../support/shopify-edge";
import { installShop } from "../support/shops";

let edge: ShopifyEdge | undefined;

beforeEach(async () => {
  await resetLoyaltyData(prisma);
  await prisma.staffLocale.deleteMany();
  await prisma.session.deleteMany();
  ({ edge } = await shopifyForShop(prisma, TEST_SHOP, "shpat_locale"));
  await installShop(prisma, TEST_SHOP);
  await prisma.shop.update({ where: { domain: TEST_SHOP }, data: { ianaTimezone: "Pacific/Auckland" } });
});
afterEach(() => edge?.restore());

type AppData = { locale: { language: string; tag: string }; timeZone: string | null };

const load = async (request: Request) => {
  const res = await run(appLoader, request);
  expect(res.status).toBe(200);
  return (await res.json()) as AppData;
};

/** "Mark as delivered" on a request the shop does not have: the action's refusal message. */
const refusal = async (request: Request) => {
  const res = await run(dataRequestAction, request, { requestId: "missing" });
  expect(res.status).toBe(404);
  return ((await res.json()) as { error: string }).error;
};
const markMissing = () => ({ method: "POST", body: new URLSearchParams({ intent: "delivered" }) });

describe("the admin's language", () => {
  it("is the locale of Shopify's load, its region kept for dates, with the shop's time zone", async () => {
    expect(await load(await adminDocument("/app?locale=fr-CA"))).toMatchObject({
      locale: { language: "fr", tag: "fr-CA" },
      timeZone: "Pacific/Auckland",
    });
    expect(await load(await adminDocument("/app?locale=de"))).toMatchObject({
      locale: { language: "de", tag: "de" },
    });
  });

  it("answers an action without the parameter in the language of the last load", async () => {
    await load(await adminDocument("/app?locale=de-DE"));
    expect(await refusal(await adminFetch("/app/data-requests/missing", markMissing()))).toBe(
      "Diese Datenanfrage wurde in diesem Shop nicht gefunden.",
    );
    // A later load in another language replaces it.
    await load(await adminDocument("/app?locale=es"));
    expect(await refusal(await adminFetch("/app/data-requests/missing", markMissing()))).toBe(
      "No se encontró esta solicitud de datos en esta tienda.",
    );
    // A client-side revalidation of the app route (no parameter) keeps it too.
    expect((await load(await adminFetch("/app?_data=routes%2Fapp", {}))).locale.language).toBe("es");
  });

  it("is each staff member's own", async () => {
    const other = await sessionToken({ claims: { sub: "902541635" } });
    await load(await adminDocument("/app?locale=fr"));
    await load(documentWithToken("/app?locale=de", other));
    expect(await refusal(await adminFetch("/app/data-requests/missing", markMissing()))).toBe(
      "Cette demande de données est introuvable dans cette boutique.",
    );
    expect(await refusal(fetchWithToken("/app/data-requests/missing", other, markMissing()))).toBe(
      "Diese Datenanfrage wurde in diesem Shop nicht gefunden.",
    );
  });

  it("is English for a language the admin does not speak, or before any load", async () => {
    expect(await refusal(await adminFetch("/app/data-requests/missing", markMissing()))).toBe(
      "This data request was not found in this shop.",
    );
    expect((await load(await adminDocument("/app?locale=ja"))).locale).toEqual({ language: "en", tag: "en" });
    expect(await refusal(await adminFetch("/app/data-requests/missing", markMissing()))).toBe(
      "This data request was not found in this shop.",
    );
  });

  it("words a download's refusal too", async () => {
    await load(await adminDocument("/app?locale=fr"));
    const res = await run(
      codesDownload.action,
      await adminFetch("/app/campaigns/missing/codes", { method: "POST" }),
      {
        campaignId: "missing",
      },
    );
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: "Cette campagne ne fait pas partie des campagnes de cette boutique.",
    });
  });

  it("is forgotten with the shop's data", async () => {
    await load(await adminDocument("/app?locale=fr"));
    expect(await prisma.staffLocale.count({ where: { shop: TEST_SHOP } })).toBe(1);
    const { deleteShopData } = await import("~/db/shops.server");
    await deleteShopData(prisma, TEST_SHOP);
    expect(await prisma.staffLocale.count({ where: { shop: TEST_SHOP } })).toBe(0);
  });
});
